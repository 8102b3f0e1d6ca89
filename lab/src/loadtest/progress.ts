// Live progress from JMeter's summariser, which every JMeter version prints on stdout in non-GUI
// mode. Two formats exist:
//   2.x  summary +     66 in   3.5s =   19.1/s Avg:     3 Min:     1 Max:    21 Err:     0 (0.00%) Active: 0 Started: 2 Finished: 2
//   5.x  summary +    712 in 00:00:05 =  142.4/s Avg:     3 Min:     1 Max:    21 Err:     1 (0.14%) Active: 10 Started: 10 Finished: 0
// `+` lines cover the last interval, `=` lines the whole run so far.

export interface SummaryLine {
  kind: 'delta' | 'total';
  samples: number;
  seconds: number;
  rate: number;
  avgMs: number;
  minMs: number;
  maxMs: number;
  errors: number;
  active?: number;
  started?: number;
  finished?: number;
}

const NUM = '(-?[\\d]+(?:[.,]\\d+)?)';
const LINE = new RegExp(
  `^\\s*summary\\s+([+=])\\s+(\\d+) in\\s+(\\S+)\\s*=\\s*(\\*+|${NUM.slice(1, -1)})/s Avg:\\s*(-?\\d+) Min:\\s*(-?\\d+) Max:\\s*(-?\\d+) Err:\\s*(\\d+) \\(${NUM}%\\)` +
    `(?:\\s+Active:\\s*(\\d+) Started:\\s*(\\d+) Finished:\\s*(\\d+))?`,
);

/** `3.5s`, `12s` (2.x) or `00:01:05` (5.x) → seconds; NaN when neither. */
function parseDuration(s: string): number {
  const hms = /^(\d+):(\d{2}):(\d{2})$/.exec(s);
  if (hms) return Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3]);
  const secs = /^(\d+(?:[.,]\d+)?)s$/.exec(s);
  return secs ? Number((secs[1] as string).replace(',', '.')) : Number.NaN;
}

const num = (s: string | undefined) => Number((s ?? '').replace(',', '.'));

export function parseSummaryLine(line: string): SummaryLine | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const seconds = parseDuration(m[3] as string);
  if (Number.isNaN(seconds)) return null;
  const out: SummaryLine = {
    kind: m[1] === '+' ? 'delta' : 'total',
    samples: Number(m[2]),
    seconds,
    rate: /^\*+$/.test(m[4] as string) ? 0 : num(m[4]), // ****** when the interval was 0 ms
    avgMs: Number(m[5]),
    minMs: Number(m[6]),
    maxMs: Number(m[7]),
    errors: Number(m[8]),
  };
  if (m[10] !== undefined) {
    out.active = Number(m[10]);
    out.started = Number(m[11]);
    out.finished = Number(m[12]);
  }
  return out;
}

export interface ProgressSnapshot {
  /** Seconds since JMeter was started. */
  elapsedSeconds: number;
  /** Seconds the plan is scheduled to run (null when unknown). */
  scheduledSeconds: number | null;
  samples: number;
  errors: number;
  errorPct: number;
  /** Samples per second over the last summariser interval. */
  currentRate: number;
  /** Threads running (when the summariser says). */
  active: number | null;
  /** Whether JMeter has started the test (the JVM is up and the plan loaded). */
  testStarted: boolean;
}

/** Folds summariser lines into running totals. */
export class ProgressTracker {
  private samples = 0;
  private errors = 0;
  private rate = 0;
  private active: number | null = null;
  private started = false;

  constructor(
    private readonly startedAtMs: number,
    private readonly scheduledSeconds: number | null,
  ) {}

  /** Feeds one line of JMeter's stdout; returns true when the figures changed. */
  feed(line: string): boolean {
    if (/^Starting (the|standalone) test\b/.test(line.trim())) {
      this.started = true;
      return true;
    }
    const s = parseSummaryLine(line);
    if (!s) return false;
    this.started = true;
    if (s.kind === 'delta') {
      this.samples += s.samples;
      this.errors += s.errors;
      this.rate = s.rate;
      if (s.active !== undefined) this.active = s.active;
    } else {
      // The cumulative line is authoritative (a delta line may have been missed).
      this.samples = s.samples;
      this.errors = s.errors;
    }
    return true;
  }

  snapshot(nowMs = Date.now()): ProgressSnapshot {
    return {
      elapsedSeconds: Math.max(0, Math.round((nowMs - this.startedAtMs) / 1000)),
      scheduledSeconds: this.scheduledSeconds,
      samples: this.samples,
      errors: this.errors,
      errorPct: this.samples > 0 ? (100 * this.errors) / this.samples : 0,
      currentRate: this.rate,
      active: this.active,
      testStarted: this.started,
    };
  }
}

const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/** One progress line, e.g. `0:35/1:00  samples 1234  errors 3 (0.24%)  now 85.2/s  users 25`. */
export function formatProgress(p: ProgressSnapshot): string {
  const elapsed =
    p.scheduledSeconds !== null
      ? `${clock(p.elapsedSeconds)}/${clock(p.scheduledSeconds)}`
      : clock(p.elapsedSeconds);
  if (!p.testStarted) return `${elapsed}  starting JMeter...`;
  const parts = [
    elapsed,
    `samples ${p.samples}`,
    `errors ${p.errors} (${p.errorPct.toFixed(2)}%)`,
    `now ${p.currentRate.toFixed(1)}/s`,
  ];
  if (p.active !== null) parts.push(`users ${p.active}`);
  return parts.join('  ');
}
