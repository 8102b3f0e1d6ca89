// Which JMeter the tests run, and a one-call load test against a local shop server.
import { afterAll } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../../lab/src/exec/index.js';
import {
  runLoadTest,
  type LoadTestOptions,
  type LoadTestResult,
} from '../../../lab/src/loadtest/run.js';
import type { LocalShop } from './local-shop-server.js';

export const launcher = path.resolve(import.meta.dirname, '../../launcher/jmeter-debian.sh');

/**
 * $LAB_JMETER when set; Debian's JMeter 2.13 (/usr/share/jmeter) through the launcher that lets
 * it load plans; else `jmeter` on PATH (a current Apache JMeter).
 */
export function jmeterForTests(): string {
  if (process.env.LAB_JMETER) return process.env.LAB_JMETER;
  if (existsSync('/usr/share/jmeter/bin/ApacheJMeter.jar')) return launcher;
  return 'jmeter';
}

// Run folders of a test file live under one temporary folder, removed after the file's tests
// (LAB_KEEP_TEST_RUNS=1 keeps them, to look at a JTL or jmeter.log after a failure).
let parent: string | null = null;
export function tempRunDir(prefix = 'lab-loadtest-'): string {
  parent ??= mkdtempSync(path.join(os.tmpdir(), 'lab-test-runs-'));
  return mkdtempSync(path.join(parent, prefix));
}
afterAll(() => {
  if (parent && process.env.LAB_KEEP_TEST_RUNS !== '1')
    rmSync(parent, { recursive: true, force: true });
  parent = null;
});

/**
 * Quick settings: a few users, little think time, and a fixed number of visits per user (the
 * duration only bounds the run), so that sample counts do not depend on how busy the machine is.
 */
export const QUICK = {
  threads: '4',
  rampup: '1',
  duration: '30',
  iterations: '15',
  think_time: '20',
  think_jitter: '20',
};

export function loadTestShop<G = unknown>(
  shop: LocalShop,
  plan: string,
  properties: Record<string, string> = {},
  extra: Partial<LoadTestOptions> = {},
): Promise<LoadTestResult<G>> {
  return runLoadTest<G>(
    {
      plan,
      target: { name: shop.url, protocol: 'http', host: shop.host, port: shop.port },
      properties: { ...QUICK, ...properties },
      jmeter: jmeterForTests(),
      runDir: tempRunDir(),
      ...extra,
    },
    { exec: run },
  );
}
