// The performance gate: JTL + thresholds (+ baseline) → verdict and reports.
//
// Public API (stable; `lab gate` and `lab loadtest` both call it in-process):
//
//   runGate(opts: GateOptions): Promise<GateReport>
//     opts.results     JTL file (JMeter CSV with header)
//     opts.thresholds  thresholds YAML (jmeter/thresholds.yml)
//     opts.baseline?   summary.json of the last stable release, or 'auto' for
//                      .lab/baselines/<baselineEnv ?? 'production'>.json when it exists;
//                      absent → relative checks are skipped with a visible note
//     opts.outDir      where junit.xml, summary.json and report.html are written (created)
//     opts.pushgateway? { url, env, release }: push the verdict and key figures
//     opts.env?, opts.release?  run metadata recorded in summary.json (default: pushgateway's)
//   → GateReport { verdict 'pass'|'fail', exitCode 0|1, checks[], summary, notes[], outputs, push? }
//   Invalid input (missing/empty/corrupt JTL, bad thresholds, unknown label, unreadable
//   baseline) throws LabError(ExitCode.INVALID_INPUT = 2) with the file and line in its message.
//   A Pushgateway failure does not change the verdict: report.push.error and a note say so.
//
//   formatVerdict(report): the one-screen table to print.
//   summarizeJtl(file): the streaming summarizer alone.
//   promoteBaseline(summaryFile, env): store a passing summary as .lab/baselines/<env>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, LabError } from '../errors.js';
import { evaluate, type Check } from './evaluate.js';
import { summarizeJtl, type ResultsSummary } from './jtl.js';
import { pushGate, type PushTarget } from './pushgateway.js';
import { junitXml, reportHtml } from './render.js';
import {
  readSummary,
  resolveBaseline,
  SUMMARY_SCHEMA,
  writeAtomic,
  type GateSummary,
} from './summary.js';
import { loadThresholds } from './thresholds.js';

export { formatVerdict, junitXml, reportHtml } from './render.js';
export { summarizeJtl, JtlParser, type ResultsSummary } from './jtl.js';
export {
  promoteBaseline,
  readSummary,
  resolveBaseline,
  baselineFile,
  latestSummary,
  type GateSummary,
} from './summary.js';
export { loadThresholds, parseThresholds, type Thresholds } from './thresholds.js';
export { evaluate, formatValue, type Check } from './evaluate.js';
export { exposition, pushGate, type PushTarget } from './pushgateway.js';

export interface GateOptions {
  results: string;
  thresholds: string;
  baseline?: string;
  /** Which promoted baseline `baseline: 'auto'` means (default production). */
  baselineEnv?: string;
  outDir: string;
  pushgateway?: PushTarget;
  env?: string;
  release?: string;
  /** For tests: the run's clock. */
  now?: Date;
}

export interface GateReport {
  verdict: 'pass' | 'fail';
  exitCode: 0 | 1;
  checks: Check[];
  summary: GateSummary;
  /** Things the user must see: skipped relative checks, a failed push... */
  notes: string[];
  outputs: { dir: string; junit: string; summary: string; html: string };
  push?: { url: string; ok: boolean; error?: string };
}

export async function runGate(opts: GateOptions): Promise<GateReport> {
  // Cheap inputs first: a typo in the thresholds fails before a 1 GB JTL is read.
  const thresholds = loadThresholds(opts.thresholds);
  const notes: string[] = [];
  const { file: baselineFile, note } = resolveBaseline(opts.baseline, opts.baselineEnv);
  const baseline = baselineFile ? readSummary(baselineFile) : null;
  if (thresholds.hasRegression && note) notes.push(note);
  if (baseline && !thresholds.hasRegression)
    notes.push('a baseline was given but the thresholds set no regression limit');

  const results: ResultsSummary = await summarizeJtl(opts.results);
  const checks = evaluate(thresholds, results, baseline, note);
  const failed = checks.some((c) => c.status === 'fail');
  const verdict = failed ? 'fail' : 'pass';
  const unjudged = Object.keys(results.labels).filter((l) => !thresholds.labels.includes(l));
  if (unjudged.length > 0 && thresholds.labels.length > 0) {
    notes.push(
      `labels without limits of their own (judged only in overall): ${unjudged.join(', ')}`,
    );
  }

  const now = opts.now ?? new Date();
  const summary: GateSummary = {
    schema: SUMMARY_SCHEMA,
    createdAt: now.toISOString(),
    verdict,
    run: {
      results: path.resolve(opts.results),
      thresholds: path.resolve(opts.thresholds),
      baseline: baselineFile ? path.resolve(baselineFile) : null,
      env: opts.env ?? opts.pushgateway?.env ?? null,
      release: opts.release ?? opts.pushgateway?.release ?? null,
    },
    samples: results.samples,
    window: {
      startMs: results.overall.firstStartMs,
      endMs: results.overall.lastEndMs,
      durationMs: results.overall.lastEndMs - results.overall.firstStartMs,
    },
    overall: results.overall,
    labels: results.labels,
  };

  const dir = path.resolve(opts.outDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `cannot create the output folder ${dir}: ${(e as NodeJS.ErrnoException).code}`,
      'pass a writable --out folder',
    );
  }
  const outputs = {
    dir,
    junit: path.join(dir, 'junit.xml'),
    summary: path.join(dir, 'summary.json'),
    html: path.join(dir, 'report.html'),
  };
  const report: GateReport = {
    verdict,
    exitCode: failed ? ExitCode.FAILED : ExitCode.OK,
    checks,
    summary,
    notes,
    outputs,
  };

  if (opts.pushgateway) {
    try {
      const url = await pushGate(opts.pushgateway, summary);
      report.push = { url, ok: true };
    } catch (e) {
      if (e instanceof LabError && e.code === ExitCode.INVALID_INPUT) throw e;
      const message = (e as Error).message;
      report.push = { url: opts.pushgateway.url, ok: false, error: message };
      notes.push(`${message} (the verdict stands)`);
    }
  }

  writeFileSync(outputs.junit, junitXml(report));
  writeAtomic(outputs.summary, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(outputs.html, reportHtml(report, results));
  return report;
}
