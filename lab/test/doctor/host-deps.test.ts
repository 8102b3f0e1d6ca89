// The real host facts: tools through the real exec module, statfs, devices.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostDeps, toolRunner } from '../../src/doctor/host-deps.js';
import { run } from '../../src/exec/index.js';

const tool = toolRunner(run);

describe('toolRunner (real processes)', () => {
  test('exit 0 → ok with stdout', async () => {
    const r = await tool(process.execPath, ['-e', 'console.log("v1.2.3")']);
    expect(r).toMatchObject({ outcome: 'ok', exitCode: 0, stdout: 'v1.2.3' });
  });
  test('non-zero exit → failed with stderr, no exception', async () => {
    const r = await tool(process.execPath, ['-e', 'console.error("nope"); process.exit(3)']);
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 3, stderr: 'nope' });
  });
  test('not on PATH → missing', async () => {
    expect((await tool('lab-doctor-no-such-tool', ['--version'])).outcome).toBe('missing');
  });
  test('slower than its timeout → timeout', async () => {
    const started = Date.now();
    const r = await tool(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], 300);
    expect(r.outcome).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('hostDeps', () => {
  const deps = hostDeps({
    exec: run,
    config: { ok: true, config: {} as never, sources: [] },
    repoRoot: process.cwd(),
  });

  test('free disk of a real folder, with its device id', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'doctor-'));
    try {
      const free = await deps.freeDiskMb(dir);
      expect(free).not.toBeNull();
      expect(free!.mb).toBeGreaterThan(0);
      expect(await deps.freeDiskMb(path.join(dir, 'absent'))).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('devices: missing vs openable', async () => {
    expect(await deps.openReadWrite('/nonexistent/kvm')).toBe('missing');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'doctor-'));
    try {
      expect(await deps.openReadWrite(dir)).toBe('denied'); // a folder cannot be opened for writing
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('available memory is a positive figure no larger than the total', async () => {
    const mb = await deps.availableMemoryMb();
    expect(mb).toBeGreaterThan(0);
    expect(mb).toBeLessThanOrEqual(os.totalmem() / 1024 / 1024);
  });
});
