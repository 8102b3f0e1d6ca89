// Streaming JTL (JMeter CSV results) summarizer. A hand-written byte parser reads the file in
// 1 MiB chunks and folds every sample into per-label histograms (stats.ts): memory stays
// constant whatever the file size, and no per-sample string is built except the first time a
// label is seen.
//
// CSV per RFC 4180: fields may be quoted; inside quotes, commas, CR/LF and doubled quotes ("")
// are data. Columns are located by header name (JMeter writes the header with
// jmeter.save.saveservice.print_field_names=true, the default in current versions); only
// timeStamp, elapsed, label and success are needed. Line numbers in errors are physical lines of
// the file (a quoted field spanning lines counts every line), so `sed -n Np` shows the culprit.
//
// timeStamp is taken as the sample START (JMeter's default, sampleresult.timestamp.start=true);
// a sample ends at timeStamp + elapsed. Throughput = samples / (last end - first start).
import { statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ExitCode, LabError } from '../errors.js';
import { LabelAccumulator, TimeGrid, type LabelStats, type SeriesPoint } from './stats.js';

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Columns the gate needs; every other column is skipped without being decoded. */
export const REQUIRED_COLUMNS = ['timeStamp', 'elapsed', 'label', 'success'] as const;
/**
 * A label set this large means labels carry ids or URLs: thresholds could not name them. Also
 * the memory bound: each label costs ~120 KB (histogram and time series), 200 labels ~24 MB.
 */
export const MAX_LABELS = 200;
/** A single record larger than this is corrupt (JMeter's CSV never stores response bodies). */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;
const MAX_HEADER_FIELDS = 256;
const CHUNK_BYTES = 1024 * 1024;

/** What summarizeJtl returns: exact per-label and overall figures plus the chart series. */
export interface ResultsSummary {
  file: string;
  bytes: number;
  /** Physical lines read, header included. */
  lines: number;
  samples: number;
  columns: string[];
  labels: Record<string, LabelStats>;
  overall: LabelStats;
  series: {
    bucketMs: number;
    labels: Record<string, SeriesPoint[]>;
    overall: SeriesPoint[];
  };
}

/** A problem at a line of the JTL; summarizeJtl turns it into a LabError naming the file. */
export class JtlError extends Error {
  constructor(
    readonly line: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

interface CachedLabel {
  key: Buffer;
  acc: LabelAccumulator;
}

/** Parses a whole number of milliseconds from bytes; NaN when it is not one. */
function parseWhole(buf: Buffer, s: number, e: number): number {
  if (e <= s || e - s > 15) return NaN;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

const decode = (buf: Buffer, s: number, e: number, quoted: boolean): string => {
  const text = buf.toString('utf8', s, e);
  return quoted ? text.replaceAll('""', '"') : text;
};

const shorten = (text: string, max = 40): string =>
  JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * Incremental JTL parser. feed() takes chunks split anywhere (even inside a quoted field or a
 * CR LF pair); finish() flushes the last record and checks that the file was complete.
 */
export class JtlParser {
  readonly grid = new TimeGrid();
  readonly labels = new Map<string, LabelAccumulator>();
  columns: string[] = [];
  samples = 0;
  /** Physical line number of the next record's first line. */
  private line = 1;
  private nFields = 0;
  private colTs = -1;
  private colElapsed = -1;
  private colLabel = -1;
  private colSuccess = -1;
  private starts = new Int32Array(MAX_HEADER_FIELDS);
  private ends = new Int32Array(MAX_HEADER_FIELDS);
  private quoted = new Uint8Array(MAX_HEADER_FIELDS);
  private rest: Buffer | null = null;
  private atFileStart = true;
  private readonly cache: (CachedLabel | undefined)[] = new Array<CachedLabel | undefined>(256);
  private headerLine = '';

  get linesRead(): number {
    return this.line - 1;
  }

  /**
   * Parses the complete records at the start of buf and returns how many bytes it used; the
   * caller keeps the rest and offers it again with more data. final: buf ends the file.
   */
  consume(buf: Buffer, final: boolean): number {
    let skip = 0;
    if (this.atFileStart) {
      if (buf.length < 3 && !final) return 0;
      this.atFileStart = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) skip = 3; // UTF-8 BOM
    }
    return skip + this.parse(skip ? buf.subarray(skip) : buf, final);
  }

  /** Convenience for tests and small inputs: chunks split anywhere. */
  feed(chunk: Buffer): void {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const used = this.consume(buf, false);
    this.checkRecordSize(buf.length - used);
    this.rest = used < buf.length ? Buffer.from(buf.subarray(used)) : null;
  }

  checkRecordSize(pending: number): void {
    if (pending > MAX_RECORD_BYTES) {
      throw new JtlError(
        this.line,
        `a record longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB starts here (an unterminated quoted field?)`,
      );
    }
  }

  /** Flushes the last record (fed or given) and checks the file was a complete JTL. */
  finish(last?: Buffer): void {
    const rest = last ?? this.rest;
    this.rest = null;
    if (rest && rest.length > 0) this.consume(rest, true);
    if (this.nFields === 0) {
      throw new JtlError(
        1,
        'the file is empty: no CSV header and no samples',
        'JMeter wrote nothing: check jmeter.log (did the plan load? did it reach the server?)',
      );
    }
    if (this.samples === 0) {
      throw new JtlError(
        this.linesRead,
        'the file has a header but no samples',
        'JMeter ran no sampler: check jmeter.log, the plan and the target URL; no samples is never a pass',
      );
    }
  }

  /** Parses complete records of buf; returns the offset of the first unconsumed byte. */
  private parse(buf: Buffer, final: boolean): number {
    const n = buf.length;
    const starts = this.starts;
    const ends = this.ends;
    const quoted = this.quoted;
    let pos = 0;
    let nextQuote = -1; // position of the next quote at or after pos (n: none in this buffer)
    let dirtyQuoted = true;
    const nFields = this.nFields;
    while (pos < n) {
      // Fast path: a complete line without any quote (nearly every JMeter line). memchr-speed
      // line and quote search, then one tight loop over the bytes for the commas.
      if (nFields > 0) {
        const lineEnd = buf.indexOf(LF, pos);
        if (nextQuote < pos && nextQuote !== n) {
          nextQuote = buf.indexOf(QUOTE, pos);
          if (nextQuote < 0) nextQuote = n;
        }
        if (lineEnd > pos && nextQuote > lineEnd) {
          if (dirtyQuoted) {
            quoted.fill(0);
            dirtyQuoted = false;
          }
          let f = 0;
          starts[0] = pos;
          for (let i = pos; i < lineEnd; i++) {
            if (buf[i] === COMMA) {
              ends[f] = i;
              if (++f >= nFields) {
                throw new JtlError(
                  this.line,
                  `more fields than the header's ${nFields} columns (an unquoted comma?)`,
                );
              }
              starts[f] = i + 1;
            }
          }
          ends[f] = buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
          const line = this.line++;
          pos = lineEnd + 1;
          this.record(buf, f + 1, line, true);
          continue;
        }
      }
      dirtyQuoted = true;
      let c = buf[pos]!;
      if (c === LF) {
        pos++;
        this.line++;
        continue; // blank line
      }
      if (c === CR) {
        if (pos + 1 >= n && !final) return pos;
        if (pos + 1 >= n || buf[pos + 1] === LF) {
          pos += 2;
          this.line++;
          continue;
        }
      }
      const maxFields = this.nFields === 0 ? MAX_HEADER_FIELDS : this.nFields;
      let f = 0;
      let i = pos;
      let extraLines = 0;
      let terminated = true; // ended by a newline (false: by the end of the file)
      for (;;) {
        if (f >= maxFields) {
          throw new JtlError(
            this.line + extraLines,
            this.nFields === 0
              ? `the header has more than ${MAX_HEADER_FIELDS} columns`
              : `more fields than the header's ${this.nFields} columns (an unquoted comma?)`,
          );
        }
        if (i < n && buf[i] === QUOTE) {
          quoted[f] = 1;
          let j = i + 1;
          for (;;) {
            j = buf.indexOf(QUOTE, j);
            if (j < 0) break;
            if (j + 1 < n && buf[j + 1] === QUOTE) {
              j += 2;
              continue;
            }
            if (j + 1 >= n && !final) j = -1; // cannot tell "" from a closing quote yet
            break;
          }
          if (j < 0) {
            if (!final) return pos;
            throw new JtlError(
              this.line,
              `unterminated quoted field (column ${f + 1}${this.columnName(f)}): the file ends inside it`,
              'the JTL is truncated: JMeter was stopped mid-write, or the disk filled up',
            );
          }
          starts[f] = i + 1;
          ends[f] = j;
          for (let k = buf.indexOf(LF, i + 1); k >= 0 && k < j; k = buf.indexOf(LF, k + 1))
            extraLines++;
          i = j + 1;
          if (i >= n) {
            if (!final) return pos;
            terminated = false;
            break;
          }
          c = buf[i]!;
          if (c === COMMA) {
            f++;
            i++;
            continue;
          }
          if (c === LF) break;
          if (c === CR && (i + 1 >= n || buf[i + 1] === LF)) {
            if (i + 1 >= n && !final) return pos;
            i++;
            if (i >= n) terminated = false;
            break;
          }
          throw new JtlError(
            this.line + extraLines,
            `unexpected ${shorten(String.fromCharCode(c))} after the closing quote of column ${f + 1}${this.columnName(f)}`,
            'a quote inside a quoted field must be doubled ("")',
          );
        }
        quoted[f] = 0;
        starts[f] = i;
        while (i < n) {
          c = buf[i]!;
          if (c === COMMA || c === LF) break;
          i++;
        }
        if (i >= n) {
          if (!final) return pos;
          ends[f] = i > starts[f]! && buf[i - 1] === CR ? i - 1 : i;
          terminated = false;
          break;
        }
        ends[f] = c === LF && i > starts[f]! && buf[i - 1] === CR ? i - 1 : i;
        if (c === COMMA) {
          f++;
          i++;
          continue;
        }
        break; // LF
      }
      const line = this.line;
      this.line += 1 + extraLines;
      pos = i + 1;
      this.record(buf, f + 1, line, terminated);
    }
    return n;
  }

  private columnName(f: number): string {
    const name = this.columns[f];
    return name ? `, ${name}` : '';
  }

  private record(buf: Buffer, fields: number, line: number, terminated: boolean): void {
    if (this.nFields === 0) return this.readHeader(buf, fields, line);
    if (fields !== this.nFields) {
      if (!terminated) {
        throw new JtlError(
          line,
          `truncated last record: ${fields} of ${this.nFields} fields and no end of line`,
          'the JTL is incomplete: JMeter was stopped mid-write (timeout, kill) or the disk filled up',
        );
      }
      throw new JtlError(
        line,
        `${fields} field${fields === 1 ? '' : 's'}, but the header has ${this.nFields} columns`,
        "every line must have the header's columns; was the file cut, or written by two runs with different settings?",
      );
    }
    const starts = this.starts;
    const ends = this.ends;
    const ts = parseWhole(buf, starts[this.colTs]!, ends[this.colTs]!);
    if (Number.isNaN(ts)) {
      const raw = decode(
        buf,
        starts[this.colTs]!,
        ends[this.colTs]!,
        this.quoted[this.colTs] === 1,
      );
      throw new JtlError(
        line,
        raw === 'timeStamp'
          ? 'a second header line (two runs appended to the same JTL?)'
          : `timeStamp ${shorten(raw)} is not a whole number of epoch milliseconds`,
        raw === 'timeStamp'
          ? 'give each JMeter run a new results file'
          : 'run JMeter with -Jjmeter.save.saveservice.timestamp_format=ms',
      );
    }
    const elapsed = parseWhole(buf, starts[this.colElapsed]!, ends[this.colElapsed]!);
    if (Number.isNaN(elapsed)) {
      const raw = decode(
        buf,
        starts[this.colElapsed]!,
        ends[this.colElapsed]!,
        this.quoted[this.colElapsed] === 1,
      );
      throw new JtlError(line, `elapsed ${shorten(raw)} is not a whole number of milliseconds`);
    }
    const ss = starts[this.colSuccess]!;
    const se = ends[this.colSuccess]!;
    let success: boolean;
    const c0 = buf[ss]! | 0x20;
    if (
      se - ss === 4 &&
      c0 === 0x74 &&
      (buf[ss + 1]! | 0x20) === 0x72 &&
      (buf[ss + 2]! | 0x20) === 0x75 &&
      (buf[ss + 3]! | 0x20) === 0x65
    ) {
      success = true;
    } else if (
      se - ss === 5 &&
      c0 === 0x66 &&
      decode(buf, ss, se, false).toLowerCase() === 'false'
    ) {
      success = false;
    } else {
      throw new JtlError(
        line,
        `success ${shorten(decode(buf, ss, se, this.quoted[this.colSuccess] === 1))} is neither true nor false`,
      );
    }
    this.labelAt(buf, line).add(ts, elapsed, success);
    this.samples++;
  }

  /** The accumulator of this record's label, through a 256-slot byte cache (no string per line). */
  private labelAt(buf: Buffer, line: number): LabelAccumulator {
    const s = this.starts[this.colLabel]!;
    const e = this.ends[this.colLabel]!;
    const len = e - s;
    const isQuoted = this.quoted[this.colLabel] === 1;
    if (len === 0)
      throw new JtlError(
        line,
        'empty label',
        'give every sampler a name: thresholds refer to labels',
      );
    const h = (len * 31 + buf[s]! * 7 + buf[e - 1]! * 13 + buf[s + (len >> 1)]!) & 255;
    const hit = this.cache[h];
    if (hit && !isQuoted && hit.key.length === len) {
      const key = hit.key;
      let k = 0;
      while (k < len && key[k] === buf[s + k]) k++;
      if (k === len) return hit.acc;
    }
    const name = decode(buf, s, e, isQuoted);
    let acc = this.labels.get(name);
    if (!acc) {
      if (this.labels.size >= MAX_LABELS) {
        throw new JtlError(
          line,
          `more than ${MAX_LABELS} distinct labels (this one: ${shorten(name)})`,
          'labels must be stable sampler names, not URLs or ids: thresholds refer to them',
        );
      }
      acc = new LabelAccumulator(name, this.grid);
      this.labels.set(name, acc);
    }
    if (!isQuoted) this.cache[h] = { key: Buffer.from(buf.subarray(s, e)), acc };
    return acc;
  }

  private readHeader(buf: Buffer, fields: number, line: number): void {
    const names: string[] = [];
    for (let f = 0; f < fields; f++)
      names.push(decode(buf, this.starts[f]!, this.ends[f]!, this.quoted[f] === 1).trim());
    this.headerLine = names.join(',');
    if (/^\d+$/.test(names[0] ?? '')) {
      throw new JtlError(
        line,
        `no CSV header: the first line is a sample (${shorten(this.headerLine, 60)})`,
        'run JMeter with -Jjmeter.save.saveservice.print_field_names=true so the JTL names its columns',
      );
    }
    const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
    if (missing.length > 0) {
      throw new JtlError(
        line,
        `the header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${shorten(this.headerLine, 120)})`,
        names.length < 3
          ? 'is this a JMeter CSV results file (JTL)? XML JTLs are not supported: set jmeter.save.saveservice.output_format=csv'
          : "keep JMeter's default CSV columns (jmeter.save.saveservice.* properties)",
      );
    }
    this.columns = names;
    this.nFields = fields;
    this.colTs = names.indexOf('timeStamp');
    this.colElapsed = names.indexOf('elapsed');
    this.colLabel = names.indexOf('label');
    this.colSuccess = names.indexOf('success');
  }

  /** Final figures (call after finish()). */
  summary(file: string, bytes: number): ResultsSummary {
    const overall = new LabelAccumulator('(overall)', this.grid);
    const labels: Record<string, LabelStats> = {};
    const series: Record<string, SeriesPoint[]> = {};
    for (const name of [...this.labels.keys()].sort()) {
      const acc = this.labels.get(name)!;
      labels[name] = acc.stats();
      series[name] = acc.series.points(this.grid);
      overall.merge(acc);
    }
    return {
      file,
      bytes,
      lines: this.linesRead,
      samples: this.samples,
      columns: this.columns,
      labels,
      overall: overall.stats(),
      series: {
        bucketMs: this.grid.widthMs,
        labels: series,
        overall: overall.series.points(this.grid),
      },
    };
  }
}

/**
 * Streams a JTL and returns its summary. Invalid input (missing, empty, header only, truncated,
 * corrupt) throws LabError(INVALID_INPUT) naming the file and the line.
 */
export async function summarizeJtl(file: string): Promise<ResultsSummary> {
  let bytes: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new LabError(ExitCode.INVALID_INPUT, `results ${file} is not a file`);
    bytes = st.size;
  } catch (e) {
    if (e instanceof LabError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new LabError(
      ExitCode.INVALID_INPUT,
      code === 'ENOENT'
        ? `results file ${file} does not exist`
        : `cannot read results file ${file}: ${code}`,
      code === 'ENOENT'
        ? 'did the load test run? `lab loadtest` writes the JTL into its run folder'
        : 'check its permissions',
    );
  }
  const parser = new JtlParser();
  // One reusable buffer instead of a stream of fresh chunks: no allocation per chunk, so the
  // peak memory is the same for 1 MB and 10 GB. The unconsumed tail (a record cut by the
  // chunk boundary) moves to the front and the next read appends to it.
  let fh: FileHandle | undefined;
  try {
    fh = await open(file, 'r');
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let have = 0;
    for (let reads = 0; reads < Number.MAX_SAFE_INTEGER; reads++) {
      if (have === buf.length) {
        parser.checkRecordSize(have);
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, have, buf.length - have, null);
      if (bytesRead === 0) break;
      const total = have + bytesRead;
      const used = parser.consume(buf.subarray(0, total), false);
      buf.copyWithin(0, used, total);
      have = total - used;
    }
    parser.finish(buf.subarray(0, have));
  } catch (e) {
    if (e instanceof JtlError) {
      throw new LabError(
        ExitCode.INVALID_INPUT,
        `${file}:${e.line}: ${e.message}`,
        e.hint ?? 'the JTL is corrupt: re-run the load test',
      );
    }
    if (e instanceof LabError) throw e;
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `cannot read results file ${file}: ${(e as Error).message}`,
    );
  } finally {
    await fh?.close();
  }
  return parser.summary(file, bytes);
}
