import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Runs a tiny suite that needs a tool which cannot exist, in a child jest, to prove the harness
// skips it normally and fails it under LAB_STRICT=1 with the tool's name.
const root = path.resolve(import.meta.dirname, '../..');

function runProbeSuite(strict: boolean) {
  const dir = mkdtempSync(path.join(root, 'test/support/.probe-'));
  const file = path.join(dir, 'probe.test.ts');
  writeFileSync(
    file,
    `import { test, expect } from '@jest/globals';
import { describeWithTools } from '../tools.js';
describeWithTools(['promtool'], 'probe', () => { test('runs', () => expect(1).toBe(1)); });
`,
  );
  const r = spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--disable-warning=ExperimentalWarning',
      'node_modules/jest/bin/jest.js',
      '--ci',
      dir,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LAB_STRICT: strict ? '1' : '0', PATH: '/nonexistent' },
      timeout: 60_000,
    },
  );
  spawnSync('rm', ['-rf', dir]);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('tool-dependent suites', () => {
  test('skip with one line naming the tool when not strict', () => {
    const r = runProbeSuite(false);
    expect(r.out).toMatch(
      /SKIP probe: needs promtool \(promtool not found on PATH\); run `make tools`/,
    );
    expect(r.out).toMatch(/0 passed, 0 failed, 1 skipped/);
    expect(r.status).toBe(0);
  }, 60_000);

  test('fail with the tool name under LAB_STRICT=1', () => {
    const r = runProbeSuite(true);
    expect(r.out).toMatch(/required tool missing: promtool/);
    expect(r.out).toMatch(/0 passed, 1 failed, 0 skipped/);
    expect(r.status).not.toBe(0);
  }, 60_000);
});
