// Constant-memory statistics for one label: JMeter's elapsed times are whole milliseconds, so an
// integer histogram gives EXACT percentiles without keeping the samples. Memory per label does
// not grow with the sample count: a dense counter array up to DENSE_LIMIT_MS (grown lazily), a
// sparse Map above it (one entry per distinct value over 10 s), and a fixed-size time series.
//
// Percentile definition (nearest rank): the p-th percentile is the smallest observed value v
// such that at least p% of the samples are <= v, i.e. sorted[ceil(p/100 * n) - 1].

/** Elapsed values 0..DENSE_LIMIT_MS-1 are counted in a typed array; larger ones in a Map. */
export const DENSE_LIMIT_MS = 10_000;
/** Buckets of the latency-over-time series (the grid doubles its width to stay this size). */
export const SERIES_BUCKETS = 120;
/** Initial bucket width; a 12 s test keeps 100 ms buckets, a 1 h test ends with ~30 s ones. */
export const SERIES_INITIAL_WIDTH_MS = 100;
/** Log-spaced latency bins per time bucket (ratio 1.1): per-bucket percentiles within ~10%. */
const BIN_RATIO = 1.1;
export const SERIES_BINS = 160; // covers up to 1.1^159 ≈ 3.9e6 ms; larger values share the last bin

const LOG_RATIO = Math.log(BIN_RATIO);
/** Bin lookup for the common case (elapsed < DENSE_LIMIT_MS) without a Math.log per sample. */
const BIN_OF_MS = new Uint8Array(DENSE_LIMIT_MS);
for (let ms = 0; ms < DENSE_LIMIT_MS; ms++) BIN_OF_MS[ms] = binOfSlow(ms);

function binOfSlow(ms: number): number {
  const b = Math.floor(Math.log(ms + 1) / LOG_RATIO);
  return b < SERIES_BINS ? b : SERIES_BINS - 1;
}
const binOf = (ms: number): number =>
  ms < DENSE_LIMIT_MS ? (BIN_OF_MS[ms] as number) : binOfSlow(ms);
/** The largest elapsed value (ms) a bin can hold: the value reported for a bin. */
const binUpper = (bin: number): number => Math.max(0, Math.ceil(BIN_RATIO ** (bin + 1)) - 2);

export const PERCENTILES = [50, 90, 95, 99] as const;
export type PercentileKey = 'p50' | 'p90' | 'p95' | 'p99';

/** The figures the gate judges, for one label or overall. Latencies in ms. */
export interface LabelStats {
  count: number;
  errors: number;
  /** Errors as a percentage of samples (0..100). */
  errorPct: number;
  /** Samples per second over [first start, last end]. */
  throughputRps: number;
  mean: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** Epoch ms of the first sample start and of the last sample end. */
  firstStartMs: number;
  lastEndMs: number;
}

/** One point of the latency-over-time chart. Percentiles here are approximate (log bins). */
export interface SeriesPoint {
  /** Epoch ms of the bucket start. */
  t: number;
  count: number;
  errors: number;
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

/**
 * The shared time grid: bucket k covers [k*width, (k+1)*width) in epoch ms, and the stored
 * window is [base, base + SERIES_BUCKETS). Every label's series uses the same grid, so series
 * merge exactly and the chart's x axis is common.
 */
export class TimeGrid {
  widthMs = SERIES_INITIAL_WIDTH_MS;
  base = 0;
  private minIdx = Infinity;
  private maxIdx = -Infinity;
  private readonly series: LabelSeries[] = [];

  register(s: LabelSeries): void {
    this.series.push(s);
  }

  /** Slot (0..SERIES_BUCKETS-1) for a timestamp; regrids (doubling or shifting) when needed. */
  slot(ts: number): number {
    let k = Math.floor(ts / this.widthMs);
    if (k >= this.base && k < this.base + SERIES_BUCKETS) {
      if (k < this.minIdx) this.minIdx = k;
      if (k > this.maxIdx) this.maxIdx = k;
      return k - this.base;
    }
    if (this.minIdx === Infinity) {
      // first sample: leave a little room before it for samples written out of order
      this.base = k - 4;
      this.minIdx = this.maxIdx = k;
      return k - this.base;
    }
    // Bounded: each doubling halves the index span, 64 doublings cover any finite epoch range.
    for (
      let i = 0;
      i < 64 && Math.max(this.maxIdx, k) - Math.min(this.minIdx, k) >= SERIES_BUCKETS;
      i++
    ) {
      this.double();
      k = Math.floor(ts / this.widthMs);
    }
    const lo = Math.min(this.minIdx, k);
    const hi = Math.max(this.maxIdx, k);
    if (lo < this.base || hi >= this.base + SERIES_BUCKETS) {
      const newBase = lo < this.base ? lo : hi - SERIES_BUCKETS + 1;
      for (const s of this.series) s.shift(newBase - this.base);
      this.base = newBase;
    }
    this.minIdx = lo;
    this.maxIdx = hi;
    return k - this.base;
  }

  private double(): void {
    const newBase = Math.floor(this.base / 2);
    for (const s of this.series) s.halve(this.base, newBase);
    this.base = newBase;
    this.widthMs *= 2;
    this.minIdx = Math.floor(this.minIdx / 2);
    this.maxIdx = Math.floor(this.maxIdx / 2);
  }

  /** Occupied slot range, inclusive, or null when no sample was seen. */
  range(): [number, number] | null {
    return this.minIdx === Infinity ? null : [this.minIdx - this.base, this.maxIdx - this.base];
  }
}

/** Per-label time series on a TimeGrid: counts, errors, sum, max and log bins per bucket. */
export class LabelSeries {
  count = new Uint32Array(SERIES_BUCKETS);
  errors = new Uint32Array(SERIES_BUCKETS);
  sum = new Float64Array(SERIES_BUCKETS);
  max = new Float64Array(SERIES_BUCKETS);
  bins = new Uint32Array(SERIES_BUCKETS * SERIES_BINS);

  add(slot: number, elapsed: number, error: boolean): void {
    this.count[slot]!++;
    if (error) this.errors[slot]!++;
    this.sum[slot]! += elapsed;
    if (elapsed > this.max[slot]!) this.max[slot] = elapsed;
    this.bins[slot * SERIES_BINS + binOf(elapsed)]!++;
  }

  /** Moves every bucket by -delta slots (delta > 0: window moves right). */
  shift(delta: number): void {
    const move = <T extends Uint32Array | Float64Array>(a: T, stride: number): void => {
      const copy = a.slice();
      a.fill(0);
      for (let i = 0; i < SERIES_BUCKETS; i++) {
        const j = i - delta;
        if (j >= 0 && j < SERIES_BUCKETS)
          a.set(copy.subarray(i * stride, (i + 1) * stride), j * stride);
      }
    };
    move(this.count, 1);
    move(this.errors, 1);
    move(this.sum, 1);
    move(this.max, 1);
    move(this.bins, SERIES_BINS);
  }

  /** Merges bucket pairs: absolute index k becomes floor(k/2); window base oldBase → newBase. */
  halve(oldBase: number, newBase: number): void {
    const count = new Uint32Array(SERIES_BUCKETS);
    const errors = new Uint32Array(SERIES_BUCKETS);
    const sum = new Float64Array(SERIES_BUCKETS);
    const max = new Float64Array(SERIES_BUCKETS);
    const bins = new Uint32Array(SERIES_BUCKETS * SERIES_BINS);
    for (let i = 0; i < SERIES_BUCKETS; i++) {
      if (this.count[i] === 0) continue;
      const j = Math.floor((oldBase + i) / 2) - newBase;
      count[j]! += this.count[i]!;
      errors[j]! += this.errors[i]!;
      sum[j]! += this.sum[i]!;
      if (this.max[i]! > max[j]!) max[j] = this.max[i]!;
      for (let b = 0; b < SERIES_BINS; b++)
        bins[j * SERIES_BINS + b]! += this.bins[i * SERIES_BINS + b]!;
    }
    Object.assign(this, { count, errors, sum, max, bins });
  }

  /** Adds another series on the same grid into this one (for the overall series). */
  merge(other: LabelSeries): void {
    for (let i = 0; i < SERIES_BUCKETS; i++) {
      this.count[i]! += other.count[i]!;
      this.errors[i]! += other.errors[i]!;
      this.sum[i]! += other.sum[i]!;
      if (other.max[i]! > this.max[i]!) this.max[i] = other.max[i]!;
    }
    for (let i = 0; i < this.bins.length; i++) this.bins[i]! += other.bins[i]!;
  }

  points(grid: TimeGrid): SeriesPoint[] {
    const range = grid.range();
    if (!range) return [];
    const out: SeriesPoint[] = [];
    for (let i = range[0]; i <= range[1]; i++) {
      const n = this.count[i]!;
      const t = (grid.base + i) * grid.widthMs;
      if (n === 0) {
        out.push({ t, count: 0, errors: 0, mean: 0, p50: 0, p95: 0, max: 0 });
        continue;
      }
      const pct = (p: number): number => {
        const rank = Math.ceil((p / 100) * n);
        let seen = 0;
        for (let b = 0; b < SERIES_BINS; b++) {
          seen += this.bins[i * SERIES_BINS + b]!;
          if (seen >= rank) return Math.min(binUpper(b), this.max[i]!);
        }
        return this.max[i]!;
      };
      out.push({
        t,
        count: n,
        errors: this.errors[i]!,
        mean: this.sum[i]! / n,
        p50: pct(50),
        p95: pct(95),
        max: this.max[i]!,
      });
    }
    return out;
  }
}

/** Exact streaming accumulator for one label. */
export class LabelAccumulator {
  count = 0;
  errors = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  firstStart = Infinity;
  lastEnd = -Infinity;
  /** Counts of elapsed == index, for index < dense.length (grown lazily to DENSE_LIMIT_MS). */
  dense = new Uint32Array(256);
  sparse = new Map<number, number>();
  readonly series = new LabelSeries();

  constructor(
    readonly name: string,
    private readonly grid: TimeGrid,
  ) {
    grid.register(this.series);
  }

  add(timeStamp: number, elapsed: number, success: boolean): void {
    this.count++;
    if (!success) this.errors++;
    this.sum += elapsed;
    if (elapsed < this.min) this.min = elapsed;
    if (elapsed > this.max) this.max = elapsed;
    if (timeStamp < this.firstStart) this.firstStart = timeStamp;
    const end = timeStamp + elapsed;
    if (end > this.lastEnd) this.lastEnd = end;
    if (elapsed < this.dense.length) this.dense[elapsed]!++;
    else if (elapsed < DENSE_LIMIT_MS) {
      let size = this.dense.length;
      while (size <= elapsed) size *= 2;
      const grown = new Uint32Array(Math.min(size, DENSE_LIMIT_MS));
      grown.set(this.dense);
      this.dense = grown;
      this.dense[elapsed]!++;
    } else this.sparse.set(elapsed, (this.sparse.get(elapsed) ?? 0) + 1);
    this.series.add(this.grid.slot(timeStamp), elapsed, !success);
  }

  /** Adds another label's histogram and counters (overall = merge of every label). */
  merge(o: LabelAccumulator): void {
    this.count += o.count;
    this.errors += o.errors;
    this.sum += o.sum;
    this.min = Math.min(this.min, o.min);
    this.max = Math.max(this.max, o.max);
    this.firstStart = Math.min(this.firstStart, o.firstStart);
    this.lastEnd = Math.max(this.lastEnd, o.lastEnd);
    if (o.dense.length > this.dense.length) {
      const grown = new Uint32Array(o.dense.length);
      grown.set(this.dense);
      this.dense = grown;
    }
    for (let i = 0; i < o.dense.length; i++) this.dense[i]! += o.dense[i]!;
    for (const [v, n] of o.sparse) this.sparse.set(v, (this.sparse.get(v) ?? 0) + n);
    this.series.merge(o.series);
  }

  /** Nearest-rank percentiles for several p at once (one pass over the histogram). */
  percentiles(ps: readonly number[]): number[] {
    const out: number[] = new Array<number>(ps.length).fill(this.max);
    if (this.count === 0) return out.fill(0);
    const ranks = ps.map((p) => Math.max(1, Math.ceil((p / 100) * this.count)));
    let seen = 0;
    let next = 0;
    const order = ranks.map((r, i) => [r, i] as const).sort((a, b) => a[0] - b[0]);
    const visit = (value: number, n: number): boolean => {
      seen += n;
      while (next < order.length && seen >= order[next]![0]) out[order[next++]![1]] = value;
      return next >= order.length;
    };
    for (let v = 0; v < this.dense.length; v++) {
      const n = this.dense[v]!;
      if (n > 0 && visit(v, n)) return out;
    }
    const high = [...this.sparse.entries()].sort((a, b) => a[0] - b[0]);
    for (const [v, n] of high) if (visit(v, n)) return out;
    return out;
  }

  stats(): LabelStats {
    const [p50, p90, p95, p99] = this.percentiles(PERCENTILES) as [number, number, number, number];
    const durationMs = Math.max(1, this.lastEnd - this.firstStart);
    return {
      count: this.count,
      errors: this.errors,
      errorPct: this.count === 0 ? 0 : (this.errors / this.count) * 100,
      throughputRps: this.count === 0 ? 0 : this.count / (durationMs / 1000),
      mean: this.count === 0 ? 0 : this.sum / this.count,
      min: this.count === 0 ? 0 : this.min,
      max: this.count === 0 ? 0 : this.max,
      p50,
      p90,
      p95,
      p99,
      firstStartMs: this.count === 0 ? 0 : this.firstStart,
      lastEndMs: this.count === 0 ? 0 : this.lastEnd,
    };
  }
}
