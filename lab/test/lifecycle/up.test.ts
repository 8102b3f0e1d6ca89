// `lab up` through the real CLI, with stand-in `vagrant` and `ansible-playbook` scripts on PATH
// that record their argv (no hypervisor here); secrets (ssh-keygen) and the inventory are real.
import { afterAll, describe, expect, test } from '@jest/globals';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runLab, STACK_LINE } from '../../../test/support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lab-up-'));
const bin = path.join(dir, 'bin');
const record = path.join(dir, 'calls.log');
const state = path.join(dir, 'state');

function stub(name: string, body = 'exit 0') {
  const file = path.join(bin, name);
  writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> "${record}"\n${body}\n`);
  chmodSync(file, 0o755);
}

describe('lab up (vagrant provider, recorded tools)', () => {
  rmSync(bin, { recursive: true, force: true });
  mkdirSync(bin, { recursive: true });
  stub('vagrant');
  stub(
    'ansible-playbook',
    'echo "TASK [common : Install base packages]"; echo "PLAY RECAP"; echo "jenkins : ok=1 changed=0 unreachable=0 failed=0"',
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    LAB_STATE_DIR: state,
    CI: 'true',
    LAB_PROVIDER: 'virtualbox',
  };

  test('runs the steps in order and resumes idempotently', () => {
    const r = runLab(['up', '--skip-checks'], { env });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.status).toBe(0);
    const calls = readFileSync(record, 'utf8').trim().split('\n');
    expect(calls[0]).toBe('vagrant up --provider=virtualbox');
    expect(calls[1]).toMatch(
      /^ansible-playbook -i .*state\/inventory\/hosts\.yml .*ansible\/site\.yml$/,
    );
    expect(calls[2]).toBe('vagrant status --machine-readable');
    expect(statSync(path.join(state, 'secrets', 'mongodb_root_password')).mode & 0o777).toBe(0o600);
    const inventory = readFileSync(path.join(state, 'inventory', 'hosts.yml'), 'utf8');
    expect(inventory).toMatch(/192\.168\.56\.11/);
    const secret = readFileSync(
      path.join(state, 'secrets', 'mongodb_root_password'),
      'utf8',
    ).trim();
    expect(`${r.stdout}${r.stderr}${readFileSync(record, 'utf8')}`).not.toContain(secret);
    // a second run keeps the secrets (resume)
    const again = runLab(['up', '--skip-checks'], { env });
    expect(again.status).toBe(0);
    expect(readFileSync(path.join(state, 'secrets', 'mongodb_root_password'), 'utf8').trim()).toBe(
      secret,
    );
  });

  test('a failing Ansible run is a clear error with the resume hint, exit 3', () => {
    stub(
      'ansible-playbook',
      'echo "fatal: [staging]: FAILED! => {\\"msg\\": \\"boom\\"}" >&2; exit 2',
    );
    const r = runLab(['up', '--skip-checks'], { env });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/ansible-playbook .* failed with exit code 2/);
    expect(r.stderr).toMatch(/boom/);
    expect(r.stderr).toMatch(/run `make lab-up` again/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(path.join(state, 'logs'))).toBe(true);
  });

  test('destroy without a TTY and without --yes refuses and changes nothing', () => {
    writeFileSync(record, '');
    const r = runLab(['destroy'], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs a confirmation/);
    expect(readFileSync(record, 'utf8')).toBe('');
  });
});
