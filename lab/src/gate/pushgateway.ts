// Pushes the gate's verdict and key figures to a Prometheus Pushgateway (text exposition
// format, HTTP PUT: the group is replaced as a whole, so a label that disappeared from the plan
// leaves no stale series). Alert rules and dashboards use these names: keep them stable.
//   lab_loadtest_gate_passed{env,release}          1 pass, 0 fail
//   lab_loadtest_gate_timestamp_seconds{env,release}
//   lab_loadtest_p95_seconds{env,release,label}    (label="overall" for all samples)
//   lab_loadtest_error_ratio{env,release,label}    0..1
//   lab_loadtest_throughput_rps{env,release,label}
// Grouping key: job="lab_loadtest", env=<env> (the env label comes from the grouping key).
import { ExitCode, LabError } from '../errors.js';
import type { LabelStats } from './stats.js';
import type { GateSummary } from './summary.js';

export interface PushTarget {
  /** Base URL, e.g. http://monitoring:9091 */
  url: string;
  env: string;
  release: string;
}

export const PUSH_JOB = 'lab_loadtest';

const escapeLabel = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** The exposition text pushed for one gate run. */
export function exposition(
  summary: GateSummary,
  release: string,
  nowMs = Date.parse(summary.createdAt),
): string {
  const rel = `release="${escapeLabel(release)}"`;
  const out: string[] = [];
  const gauge = (name: string, help: string, rows: [string, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of rows)
      out.push(`${name}{${labels}} ${Number.isFinite(value) ? value : 0}`);
  };
  gauge('lab_loadtest_gate_passed', 'Whether the last load-test gate passed (1) or failed (0).', [
    [rel, summary.verdict === 'pass' ? 1 : 0],
  ]);
  gauge('lab_loadtest_gate_timestamp_seconds', 'When the last load-test gate ran (Unix time).', [
    [rel, nowMs / 1000],
  ]);
  const scopes: [string, LabelStats][] = [
    ...Object.entries(summary.labels),
    ['overall', summary.overall],
  ];
  const per = (f: (s: LabelStats) => number): [string, number][] =>
    scopes.map(([label, s]) => [`${rel},label="${escapeLabel(label)}"`, f(s)]);
  gauge(
    'lab_loadtest_p95_seconds',
    '95th percentile response time of the last load test, per label.',
    per((s) => s.p95 / 1000),
  );
  gauge(
    'lab_loadtest_error_ratio',
    'Failed samples / samples of the last load test, per label.',
    per((s) => s.errorPct / 100),
  );
  gauge(
    'lab_loadtest_throughput_rps',
    'Samples per second of the last load test, per label.',
    per((s) => s.throughputRps),
  );
  return `${out.join('\n')}\n`;
}

/** PUTs the group; a failure is a LabError(TOOL_FAILED) the caller may report as a warning. */
export async function pushGate(
  target: PushTarget,
  summary: GateSummary,
  timeoutMs = 10_000,
): Promise<string> {
  const base = target.url.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(base)) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `--pushgateway ${JSON.stringify(target.url)} is not an http(s) URL`,
      'like http://127.0.0.1:9091',
    );
  }
  const url = `${base}/metrics/job/${PUSH_JOB}/env/${encodeURIComponent(target.env)}`;
  // Loaded only when a push is asked for: axios costs ~25 MB and ~0.2 s at import.
  const { default: axios } = await import('axios');
  try {
    await axios.put(url, exposition(summary, target.release), {
      headers: { 'Content-Type': 'text/plain; version=0.0.4' },
      timeout: timeoutMs,
      maxRedirects: 0,
    });
  } catch (e) {
    const status = axios.isAxiosError(e) ? e.response?.status : undefined;
    const body = axios.isAxiosError(e) ? String(e.response?.data ?? '').slice(0, 200) : '';
    throw new LabError(
      ExitCode.TOOL_FAILED,
      `pushing the gate verdict to ${url} failed: ${status ? `HTTP ${status} ${body}`.trim() : (e as Error).message}`,
      'check that the Pushgateway runs and is reachable (lab status); the verdict itself is unaffected',
    );
  }
  return url;
}
