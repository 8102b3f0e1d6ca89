// `make test` includes the converge harness: the lab's playbooks against four systemd containers,
// twice (the second run must report changed=0 on every host), then the verify plays. The
// harness prints its timings and the tasks skipped offline; this test passes that output on.
// `make test-quick` sets LAB_SKIP_CONVERGE=1 to leave it out.
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describeWithTools } from '../support/tools.js';

const root = path.resolve(import.meta.dirname, '../..');
const TIMEOUT_MS = 30 * 60_000;

function runHarness(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // `timeout` bounds the harness (TERM first: its trap removes the containers and network).
    const child = spawn(
      'timeout',
      ['--kill-after=60', String(TIMEOUT_MS / 1000 - 90), 'bash', 'test/converge/converge.sh'],
      { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.on('close', (code) => resolve({ code, output }));
  });
}

if (process.env.LAB_SKIP_CONVERGE === '1') {
  process.stderr.write('SKIP converge harness: LAB_SKIP_CONVERGE=1 (make test-quick)\n');
  describe.skip('converge harness', () => test('site.yml converge', () => undefined));
} else {
  describeWithTools(
    ['podman', 'ansible-playbook', 'debootstrap'],
    'converge harness (test/converge/converge.sh)',
    () => {
      test(
        'site.yml converges the four systemd nodes, the rerun reports changed=0, verify passes',
        async () => {
          const { code, output } = await runHarness();
          process.stdout.write(`\n${output.trimEnd()}\n`);
          expect(output).toMatch(/changed=0 on every host/);
          expect(output).toMatch(/^converge: OK: /m);
          expect(code).toBe(0);
        },
        TIMEOUT_MS,
      );
    },
  );
}
