// The verdict reaches a REAL Pushgateway (Debian's prometheus-pushgateway on a free loopback
// port) under the names the alert rules use, and reads back from its /metrics.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { runGate } from '../../src/gate/index.js';
import { freePort, waitFor } from '../../../test/support/net.js';
import { describeWithTools, which } from '../../../test/support/tools.js';
import { jtlText, samples, tempDir, writeFile } from './support.js';

describeWithTools(['pushgateway'], 'gate → real Pushgateway', () => {
  const dir = tempDir();
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const bin = which('prometheus-pushgateway') ?? which('pushgateway')!;
    child = spawn(
      'timeout',
      ['300', bin, `--web.listen-address=127.0.0.1:${port}`, '--persistence.file='],
      { stdio: 'ignore' },
    );
    await waitFor('the pushgateway', async () => (await fetch(`${url}/-/ready`)).ok, {
      timeoutMs: 20_000,
    });
  }, 30_000);

  afterAll(() => {
    child?.kill('SIGTERM');
  });

  const metrics = async (): Promise<string> => (await fetch(`${url}/metrics`)).text();
  const value = (text: string, name: string, labels: Record<string, string>): number | null => {
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`)) continue;
      if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
        return Number(line.split(' ').pop());
    }
    return null;
  };

  async function gateRun(elapsed: number, release: string, pushUrl = url) {
    const results = writeFile(
      dir,
      `${release}.jtl`,
      jtlText(
        samples([
          { label: 'browse_catalog', count: 600, elapsed: () => elapsed, errorEvery: 100 },
          { label: 'place_order', count: 200, elapsed: () => elapsed * 2 },
        ]),
      ),
    );
    const thresholds = writeFile(
      dir,
      'th.yml',
      'labels:\n  browse_catalog: { p95: "< 300ms" }\n  place_order: { p95: "< 800ms" }\n',
    );
    return runGate({
      results,
      thresholds,
      outDir: path.join(dir, release),
      pushgateway: { url: pushUrl, env: 'staging', release },
    });
  }

  test('a passing gate pushes passed=1, its timestamp and per-label figures', async () => {
    const before = Date.now() / 1000;
    const r = await gateRun(100, 'v1.0.0');
    expect(r.verdict).toBe('pass');
    expect(r.push).toEqual({ url: `${url}/metrics/job/lab_loadtest/env/staging`, ok: true });
    const text = await metrics();
    const group = { job: 'lab_loadtest', env: 'staging', release: 'v1.0.0' };
    expect(value(text, 'lab_loadtest_gate_passed', group)).toBe(1);
    expect(value(text, 'lab_loadtest_gate_timestamp_seconds', group)).toBeGreaterThanOrEqual(
      Math.floor(before),
    );
    expect(
      value(text, 'lab_loadtest_p95_seconds', { ...group, label: 'browse_catalog' }),
    ).toBeCloseTo(0.1, 6);
    expect(value(text, 'lab_loadtest_p95_seconds', { ...group, label: 'place_order' })).toBeCloseTo(
      0.2,
      6,
    );
    expect(
      value(text, 'lab_loadtest_error_ratio', { ...group, label: 'browse_catalog' }),
    ).toBeCloseTo(0.01, 6);
    expect(
      value(text, 'lab_loadtest_throughput_rps', { ...group, label: 'overall' }),
    ).toBeGreaterThan(10);
  }, 30_000);

  test('a failing gate replaces the group: passed=0, and the old release is gone', async () => {
    const r = await gateRun(900, 'v1.1.0');
    expect(r.verdict).toBe('fail');
    const text = await metrics();
    expect(value(text, 'lab_loadtest_gate_passed', { env: 'staging', release: 'v1.1.0' })).toBe(0);
    expect(value(text, 'lab_loadtest_gate_passed', { release: 'v1.0.0' })).toBeNull();
  }, 30_000);

  test('an unreachable Pushgateway does not change the verdict; it is reported as a note', async () => {
    const closed = await freePort();
    const r = await gateRun(100, 'v1.2.0', `http://127.0.0.1:${closed}`);
    expect(r).toMatchObject({ verdict: 'pass', exitCode: 0, push: { ok: false } });
    expect(r.notes.join('\n')).toMatch(
      /pushing the gate verdict to http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/lab_loadtest\/env\/staging failed: .*\(the verdict stands\)/,
    );
  }, 30_000);
});
