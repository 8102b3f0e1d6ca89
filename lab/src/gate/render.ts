// The gate's outputs: the one-screen verdict table (stdout), JUnit XML (one testcase per check,
// for Jenkins), and the self-contained HTML report (handlebars; inline CSS and SVG, no script,
// no external asset).
import Handlebars from 'handlebars';
import { table } from '../output/render.js';
import { formatValue, type Check } from './evaluate.js';
import type { GateReport } from './index.js';
import type { ResultsSummary } from './jtl.js';
import type { SeriesPoint } from './stats.js';
import { REPORT_TEMPLATE } from './template.js';

const MARK: Record<Check['status'], string> = { pass: '✓', fail: '✗', skip: '-' };

/** The verdict table and its context lines (what `lab gate` and `lab loadtest` print). */
export function formatVerdict(report: GateReport): string {
  const { checks, summary } = report;
  const failed = checks.filter((c) => c.status === 'fail').length;
  const skipped = checks.filter((c) => c.status === 'skip').length;
  // One row per scope and metric: its absolute limit and its limit against the baseline side
  // by side, so the table stays one screen. Skipped checks (no baseline) are summed up below.
  const rowsByKey = new Map<
    string,
    { scope: string; metric: string; observed: string; abs?: Check; rel?: Check }
  >();
  for (const c of checks) {
    if (c.status === 'skip') continue;
    const key = `${c.scope}\u0000${c.metric}`;
    const row = rowsByKey.get(key) ?? {
      scope: c.scope,
      metric: c.metric,
      observed: formatValue(c.observed, c.unit),
    };
    if (c.kind === 'regression') row.rel = c;
    else row.abs = c;
    rowsByKey.set(key, row);
  }
  const withBaseline = [...rowsByKey.values()].some((r) => r.rel);
  const rows = [...rowsByKey.values()].map((r) => {
    const cells = [
      r.scope,
      r.metric,
      r.observed,
      r.abs?.limit ?? '',
      r.abs ? MARK[r.abs.status] : '',
    ];
    if (withBaseline) cells.push(r.rel?.limit ?? '', r.rel ? MARK[r.rel.status] : '');
    return cells;
  });
  const header = ['scope', 'metric', 'observed', 'limit', ''];
  if (withBaseline) header.push('vs baseline', '');
  const s = summary;
  const lines = [
    `Performance gate: ${report.verdict === 'pass' ? 'PASS' : 'FAIL'} — ${failed} of ${checks.length} checks failed${skipped ? `, ${skipped} skipped` : ''}`,
    `results: ${s.samples} samples, ${Object.keys(s.labels).length} labels, ${(s.window.durationMs / 1000).toFixed(1)} s, errors ${formatValue(s.overall.errorPct, '%')}, ${formatValue(s.overall.throughputRps, '/s')}`,
    '',
    table(rows, header),
  ];
  if (skipped > 0)
    lines.push(`- ${skipped} regression check${skipped > 1 ? 's' : ''} skipped (see report.html)`);
  for (const note of report.notes) lines.push(`note: ${note}`);
  lines.push(`outputs: ${report.outputs.dir} (junit.xml, summary.json, report.html)`);
  return lines.join('\n');
}

// XML 1.0 forbids most control characters even when escaped: drop them.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
export const xmlEscape = (text: string): string =>
  text
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

export function junitXml(report: GateReport): string {
  const { checks } = report;
  const failures = checks.filter((c) => c.status === 'fail').length;
  const skipped = checks.filter((c) => c.status === 'skip').length;
  const secs = (report.summary.window.durationMs / 1000).toFixed(3);
  const attrs = `name="performance gate" tests="${checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs}"`;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs}>`,
    `  <testsuite ${attrs} timestamp="${xmlEscape(report.summary.createdAt)}">`,
    '    <properties>',
    `      <property name="results" value="${xmlEscape(report.summary.run.results)}"/>`,
    `      <property name="thresholds" value="${xmlEscape(report.summary.run.thresholds)}"/>`,
    `      <property name="baseline" value="${xmlEscape(report.summary.run.baseline ?? '')}"/>`,
    '    </properties>',
  ];
  for (const c of checks) {
    const name = `${c.kind === 'regression' ? `${c.metric} vs baseline` : c.metric} ${c.limit}`;
    const open = `    <testcase classname="gate.${xmlEscape(c.scope)}" name="${xmlEscape(name)}" time="0"`;
    if (c.status === 'pass') out.push(`${open}/>`);
    else if (c.status === 'skip')
      out.push(`${open}>`, `      <skipped message="${xmlEscape(c.message)}"/>`, '    </testcase>');
    else {
      out.push(
        `${open}>`,
        `      <failure type="threshold" message="${xmlEscape(c.message)}">${xmlEscape(`observed ${formatValue(c.observed, c.unit)}, limit ${c.limit}`)}</failure>`,
        '    </testcase>',
      );
    }
  }
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}

// ---- HTML report --------------------------------------------------------------------------

const COLORS = [
  '#2563eb',
  '#db2777',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#dc2626',
  '#4d7c0f',
];
const W = 760;
const H = 260;
const PAD = { left: 56, right: 52, top: 12, bottom: 32 };

/** A "nice" axis maximum (1, 2 or 5 × 10^k) at or above v. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

interface Axis {
  ticks: { pos: number; text: string }[];
}

function yAxis(max: number, unit: string): Axis {
  const ticks = [];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    ticks.push({
      pos: PAD.top + (H - PAD.top - PAD.bottom) * (1 - i / 4),
      text: `${Number(v.toFixed(1))}${unit}`,
    });
  }
  return { ticks };
}

function xAxis(spanMs: number): Axis {
  const ticks = [];
  for (let i = 0; i <= 5; i++) {
    ticks.push({
      pos: PAD.left + ((W - PAD.left - PAD.right) * i) / 5,
      text: `${Math.round((spanMs * i) / 5 / 1000)} s`,
    });
  }
  return { ticks };
}

function linePath(
  points: SeriesPoint[],
  t0: number,
  spanMs: number,
  yMax: number,
  value: (p: SeriesPoint) => number,
): string {
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  let d = '';
  let pen = false;
  for (const p of points) {
    if (p.count === 0) {
      pen = false;
      continue;
    }
    const x = PAD.left + (iw * (p.t - t0)) / spanMs;
    const y = PAD.top + ih * (1 - Math.min(value(p), yMax) / yMax);
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)} `;
    pen = true;
  }
  return d.trim();
}

function charts(results: ResultsSummary, p95Limits: Map<string, number>) {
  const { series } = results;
  const all = series.overall;
  if (all.length === 0) return null;
  const t0 = all[0]!.t;
  const spanMs = Math.max(series.bucketMs, all[all.length - 1]!.t + series.bucketMs - t0);
  const labels = Object.keys(series.labels);
  let peak = 0;
  for (const l of labels) for (const p of series.labels[l]!) peak = Math.max(peak, p.p95);
  for (const v of p95Limits.values()) peak = Math.max(peak, v);
  const yMax = niceMax(peak * 1.05);
  const ih = H - PAD.top - PAD.bottom;
  const lines = labels.map((label, i) => {
    const limit = p95Limits.get(label);
    return {
      label,
      color: COLORS[i % COLORS.length],
      d: linePath(series.labels[label]!, t0, spanMs, yMax, (p) => p.p95),
      limitY:
        limit === undefined ? null : (PAD.top + ih * (1 - Math.min(limit, yMax) / yMax)).toFixed(1),
      limitText: limit === undefined ? null : formatValue(limit, 'ms'),
    };
  });
  // Rates per second over the part of each bucket the run covered (the first and last buckets
  // are partial: dividing by the full width would draw a false drop at the end).
  const { firstStartMs, lastEndMs } = results.overall;
  const covered = (p: SeriesPoint) =>
    Math.max(1, Math.min(p.t + series.bucketMs, lastEndMs) - Math.max(p.t, firstStartMs)) / 1000;
  const rate = (p: SeriesPoint) => p.count / covered(p);
  const errRate = (p: SeriesPoint) => p.errors / covered(p);
  const rMax = niceMax(Math.max(...all.map(rate)) * 1.05);
  const eMax = niceMax(Math.max(...all.map(errRate)) * 1.05);
  const iw = W - PAD.left - PAD.right;
  const barW = Math.max(1, (iw * series.bucketMs) / spanMs - 1);
  const errorBars = all
    .filter((p) => p.errors > 0)
    .map((p) => {
      const h = (ih * Math.min(errRate(p), eMax)) / eMax;
      return {
        x: (PAD.left + (iw * (p.t - t0)) / spanMs).toFixed(1),
        y: (PAD.top + ih - h).toFixed(1),
        w: barW.toFixed(1),
        h: Math.max(1, h).toFixed(1),
      };
    });
  return {
    width: W,
    height: H,
    plot: { x: PAD.left, y: PAD.top, w: iw, h: ih, bottom: PAD.top + ih, right: W - PAD.right },
    bucketText: formatValue(series.bucketMs, 'ms'),
    latency: { lines, y: yAxis(yMax, ' ms'), x: xAxis(spanMs) },
    throughput: {
      d: linePath(all, t0, spanMs, rMax, rate),
      errorBars,
      y: yAxis(rMax, '/s'),
      errorsY: yAxis(eMax, '/s').ticks.map((t) => ({ ...t, x: W - PAD.right })),
      x: xAxis(spanMs),
    },
  };
}

let compiled: Handlebars.TemplateDelegate | null = null;

export function reportHtml(report: GateReport, results: ResultsSummary): string {
  compiled ??= Handlebars.create().compile(REPORT_TEMPLATE, { strict: false });
  const p95Limits = new Map<string, number>();
  for (const c of report.checks) {
    if (c.kind === 'absolute' && c.metric === 'p95' && c.scope !== 'overall') {
      const m = /([\d.]+)\s*(ms|s)\s*$/.exec(c.limit);
      if (m) p95Limits.set(c.scope, Number(m[1]) * (m[2] === 's' ? 1000 : 1));
    }
  }
  const s = report.summary;
  const row = (c: Check) => ({
    ...c,
    mark: MARK[c.status],
    observedText: formatValue(c.observed, c.unit),
    metricText: c.kind === 'regression' ? `${c.metric} vs baseline` : c.metric,
  });
  const failed = report.checks.filter((c) => c.status === 'fail');
  const passed = report.checks.filter((c) => c.status === 'pass');
  const skipped = report.checks.filter((c) => c.status === 'skip');
  const labelRows = [...Object.entries(s.labels), ['overall', s.overall] as const].map(
    ([name, st]) => ({
      name,
      overall: name === 'overall',
      count: st.count,
      errors: formatValue(st.errorPct, '%'),
      throughput: formatValue(st.throughputRps, '/s'),
      mean: formatValue(Math.round(st.mean * 10) / 10, 'ms'),
      p50: formatValue(st.p50, 'ms'),
      p90: formatValue(st.p90, 'ms'),
      p95: formatValue(st.p95, 'ms'),
      p99: formatValue(st.p99, 'ms'),
      max: formatValue(st.max, 'ms'),
    }),
  );
  return compiled({
    pass: report.verdict === 'pass',
    verdict: report.verdict.toUpperCase(),
    failed: failed.length,
    total: report.checks.length,
    createdAt: s.createdAt,
    run: s.run,
    samples: s.samples,
    duration: (s.window.durationMs / 1000).toFixed(1),
    // Failures first (what the reader came for), then passes; skipped checks fold away.
    checks: [...failed, ...passed].map(row),
    skipped: skipped.map(row),
    notes: report.notes,
    labels: labelRows,
    chart: charts(results, p95Limits),
  });
}
