// yamllint over every YAML file outside ansible/ (ansible/tests/static.test.ts lints that tree
// with its own settings): the lab config, rules and rule tests, Alertmanager, Grafana, JMeter.
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeWithTools } from '../support/tools.js';

const root = path.resolve(import.meta.dirname, '../..');
const yamllint = (args: string[]) =>
  spawnSync('yamllint', ['-s', '-c', path.join(root, '.yamllint'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });

describeWithTools(['yamllint'], 'yamllint (repository YAML outside ansible/)', () => {
  test('is clean', () => {
    const r = yamllint(['.']);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  }, 130_000);

  test('reports a broken file (the check can fail)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lab-yamllint-'));
    try {
      writeFileSync(path.join(dir, 'bad.yml'), 'a: 1\na: 2\nb:   [1,2]\n');
      const r = yamllint([dir]);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toMatch(/duplication of key "a"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
