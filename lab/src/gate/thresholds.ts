// The thresholds file (jmeter/thresholds.yml): YAML, validated by zod (unknown keys rejected),
// each limit parsed by a small grammar so that a typo gets a precise message with its path and
// line ("labels.search_catalog.p95 (line 12): '< 3OOms' is not a duration limit like '< 300ms'").
//
//   version: 1
//   min_samples: 200               # every scope below needs at least this many samples
//   overall:   { errors: "< 1%", throughput: "> 50/s" }
//   labels:
//     search_catalog: { p95: "< 300ms", p99: "< 1s", errors: "< 1%", min_samples: 100 }
//   regression:                    # against the baseline summary (last stable release)
//     p95: "+20%"                  # may grow at most 20% (p50/p90/p95/p99/mean/max)
//     errors: "+1pp"               # error % may rise at most 1 percentage point
//     throughput: "-20%"           # may drop at most 20%
//
// Absolute metrics: p50 p90 p95 p99 mean max ("< 300ms", "<= 1.5s"), errors ("< 1%"),
// throughput ("> 50/s", ">= 600/min"). `regression` at the top applies to `overall` and to
// every label listed; a scope's own `regression` overrides it metric by metric ("off" disables).
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { ExitCode, LabError } from '../errors.js';
import { readUserFile } from '../files.js';

export const LATENCY_METRICS = ['p50', 'p90', 'p95', 'p99', 'mean', 'max'] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];
export type Metric = LatencyMetric | 'errors' | 'throughput';
export const METRICS: readonly Metric[] = [...LATENCY_METRICS, 'errors', 'throughput'];

export type Op = '<' | '<=' | '>' | '>=';

/** An absolute limit. value is in ms (latency), percent (errors) or samples/s (throughput). */
export interface AbsoluteLimit {
  metric: Metric;
  op: Op;
  value: number;
  /** As written, for tables and messages. */
  text: string;
}

/**
 * A limit relative to the baseline. Latency: at most +value% over the baseline. errors: at most
 * +value percentage points. throughput: at most -value% under the baseline.
 */
export interface RelativeLimit {
  metric: Metric;
  value: number;
  text: string;
}

export interface Scope {
  /** 'overall' or a label. */
  name: string;
  isOverall: boolean;
  absolute: AbsoluteLimit[];
  minSamples: number;
  regression: RelativeLimit[];
}

export interface Thresholds {
  file: string;
  scopes: Scope[];
  /** Label names the file refers to (must all be present in the results). */
  labels: string[];
  hasRegression: boolean;
}

export const DEFAULT_MIN_SAMPLES = 100;

const NUM = String.raw`(\d+(?:\.\d+)?)`;
const LIMIT_RE = new RegExp(String.raw`^\s*(<=|>=|<|>)\s*${NUM}\s*([a-z%/]*)\s*$`, 'i');

const EXAMPLE: Record<Metric, string> = {
  p50: "'< 300ms'",
  p90: "'< 300ms'",
  p95: "'< 300ms'",
  p99: "'< 1s'",
  mean: "'< 200ms'",
  max: "'< 5s'",
  errors: "'< 1%'",
  throughput: "'> 50/s'",
};
const REGRESSION_EXAMPLE: Record<Metric, string> = {
  p50: "'+20%'",
  p90: "'+20%'",
  p95: "'+20%'",
  p99: "'+20%'",
  mean: "'+20%'",
  max: "'+50%'",
  errors: "'+1pp'",
  throughput: "'-20%'",
};

const isLatency = (m: Metric): m is LatencyMetric =>
  (LATENCY_METRICS as readonly string[]).includes(m);
const kindOf = (m: Metric): string =>
  isLatency(m) ? 'a duration limit' : m === 'errors' ? 'an error-rate limit' : 'a throughput limit';

/** Parses one absolute limit; returns a message (string) when it is not valid. */
export function parseLimit(metric: Metric, raw: unknown): AbsoluteLimit | string {
  if (typeof raw === 'number')
    return `${raw} is a bare number: write the limit with its operator and unit, like ${EXAMPLE[metric]}`;
  if (typeof raw !== 'string') return `must be a limit like ${EXAMPLE[metric]}`;
  const bad = `'${raw}' is not ${kindOf(metric)} like ${EXAMPLE[metric]}`;
  const m = LIMIT_RE.exec(raw);
  if (!m) return bad;
  const op = m[1] as Op;
  const num = Number(m[2]);
  const unit = (m[3] ?? '').toLowerCase();
  const upper = op === '<' || op === '<=';
  if (isLatency(metric) || metric === 'errors') {
    if (!upper)
      return `'${raw}': ${metric} limits are upper bounds: use '<' or '<=' (like ${EXAMPLE[metric]})`;
  } else if (upper)
    return `'${raw}': throughput limits are lower bounds: use '>' or '>=' (like ${EXAMPLE[metric]})`;
  if (isLatency(metric)) {
    if (unit === 'ms') return { metric, op, value: num, text: raw.trim() };
    if (unit === 's') return { metric, op, value: num * 1000, text: raw.trim() };
    return unit === '' ? `'${raw}' has no unit: write ms or s (like ${EXAMPLE[metric]})` : bad;
  }
  if (metric === 'errors') {
    if (unit !== '%')
      return unit === ''
        ? `'${raw}' has no unit: error limits are percentages (like ${EXAMPLE.errors})`
        : bad;
    if (num > 100) return `'${raw}': an error rate cannot exceed 100%`;
    return { metric, op, value: num, text: raw.trim() };
  }
  if (unit === '/s') return { metric, op, value: num, text: raw.trim() };
  if (unit === '/min') return { metric, op, value: num / 60, text: raw.trim() };
  return unit === '' ? `'${raw}' has no unit: write /s or /min (like ${EXAMPLE.throughput})` : bad;
}

/** Parses one regression limit; 'off' → null (disabled); a string message when invalid. */
export function parseRegression(metric: Metric, raw: unknown): RelativeLimit | null | string {
  if (raw === 'off' || raw === false) return null;
  if (typeof raw !== 'string')
    return `must be a regression limit like ${REGRESSION_EXAMPLE[metric]} (or 'off')`;
  const text = raw.trim();
  const m = /^([+-])\s*(\d+(?:\.\d+)?)\s*(%|pp)$/i.exec(text);
  const bad = `'${raw}' is not a regression limit like ${REGRESSION_EXAMPLE[metric]}`;
  if (!m) return bad;
  const [, sign, num, unit] = m as unknown as [string, string, string, string];
  if (metric === 'errors') {
    if (sign !== '+' || unit.toLowerCase() !== 'pp') {
      return `'${raw}': an error-rate regression is an increase in percentage points, like ${REGRESSION_EXAMPLE.errors}`;
    }
  } else if (metric === 'throughput') {
    if (sign !== '-' || unit !== '%')
      return `'${raw}': a throughput regression is a drop in percent, like ${REGRESSION_EXAMPLE.throughput}`;
  } else if (sign !== '+' || unit !== '%') {
    return `'${raw}': a latency regression is a growth in percent, like ${REGRESSION_EXAMPLE[metric]}`;
  }
  return { metric, value: Number(num), text };
}

// Structure only; limits stay strings here and go through the grammar above.
const limitValue = z.union([z.string(), z.number()]).optional();
const regressionSchema = z.strictObject(
  Object.fromEntries(
    METRICS.map((m) => [m, z.union([z.string(), z.literal(false)]).optional()]),
  ) as Record<Metric, z.ZodOptional<z.ZodUnion<[z.ZodString, z.ZodLiteral<false>]>>>,
);
const scopeSchema = z.strictObject({
  ...(Object.fromEntries(METRICS.map((m) => [m, limitValue])) as Record<Metric, typeof limitValue>),
  min_samples: z.number().int().min(1).optional(),
  regression: regressionSchema.optional(),
});
const fileSchema = z.strictObject({
  version: z.literal(1).optional(),
  min_samples: z.number().int().min(1).optional(),
  overall: scopeSchema.optional(),
  labels: z.record(z.string().min(1), scopeSchema).optional(),
  regression: regressionSchema.optional(),
});
type ScopeInput = z.infer<typeof scopeSchema>;

const KNOWN_KEYS: Record<string, readonly string[]> = {
  top: ['version', 'min_samples', 'overall', 'labels', 'regression'],
  scope: [...METRICS, 'min_samples', 'regression'],
  regression: METRICS,
};

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...new Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return d[a.length]![b.length]!;
}

const suggest = (key: string, known: readonly string[]): string => {
  const best = known
    .map((k) => [k, distance(key.toLowerCase(), k)] as const)
    .sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 2 ? ` (did you mean '${best[0]}'?)` : '';
};

export interface ThresholdIssue {
  path: string;
  line?: number;
  message: string;
}

const fmtPath = (keys: readonly PropertyKey[]): string =>
  keys.reduce<string>(
    (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    '',
  ) || '(top level)';

function lineOf(
  doc: Document,
  lc: LineCounter,
  keys: readonly PropertyKey[],
  key?: string,
): number | undefined {
  const node = doc.getIn(keys as unknown[], true) as
    { range?: [number, number, number] } | undefined;
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
    const k = pair?.key as { range?: [number, number, number] } | undefined;
    if (k?.range) return lc.linePos(k.range[0]).line;
  }
  if (node?.range) return lc.linePos(node.range[0]).line;
  if (keys.length > 0) return lineOf(doc, lc, keys.slice(0, -1), String(keys[keys.length - 1]));
  return undefined;
}

/** Raised for any problem in the thresholds file: exit code 2, every problem listed. */
export class ThresholdsError extends LabError {
  constructor(
    readonly file: string,
    readonly issues: ThresholdIssue[],
  ) {
    const fmt = (i: ThresholdIssue) =>
      `${i.path}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`;
    super(
      ExitCode.INVALID_INPUT,
      issues.length === 1
        ? `${file}: ${fmt(issues[0]!)}`
        : `${file}: ${issues.length} problems in the thresholds`,
      'fix the thresholds file (format: README "Thresholds and the gate"); the gate judged nothing',
      issues.length === 1 ? [] : issues.map(fmt),
    );
  }
}

/** Reads, validates and parses a thresholds file. Every problem is reported at once. */
export function loadThresholds(file: string): Thresholds {
  const text = readUserFile(
    file,
    'thresholds file',
    'the default is jmeter/thresholds.yml in the lab repository',
  );
  return parseThresholds(text, file);
}

export function parseThresholds(text: string, file: string): Thresholds {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ThresholdsError(
      file,
      doc.errors.map((err) => ({
        path: '(yaml)',
        line: lc.linePos(err.pos[0]).line,
        message: `invalid YAML: ${err.message.split('\n')[0]}`,
      })),
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined)
    throw new ThresholdsError(file, [{ path: '(file)', message: 'is empty' }]);
  const parsed = fileSchema.safeParse(raw);
  const issues: ThresholdIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const p = issue.path;
      if (issue.code === 'unrecognized_keys') {
        const ctx =
          p.length === 0 ? 'top' : p[p.length - 1] === 'regression' ? 'regression' : 'scope';
        for (const key of issue.keys) {
          issues.push({
            path: fmtPath([...p, key]),
            line: lineOf(doc, lc, p, key),
            message:
              ctx === 'top'
                ? `unknown key${suggest(key, KNOWN_KEYS.top!)}; known: ${KNOWN_KEYS.top!.join(', ')}`
                : `unknown ${ctx === 'regression' ? 'regression metric' : 'metric'}${suggest(key, KNOWN_KEYS[ctx]!)}; known: ${KNOWN_KEYS[ctx]!.join(', ')}`,
          });
        }
        continue;
      }
      const last = p[p.length - 1];
      let message = issue.message;
      if (last === 'min_samples')
        message = 'must be a whole number of samples, at least 1 (like 200)';
      else if (last === 'version') message = 'must be 1';
      else if (issue.code === 'invalid_type' && issue.expected === 'object')
        message = 'must be a mapping';
      else if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
        const metric = METRICS.find((m) => m === last);
        if (metric) {
          message = p.includes('regression')
            ? `must be a regression limit like ${REGRESSION_EXAMPLE[metric]} (or 'off')`
            : `must be a limit like ${EXAMPLE[metric]}`;
        }
      }
      issues.push({ path: fmtPath(p), line: lineOf(doc, lc, p), message });
    }
    throw new ThresholdsError(file, issues);
  }
  const data = parsed.data;
  const defaultMin = data.min_samples ?? DEFAULT_MIN_SAMPLES;

  const regressionOf = (
    input: ScopeInput['regression'],
    base: readonly PropertyKey[],
  ): Map<Metric, RelativeLimit | null> => {
    const out = new Map<Metric, RelativeLimit | null>();
    for (const metric of METRICS) {
      const v = input?.[metric];
      if (v === undefined) continue;
      const r = parseRegression(metric, v);
      if (typeof r === 'string')
        issues.push({
          path: fmtPath([...base, metric]),
          line: lineOf(doc, lc, [...base, metric]),
          message: r,
        });
      else out.set(metric, r);
    }
    return out;
  };
  const defaults = regressionOf(data.regression, ['regression']);

  const scope = (
    name: string,
    isOverall: boolean,
    input: ScopeInput,
    base: readonly PropertyKey[],
  ): Scope => {
    const absolute: AbsoluteLimit[] = [];
    for (const metric of METRICS) {
      const v = input[metric];
      if (v === undefined) continue;
      const r = parseLimit(metric, v);
      if (typeof r === 'string')
        issues.push({
          path: fmtPath([...base, metric]),
          line: lineOf(doc, lc, [...base, metric]),
          message: r,
        });
      else absolute.push(r);
    }
    const own = regressionOf(input.regression, [...base, 'regression']);
    const merged = new Map(defaults);
    for (const [m, r] of own) merged.set(m, r);
    const regression = METRICS.flatMap((m) => {
      const r = merged.get(m);
      return r ? [r] : [];
    });
    return { name, isOverall, absolute, minSamples: input.min_samples ?? defaultMin, regression };
  };

  const scopes: Scope[] = [];
  if (data.overall) scopes.push(scope('overall', true, data.overall, ['overall']));
  else if (defaults.size > 0) scopes.push(scope('overall', true, {}, ['overall']));
  for (const [label, input] of Object.entries(data.labels ?? {}))
    scopes.push(scope(label, false, input, ['labels', label]));
  if (issues.length > 0) throw new ThresholdsError(file, issues);
  if (scopes.every((s) => s.absolute.length === 0 && s.regression.length === 0)) {
    throw new ThresholdsError(file, [
      {
        path: '(file)',
        message: 'sets no limit at all: a gate without limits would pass anything',
      },
    ]);
  }
  return {
    file,
    scopes,
    labels: Object.keys(data.labels ?? {}),
    hasRegression: scopes.some((s) => s.regression.length > 0),
  };
}
