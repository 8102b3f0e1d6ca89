// Judges a results summary against the thresholds (and the baseline): one check per limit,
// plus one minimum-samples check per scope. Fails closed: a label the thresholds name but the
// results lack is invalid input (exit 2), too few samples is a failing check.
import { ExitCode, LabError } from '../errors.js';
import type { ResultsSummary } from './jtl.js';
import type { LabelStats } from './stats.js';
import type { GateSummary } from './summary.js';
import type { Metric, Op, Thresholds } from './thresholds.js';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface Check {
  /** Stable id, e.g. "search_catalog.p95" or "overall.regression.p95". */
  id: string;
  scope: string;
  metric: Metric | 'samples';
  kind: 'absolute' | 'regression' | 'samples';
  status: CheckStatus;
  /** Observed value in `unit` (null when skipped for lack of data). */
  observed: number | null;
  /** The limit as the table shows it, e.g. "< 300 ms" or "≤ 312 ms (+20% of 260 ms)". */
  limit: string;
  unit: 'ms' | '%' | '/s' | 'samples';
  /** One sentence: why it passed, failed or was skipped. */
  message: string;
}

const UNIT: Record<Metric, Check['unit']> = {
  p50: 'ms',
  p90: 'ms',
  p95: 'ms',
  p99: 'ms',
  mean: 'ms',
  max: 'ms',
  errors: '%',
  throughput: '/s',
};

const observedOf = (s: LabelStats, m: Metric): number =>
  m === 'errors' ? s.errorPct : m === 'throughput' ? s.throughputRps : s[m];

export function formatValue(v: number | null, unit: Check['unit']): string {
  if (v === null) return '—';
  switch (unit) {
    case 'ms':
      return v >= 10_000
        ? `${(v / 1000).toFixed(2)} s`
        : `${Number.isInteger(v) ? v : v.toFixed(1)} ms`;
    case '%':
      return `${v < 10 ? v.toFixed(2) : v.toFixed(1)}%`;
    case '/s':
      return `${v.toFixed(1)}/s`;
    case 'samples':
      return String(v);
  }
}

const OPS: Record<Op, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};
const SYMBOL: Record<Op, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

/** Thresholds name labels the results lack → invalid input, listing what is present. */
export function checkLabelsPresent(thresholds: Thresholds, results: ResultsSummary): void {
  const present = Object.keys(results.labels);
  const missing = thresholds.labels.filter((l) => !(l in results.labels));
  if (missing.length === 0) return;
  const list = present.map((l) => `${l} (${results.labels[l]!.count})`).join(', ');
  throw new LabError(
    ExitCode.INVALID_INPUT,
    `${thresholds.file} names label${missing.length > 1 ? 's' : ''} ${missing.map((l) => `'${l}'`).join(', ')} but ${results.file} has no sample with ${missing.length > 1 ? 'those labels' : 'that label'}; labels present: ${list}`,
    'fix the label name in the thresholds, or the sampler name in the plan (labels are case-sensitive); a missing label is never a pass',
  );
}

export function evaluate(
  thresholds: Thresholds,
  results: ResultsSummary,
  baseline: GateSummary | null,
  baselineNote: string | null,
): Check[] {
  checkLabelsPresent(thresholds, results);
  const checks: Check[] = [];
  for (const scope of thresholds.scopes) {
    const stats = scope.isOverall ? results.overall : results.labels[scope.name]!;
    const few = stats.count < scope.minSamples;
    checks.push({
      id: `${scope.name}.samples`,
      scope: scope.name,
      metric: 'samples',
      kind: 'samples',
      status: few ? 'fail' : 'pass',
      observed: stats.count,
      limit: `≥ ${scope.minSamples}`,
      unit: 'samples',
      message: few
        ? `${stats.count} samples, fewer than the ${scope.minSamples} needed to judge ${scope.name}: the run was too short or the label too rare`
        : `${stats.count} samples (at least ${scope.minSamples})`,
    });
    for (const limit of scope.absolute) {
      const unit = UNIT[limit.metric];
      const observed = observedOf(stats, limit.metric);
      const ok = OPS[limit.op](observed, limit.value);
      const shown = limit.text.replace(/^\s*(<=|>=|<|>)\s*/, (_m, op: Op) => `${SYMBOL[op]} `);
      checks.push({
        id: `${scope.name}.${limit.metric}`,
        scope: scope.name,
        metric: limit.metric,
        kind: 'absolute',
        status: ok ? 'pass' : 'fail',
        observed,
        limit: shown,
        unit,
        message: `${scope.name} ${limit.metric} ${formatValue(observed, unit)} ${ok ? 'within' : 'breaks'} the limit ${shown}`,
      });
    }
    for (const rel of scope.regression) {
      const unit = UNIT[rel.metric];
      const observed = observedOf(stats, rel.metric);
      const id = `${scope.name}.regression.${rel.metric}`;
      const base = baseline
        ? scope.isOverall
          ? baseline.overall
          : baseline.labels[scope.name]
        : undefined;
      if (!base) {
        const why = baseline
          ? `the baseline has no ${scope.name} label (new label?): regression check skipped`
          : (baselineNote ?? 'no baseline: regression check skipped');
        checks.push({
          id,
          scope: scope.name,
          metric: rel.metric,
          kind: 'regression',
          status: 'skip',
          observed,
          limit: rel.text,
          unit,
          message: why,
        });
        continue;
      }
      const was = observedOf(base, rel.metric);
      let bound: number;
      let ok: boolean;
      let shown: string;
      if (rel.metric === 'errors') {
        bound = was + rel.value;
        ok = observed <= bound;
        shown = `≤ ${formatValue(bound, unit)} (${rel.text} over ${formatValue(was, unit)})`;
      } else if (rel.metric === 'throughput') {
        bound = was * (1 - rel.value / 100);
        ok = observed >= bound;
        shown = `≥ ${formatValue(bound, unit)} (${rel.text} of ${formatValue(was, unit)})`;
      } else {
        bound = was * (1 + rel.value / 100);
        ok = observed <= bound;
        shown = `≤ ${formatValue(Math.round(bound * 10) / 10, unit)} (${rel.text} over ${formatValue(was, unit)})`;
      }
      checks.push({
        id,
        scope: scope.name,
        metric: rel.metric,
        kind: 'regression',
        status: ok ? 'pass' : 'fail',
        observed,
        limit: shown,
        unit,
        message: `${scope.name} ${rel.metric} ${formatValue(observed, unit)} vs baseline ${formatValue(was, unit)}: ${ok ? 'within' : 'regressed beyond'} ${rel.text}`,
      });
    }
  }
  return checks;
}
