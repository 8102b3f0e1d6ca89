// Deterministic JTL fixtures for the gate's unit tests: JMeter's default CSV columns, written
// into a fresh temp folder per test file. RFC 4180 quoting is applied where a field needs it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const HEADER_COLUMNS = [
  'timeStamp',
  'elapsed',
  'label',
  'responseCode',
  'responseMessage',
  'threadName',
  'dataType',
  'success',
  'failureMessage',
  'bytes',
  'sentBytes',
  'grpThreads',
  'allThreads',
  'URL',
  'Latency',
  'IdleTime',
  'Connect',
] as const;
export const HEADER = HEADER_COLUMNS.join(',');

export interface Sample {
  ts: number;
  elapsed: number;
  label: string;
  success?: boolean;
  failure?: string;
  url?: string;
  message?: string;
}

export const csvField = (v: string): string =>
  /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;

export function line(s: Sample): string {
  const ok = s.success ?? true;
  const values: Record<(typeof HEADER_COLUMNS)[number], string> = {
    timeStamp: String(s.ts),
    elapsed: String(s.elapsed),
    label: s.label,
    responseCode: ok ? '200' : '500',
    responseMessage: s.message ?? (ok ? 'OK' : 'Internal Server Error'),
    threadName: 'Baseline mix 1-1',
    dataType: 'text',
    success: String(ok),
    failureMessage:
      s.failure ?? (ok ? '' : 'Test failed: code expected to contain /200/, but was "500"'),
    bytes: '1234',
    sentBytes: '210',
    grpThreads: '4',
    allThreads: '4',
    URL: s.url ?? 'http://127.0.0.1:8080/api/products?page=1&limit=20',
    Latency: String(Math.max(0, s.elapsed - 1)),
    IdleTime: '0',
    Connect: '0',
  };
  return HEADER_COLUMNS.map((c) => csvField(values[c])).join(',');
}

export const jtlText = (samples: readonly Sample[], eol = '\n'): string =>
  [HEADER, ...samples.map(line)].join(eol) + eol;

/** xorshift32 in [0,1): the same fixtures on every machine. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

export interface LabelSpec {
  label: string;
  count: number;
  /** Elapsed ms of the i-th sample of this label. */
  elapsed: (i: number, rand: () => number) => number;
  /** Every n-th sample fails (0: none). */
  errorEvery?: number;
}

/**
 * Interleaves labels over `durationMs` starting at `start`: sample timestamps are evenly spread,
 * so throughput is known (count / duration, give or take the last sample's elapsed).
 */
export function samples(
  specs: readonly LabelSpec[],
  { start = 1_764_536_400_000, durationMs = 60_000, seed = 7 } = {},
): Sample[] {
  const rand = rng(seed);
  const out: Sample[] = [];
  for (const spec of specs) {
    for (let i = 0; i < spec.count; i++) {
      out.push({
        ts: start + Math.floor((i * durationMs) / spec.count),
        elapsed: spec.elapsed(i, rand),
        label: spec.label,
        success: !(spec.errorEvery && (i + 1) % spec.errorEvery === 0),
      });
    }
  }
  return out.sort((a, b) => a.ts + a.elapsed - (b.ts + b.elapsed)); // JMeter writes at sample end
}

export const tempDir = (prefix = 'lab-gate-'): string =>
  mkdtempSync(path.join(os.tmpdir(), prefix));

export function writeFile(dir: string, name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Exact nearest-rank percentile by sorting every value: the independent reference. */
export function sortedPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}
