// summary.json: what one gate run measured, and the baseline format of the next gate. When a
// release reaches production its summary is promoted to .lab/baselines/<env>.json (atomically:
// temp file + rename), and `lab gate --baseline auto` compares against it.
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ExitCode, LabError } from '../errors.js';
import { readUserFile } from '../files.js';
import { ensureDir, statePaths } from '../state.js';
import type { LabelStats } from './stats.js';

export const SUMMARY_SCHEMA = 'lab-gate-summary/1';

export interface GateSummary {
  schema: typeof SUMMARY_SCHEMA;
  createdAt: string;
  verdict: 'pass' | 'fail';
  run: {
    results: string;
    thresholds: string;
    baseline: string | null;
    env: string | null;
    release: string | null;
  };
  samples: number;
  window: { startMs: number; endMs: number; durationMs: number };
  overall: LabelStats;
  labels: Record<string, LabelStats>;
}

const statsSchema = z.object({
  count: z.number().int().min(0),
  errors: z.number().int().min(0),
  errorPct: z.number().min(0).max(100),
  throughputRps: z.number().min(0),
  mean: z.number().min(0),
  min: z.number().min(0),
  max: z.number().min(0),
  p50: z.number().min(0),
  p90: z.number().min(0),
  p95: z.number().min(0),
  p99: z.number().min(0),
  firstStartMs: z.number(),
  lastEndMs: z.number(),
});
const summarySchema = z.object({
  schema: z.literal(SUMMARY_SCHEMA),
  createdAt: z.string(),
  verdict: z.enum(['pass', 'fail']),
  run: z.object({
    results: z.string(),
    thresholds: z.string(),
    baseline: z.string().nullable(),
    env: z.string().nullable(),
    release: z.string().nullable(),
  }),
  samples: z.number().int().min(0),
  window: z.object({ startMs: z.number(), endMs: z.number(), durationMs: z.number() }),
  overall: statsSchema,
  labels: z.record(z.string(), statsSchema),
});

/** Reads and validates a summary (a baseline). Missing or corrupt → LabError(INVALID_INPUT). */
export function readSummary(file: string, what = 'baseline'): GateSummary {
  const text = readUserFile(
    file,
    `${what} summary`,
    what === 'baseline'
      ? 'pass a summary.json written by an earlier gate, `--baseline auto` for the promoted one, or no --baseline to skip relative checks'
      : 'pass the summary.json written by a gate run (in its --out folder)',
  );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `${what} summary ${file} is not valid JSON: ${(e as Error).message}`,
      'it must be a summary.json written by `lab gate`',
    );
  }
  const parsed = summarySchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.map(String).join('.') || '(top level)';
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `${what} summary ${file} is not a gate summary (${SUMMARY_SCHEMA}): ${where}: ${issue.message}`,
      'it must be a summary.json written by `lab gate`',
    );
  }
  return parsed.data as GateSummary;
}

/** Writes a file atomically: a temp file beside it, then rename (readers never see half). */
export function writeAtomic(file: string, text: string, mode = 0o644): void {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`,
  );
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

export const baselineFile = (env: string, paths = statePaths()): string =>
  path.join(paths.baselines, `${env}.json`);

const ENV_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export function checkEnvName(env: string, flag = '--env'): string {
  if (!ENV_RE.test(env)) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `${flag} ${JSON.stringify(env)} is not an environment name`,
      'use letters, digits, ., _ and - (like production)',
    );
  }
  return env;
}

/**
 * Stores a passing run's summary as the baseline of `env` (.lab/baselines/<env>.json).
 * Refuses a failed gate's summary: a regression must never become the reference.
 */
export function promoteBaseline(summaryFile: string, env: string, paths = statePaths()): string {
  checkEnvName(env);
  const summary = readSummary(summaryFile, 'promoted');
  if (summary.verdict !== 'pass') {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `${summaryFile} is the summary of a FAILED gate: it cannot become the ${env} baseline`,
      'promote the summary of the release that passed the gate and reached production',
    );
  }
  const target = baselineFile(env, paths);
  ensureDir(paths.baselines);
  writeAtomic(target, `${JSON.stringify(summary, null, 2)}\n`);
  return target;
}

/**
 * Resolves --baseline: undefined → none; 'auto' → the promoted baseline of env when it exists
 * (else none, with a note); a path → that file (it must exist and be valid).
 */
export function resolveBaseline(
  baseline: string | undefined,
  env = 'production',
  paths = statePaths(),
): { file: string | null; note: string | null } {
  if (baseline === undefined)
    return { file: null, note: 'no --baseline given: relative (regression) checks skipped' };
  if (baseline === 'auto') {
    const file = baselineFile(checkEnvName(env, '--baseline-env'), paths);
    return existsSync(file)
      ? { file, note: null }
      : {
          file: null,
          note: `--baseline auto: no ${env} baseline yet (${file}): relative checks skipped`,
        };
  }
  return { file: baseline, note: null };
}

/** The newest summary.json under the run folders (for `--promote-baseline` without --summary). */
export function latestSummary(paths = statePaths()): string | null {
  if (!existsSync(paths.runs)) return null;
  const runs = readdirSync(paths.runs).sort().reverse();
  for (const run of runs) {
    const file = path.join(paths.runs, run, 'summary.json');
    if (existsSync(file)) return file;
  }
  return null;
}
