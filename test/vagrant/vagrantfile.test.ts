// The Vagrantfile is thin: it reads the topology from the lab config through the built CLI.
// `vagrant validate -p` checks it without a provider or a box (none exist on CI machines).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWithTools } from '../support/tools.js';

const root = path.resolve(import.meta.dirname, '../..');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-vagrant-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function validate(env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync('timeout', ['120', 'vagrant', 'validate', '-p'], {
    cwd: root,
    // A private VAGRANT_HOME: no boxes or plugins of the user's are needed or touched.
    env: {
      ...process.env,
      VAGRANT_HOME: path.join(tmp, 'vagrant.d'),
      VAGRANT_CHECKPOINT_DISABLE: '1',
      ...env,
    },
    encoding: 'utf8',
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describeWithTools(['vagrant'], 'Vagrantfile', () => {
  test('validates with the topology from the lab config', () => {
    const r = validate({ LAB_LOCAL_CONFIG: path.join(tmp, 'none.yml') });
    expect(r.output).toMatch(/Vagrantfile validated successfully/);
    expect(r.status).toBe(0);
  }, 150_000);

  test('a bad lab config stops Vagrant with the lab config message (one source of truth)', () => {
    const local = path.join(tmp, 'bad.yml');
    writeFileSync(local, 'nodes:\n  - { name: staging, ip: 10.99.0.11 }\n');
    const r = validate({ LAB_LOCAL_CONFIG: local });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/the lab config is not valid/);
    expect(r.output).toMatch(/nodes\[1\]\.ip: 10\.99\.0\.11 is outside the lab network/);
  }, 150_000);
});
