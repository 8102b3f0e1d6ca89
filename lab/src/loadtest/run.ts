// One load test: resolve the plan and its properties, run JMeter non-GUI under a hard timeout
// with live progress, check that it really produced samples, summarise them, and hand the JTL to
// the gate (when asked). Everything lands in a new run folder (.lab/runs/<stamp>-loadtest/).
import dgram from 'node:dgram';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, LabError } from '../errors.js';
import type { Exec, RunResult } from '../exec/index.js';
import { formatCommand, tail } from '../exec/index.js';
import { summarizeJtl } from '../gate/jtl.js';
import type { LabelStats } from '../gate/stats.js';
import { log } from '../output/log.js';
import { newRunDir, repoRoot } from '../state.js';
import { buildJMeterArgs } from './jmeter.js';
import { planProperties, planSchedule, resolvePlan } from './plans.js';
import { ProgressTracker, type ProgressSnapshot } from './progress.js';
import { inspectJtl, logTail } from './results.js';
import { checkReachable, targetUrl, type Target } from './target.js';

export const JTL_NAME = 'results.jtl';
export const LOG_NAME = 'jmeter.log';
export const STDOUT_NAME = 'jmeter-stdout.log';
export const RESULT_NAME = 'loadtest.json';

/** Seconds added to the plan's schedule before JMeter is stopped: JVM start, last samples. */
export function timeoutMargin(scheduleSeconds: number): number {
  return Math.max(60, Math.ceil(scheduleSeconds * 0.25));
}
/** Used when the plan's schedule cannot be computed (no scheduler, non-literal settings). */
export const UNKNOWN_SCHEDULE_TIMEOUT_S = 60 * 60;

export interface LoadTestOptions {
  /** Plan name (jmeter/plans/<name>.jmx) or a path to a .jmx file. */
  plan: string;
  target: Target;
  /** Plan properties from the user (-J, --threads, --duration): they win over the target's. */
  properties?: Readonly<Record<string, string>>;
  /** JMeter command ($LAB_JMETER or jmeter). */
  jmeter: string;
  /** Hard timeout override, in seconds. */
  timeoutSeconds?: number;
  /** Run folder (default: a new .lab/runs/<stamp>-loadtest). */
  runDir?: string;
  onProgress?: (p: ProgressSnapshot, reason: 'tick' | 'update') => void;
  /** Progress ticks (ms); the summariser interval follows the schedule. */
  tickMs?: number;
  /** The result of preparePlan when the caller has already validated the input with it. */
  prepared?: PreparedPlan;
  /** Judges the JTL once JMeter is done (the gate); its result is returned as `gate`. */
  gate?: (jtl: string, runDir: string) => Promise<unknown>;
}

export interface LoadTestDeps {
  exec: Exec;
  now?: () => number;
  reachable?: (t: Target) => Promise<void>;
}

export interface LoadTestResult<G = unknown> {
  plan: { name: string; file: string };
  target: { name: string; url: string };
  runDir: string;
  files: { jtl: string; log: string; stdout: string; result: string };
  command: string;
  properties: Record<string, string>;
  scheduledSeconds: number | null;
  timeoutSeconds: number;
  jmeterExitCode: number;
  durationMs: number;
  /** From starting the JMeter command to its "Starting the test" line (JVM + plan load). */
  startupMs: number | null;
  samples: number;
  overall: LabelStats;
  labels: Record<string, LabelStats>;
  gate: G | null;
}

/** Resolves the plan, its properties and schedule; throws LabError on bad input. Pure but for reading the plan. */
export function preparePlan(
  options: Pick<LoadTestOptions, 'plan' | 'target' | 'properties' | 'timeoutSeconds'>,
) {
  const plan = resolvePlan(options.plan);
  const declared = planProperties(plan.text);
  const properties: Record<string, string> = {
    host: options.target.host,
    port: String(options.target.port),
    protocol: options.target.protocol,
  };
  if (declared.has('data_file')) {
    properties.data_file = path.join(repoRoot(), 'jmeter', 'data', 'baseline.csv');
  }
  for (const [k, v] of Object.entries(options.properties ?? {})) properties[k] = v;
  if (properties.data_file !== undefined && declared.has('data_file')) {
    properties.data_file = path.resolve(properties.data_file);
    if (!existsFile(properties.data_file)) {
      throw new LabError(
        ExitCode.INVALID_INPUT,
        `data file ${properties.data_file} does not exist`,
        'pass an existing CSV with -J data_file=FILE (columns: see jmeter/data/baseline.csv)',
      );
    }
  }
  for (const key of ['threads', 'duration', 'rampup', 'think_time'] as const) {
    const v = properties[key];
    if (v !== undefined && !/^\d+$/.test(v)) {
      throw new LabError(
        ExitCode.INVALID_INPUT,
        `${key}=${v}: must be a whole number`,
        `for example -J ${key}=10`,
      );
    }
  }
  const schedule = planSchedule(plan.text, properties);
  const scheduledSeconds = schedule?.seconds ?? null;
  const timeoutSeconds =
    options.timeoutSeconds ??
    (scheduledSeconds !== null
      ? scheduledSeconds + timeoutMargin(scheduledSeconds)
      : UNKNOWN_SCHEDULE_TIMEOUT_S);
  return { plan, properties, scheduledSeconds, timeoutSeconds };
}

export type PreparedPlan = ReturnType<typeof preparePlan>;

const existsFile = (file: string): boolean => existsSync(file) && statSync(file).isFile();

/** A precise hint for failures whose cause is known from jmeter.log. */
export function knownProblemHint(logFile: string): string | null {
  const text = logTail(logFile, 50).join('\n');
  if (/ForbiddenClassException/.test(text)) {
    return "this JMeter's XStream refuses to load plans (Debian's JMeter 2.13 does): install Apache JMeter 5.6 (the lab's runner has it), or for tests set LAB_JMETER=jmeter/launcher/jmeter-debian.sh";
  }
  if (/CannotResolveClassException|ConversionException/.test(text)) {
    return 'the plan uses an element this JMeter does not know (a plugin, or a newer version): check jmeter.log for its name';
  }
  return null;
}

/** Asks JMeter to stop its test now (its non-GUI UDP control port), so that the JTL is complete. */
function sendStopTestNow(port: number): void {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => socket.close()); // best effort: the hard timeout follows anyway
  socket.send(Buffer.from('StopTestNow'), port, '127.0.0.1', () => socket.close());
}

export async function runLoadTest<G = unknown>(
  options: LoadTestOptions,
  deps: LoadTestDeps,
): Promise<LoadTestResult<G>> {
  const now = deps.now ?? Date.now;
  const { plan, properties, scheduledSeconds, timeoutSeconds } =
    options.prepared ?? preparePlan(options);
  await (deps.reachable ?? checkReachable)(options.target);

  const runDir = options.runDir ?? newRunDir('loadtest');
  const files = {
    jtl: path.join(runDir, JTL_NAME),
    log: path.join(runDir, LOG_NAME),
    stdout: path.join(runDir, STDOUT_NAME),
    result: path.join(runDir, RESULT_NAME),
  };
  const summaryIntervalSeconds = scheduledSeconds !== null && scheduledSeconds <= 30 ? 2 : 5;
  const args = buildJMeterArgs({
    plan: plan.file,
    jtl: files.jtl,
    log: files.log,
    properties,
    summaryIntervalSeconds,
  });
  const command = formatCommand(options.jmeter, args);
  log.info(`loadtest: ${command}`);

  const startedAt = now();
  const tracker = new ProgressTracker(startedAt, scheduledSeconds);
  let startupMs: number | null = null;
  let controlPort: number | null = null;
  let stoppedEarly = false;
  const stdoutTail: string[] = [];
  const onLine = (line: string) => {
    stdoutTail.push(line);
    if (stdoutTail.length > 200) stdoutTail.shift();
    const port = /Waiting for possible .*message on port (\d+)/.exec(line);
    if (port) controlPort = Number(port[1]);
    const wasStarted = tracker.snapshot().testStarted;
    if (tracker.feed(line)) {
      if (!wasStarted && startupMs === null) startupMs = now() - startedAt;
      options.onProgress?.(tracker.snapshot(now()), 'update');
    }
  };
  const ticker = options.onProgress
    ? setInterval(
        () => options.onProgress?.(tracker.snapshot(now()), 'tick'),
        options.tickMs ?? 1000,
      )
    : null;
  ticker?.unref();
  // A soft stop half-way through the margin keeps the JTL whole; the hard timeout follows.
  const softStopMs = (timeoutSeconds - Math.min(30, Math.floor(timeoutSeconds / 4))) * 1000;
  const softStop = setTimeout(() => {
    if (controlPort !== null) {
      stoppedEarly = true;
      log.warn(
        `JMeter overran its schedule; asking it to stop (UDP StopTestNow to port ${controlPort})`,
      );
      sendStopTestNow(controlPort);
    }
  }, softStopMs);
  softStop.unref();

  let result: RunResult;
  try {
    result = await deps.exec(options.jmeter, args, {
      cwd: runDir,
      timeoutMs: timeoutSeconds * 1000,
      onLine,
      reject: false,
      hint: `see ${files.log}; JMeter's output is in ${files.stdout}`,
    });
  } catch (e) {
    if (e instanceof LabError && e.code === ExitCode.PREREQUISITE) {
      // JMeter never started: leave no empty run folder behind.
      if (!options.runDir && readdirSync(runDir).length === 0) rmSync(runDir, { recursive: true });
      throw new LabError(
        e.code,
        e.message,
        'install Apache JMeter 5.6 (`jmeter` on PATH), or set LAB_JMETER to a JMeter command',
      );
    }
    if (e instanceof LabError) {
      writeFileSync(files.stdout, `${stdoutTail.join('\n')}\n`);
      throw new LabError(e.code, e.message, `the partial results are in ${runDir}`, [
        ...e.details,
        ...logTail(files.log).map((l) => `jmeter.log: ${l}`),
      ]);
    }
    throw e;
  } finally {
    if (ticker) clearInterval(ticker);
    clearTimeout(softStop);
  }
  writeFileSync(
    files.stdout,
    `${result.stdout}\n${result.stderr ? `--- stderr ---\n${result.stderr}\n` : ''}`,
  );

  const inspection = await inspectJtl(files.jtl);
  const failure = (message: string): LabError =>
    new LabError(
      ExitCode.TOOL_FAILED,
      message,
      knownProblemHint(files.log) ??
        `see ${files.log} (and ${files.stdout}); fix the plan or the target and run again`,
      [
        ...logTail(files.log).map((l) => `jmeter.log: ${l}`),
        ...tail(result.stderr || result.stdout, 5).map((l) => `jmeter: ${l}`),
      ],
    );
  if (stoppedEarly) {
    throw new LabError(
      ExitCode.INTERRUPTED,
      `JMeter ran past its ${scheduledSeconds ?? '?'} s schedule and was stopped after ${Math.round(result.durationMs / 1000)} s`,
      `requests may be hanging at the target; the partial results are in ${runDir}`,
      logTail(files.log).map((l) => `jmeter.log: ${l}`),
    );
  }
  if (!inspection.exists || inspection.bytes === 0) {
    throw failure(
      `JMeter produced no results (exit code ${result.exitCode}, no ${JTL_NAME}): the plan did not run`,
    );
  }
  if (!inspection.header) {
    throw failure(`JMeter wrote ${JTL_NAME} without a CSV header: its columns cannot be known`);
  }
  if (inspection.samples === 0) {
    throw failure(
      `JMeter produced no samples (exit code ${result.exitCode}, header only): the plan did not run`,
    );
  }
  if (result.exitCode !== 0) {
    throw failure(
      `JMeter failed with exit code ${result.exitCode} after ${inspection.samples} samples`,
    );
  }

  let summary;
  try {
    summary = await summarizeJtl(files.jtl);
  } catch (e) {
    throw failure(`JMeter's results cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }

  const out: LoadTestResult<G> = {
    plan: { name: plan.name, file: plan.file },
    target: { name: options.target.name, url: targetUrl(options.target) },
    runDir,
    files,
    command,
    properties,
    scheduledSeconds,
    timeoutSeconds,
    jmeterExitCode: result.exitCode,
    durationMs: result.durationMs,
    startupMs,
    samples: summary.samples,
    overall: summary.overall,
    labels: summary.labels,
    gate: null,
  };
  writeFileSync(files.result, `${JSON.stringify(out, null, 2)}\n`);
  if (options.gate) {
    out.gate = (await options.gate(files.jtl, runDir)) as G;
    writeFileSync(files.result, `${JSON.stringify(out, null, 2)}\n`);
  }
  return out;
}
