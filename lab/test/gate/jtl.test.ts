// The streaming JTL summarizer: RFC 4180 CSV, columns by header name, chunk boundaries anywhere,
// exact nearest-rank percentiles (checked against sorting every sample), and clear errors with
// line numbers for every kind of broken file.
import { describe, expect, test } from '@jest/globals';
import { JtlParser, summarizeJtl } from '../../src/gate/jtl.js';
import { LabelAccumulator, TimeGrid, SERIES_BUCKETS } from '../../src/gate/stats.js';
import { ExitCode, LabError } from '../../src/errors.js';
import {
  HEADER,
  HEADER_COLUMNS,
  jtlText,
  line,
  rng,
  samples,
  sortedPercentile,
  tempDir,
  writeFile,
} from './support.js';

const dir = tempDir();

function parseAll(text: string | Buffer, chunk?: number) {
  const p = new JtlParser();
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  if (!chunk) p.feed(buf);
  else for (let i = 0; i < buf.length; i += chunk) p.feed(buf.subarray(i, i + chunk));
  p.finish();
  return p.summary('mem.jtl', buf.length);
}

async function invalid(name: string, text: string | Buffer): Promise<LabError> {
  const file = writeFile(dir, name, text);
  const e = await summarizeJtl(file).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LabError);
  expect((e as LabError).code).toBe(ExitCode.INVALID_INPUT);
  return e as LabError;
}

describe('parsing', () => {
  test('reads JMeter default columns and counts per label', () => {
    const s = parseAll(
      jtlText([
        { ts: 1000, elapsed: 10, label: 'a' },
        { ts: 1005, elapsed: 30, label: 'b', success: false },
        { ts: 1010, elapsed: 20, label: 'a' },
      ]),
    );
    expect(s.samples).toBe(3);
    expect(s.lines).toBe(4);
    expect(s.labels.a).toMatchObject({ count: 2, errors: 0, min: 10, max: 20, mean: 15 });
    expect(s.labels.b).toMatchObject({ count: 1, errors: 1, errorPct: 100 });
    expect(s.overall).toMatchObject({ count: 3, errors: 1, firstStartMs: 1000, lastEndMs: 1035 });
    // throughput = samples / (last end - first start)
    expect(s.overall.throughputRps).toBeCloseTo(3 / 0.035, 6);
  });

  test('locates columns by header name, whatever their order', () => {
    const text = 'label,success,elapsed,extra,timeStamp\nx,true,5,"a,b",100\nx,false,7,,110\n';
    const s = parseAll(text);
    expect(s.labels.x).toMatchObject({
      count: 2,
      errors: 1,
      min: 5,
      max: 7,
      firstStartMs: 100,
      lastEndMs: 117,
    });
  });

  test('quoted fields with commas, doubled quotes and newlines (RFC 4180), CRLF and a BOM', () => {
    const tricky = {
      ts: 2000,
      elapsed: 42,
      label: 'odd "label", with comma',
      failure: 'line one\r\nline "two", end',
      success: false,
    };
    const text =
      '\uFEFF' +
      jtlText(
        [
          { ts: 1000, elapsed: 1, label: 'plain' },
          tricky,
          { ts: 3000, elapsed: 3, label: 'plain' },
        ],
        '\r\n',
      );
    const s = parseAll(text);
    expect(Object.keys(s.labels).sort()).toEqual(['odd "label", with comma', 'plain']);
    expect(s.labels['odd "label", with comma']).toMatchObject({ count: 1, errors: 1, max: 42 });
    expect(s.labels.plain!.count).toBe(2);
    // the quoted failure message spans two physical lines: 1 header + 1 + 2 + 1
    expect(s.lines).toBe(5);
  });

  test('the same result whatever the chunk boundaries (every split point of a tricky file)', () => {
    const text = jtlText(
      [
        { ts: 1000, elapsed: 11, label: 'a', failure: 'x,"y"\nz', success: false },
        { ts: 1001, elapsed: 12, label: '"q"' },
        { ts: 1002, elapsed: 13, label: 'a' },
      ],
      '\r\n',
    );
    const whole = JSON.stringify(parseAll(text));
    const buf = Buffer.from(text);
    for (let cut = 1; cut < buf.length; cut++) {
      const p = new JtlParser();
      p.feed(buf.subarray(0, cut));
      p.feed(buf.subarray(cut));
      p.finish();
      expect(JSON.stringify(p.summary('mem.jtl', buf.length))).toBe(whole);
    }
    for (const chunk of [1, 2, 3, 7]) expect(JSON.stringify(parseAll(text, chunk))).toBe(whole);
  });

  test('a last line without a newline is complete when it has every field', () => {
    const text = `${HEADER}\n${line({ ts: 1, elapsed: 2, label: 'a' })}`;
    expect(parseAll(text).samples).toBe(1);
  });

  test('blank lines are skipped but still counted for line numbers', async () => {
    const e = await invalid(
      'blank-then-bad.jtl',
      `${HEADER}\n\n${line({ ts: 1, elapsed: 2, label: 'a' })}\n\n1,x,a\n`,
    );
    expect(e.message).toMatch(/:5: /);
  });

  test('summarizeJtl streams a multi-megabyte file in chunks with the same figures as one feed', async () => {
    const many = samples([{ label: 'big', count: 40_000, elapsed: (i) => i % 997 }], {
      durationMs: 600_000,
    });
    const text = jtlText(many);
    const file = writeFile(dir, 'big.jtl', text);
    const streamed = await summarizeJtl(file);
    expect(streamed.samples).toBe(40_000);
    expect(JSON.stringify(streamed.labels)).toBe(JSON.stringify(parseAll(text).labels));
  });
});

describe('percentiles (nearest rank) agree with sorting every sample', () => {
  const distributions: [string, (r: () => number) => number][] = [
    ['uniform 0..500 ms', (r) => Math.floor(r() * 500)],
    ['long tail into tens of seconds (sparse part)', (r) => Math.floor(20 * Math.exp(r() * 8))],
    ['bimodal', (r) => (r() < 0.9 ? 20 + Math.floor(r() * 10) : 2000 + Math.floor(r() * 30_000))],
    ['constant', () => 77],
  ];
  for (const [name, gen] of distributions) {
    test(name, () => {
      for (const n of [1, 2, 3, 10, 99, 100, 101, 1000, 12_345]) {
        const r = rng(n * 31 + name.length);
        const values = Array.from({ length: n }, () => gen(r));
        const acc = new LabelAccumulator('x', new TimeGrid());
        values.forEach((v, i) => acc.add(1_000_000 + i, v, true));
        const sorted = [...values].sort((a, b) => a - b);
        for (const p of [50, 90, 95, 99, 99.9, 100]) {
          const got = acc.percentiles([p])[0]!;
          const rank = Math.max(1, Math.ceil((p / 100) * n));
          // within one sample's rank of the exact nearest-rank value...
          expect(got).toBeGreaterThanOrEqual(sorted[Math.max(0, rank - 2)]!);
          expect(got).toBeLessThanOrEqual(sorted[Math.min(n - 1, rank)]!);
          // ...and in fact equal to it: whole-millisecond histograms are exact
          expect(got).toBe(sortedPercentile(values, p));
        }
        const st = acc.stats();
        expect(st.min).toBe(sorted[0]);
        expect(st.max).toBe(sorted[n - 1]);
      }
    });
  }

  test('overall percentiles (merged label histograms) equal those of all samples together', () => {
    const data = samples(
      [
        { label: 'fast', count: 3000, elapsed: (_i, r) => Math.floor(r() * 50) },
        { label: 'slow', count: 700, elapsed: (_i, r) => 300 + Math.floor(r() * 20_000) },
      ],
      { seed: 99 },
    );
    const s = parseAll(jtlText(data));
    const all = data.map((d) => d.elapsed);
    for (const p of [50, 90, 95, 99] as const)
      expect(s.overall[`p${p}`]).toBe(sortedPercentile(all, p));
    expect(s.labels.slow!.p95).toBe(
      sortedPercentile(
        data.filter((d) => d.label === 'slow').map((d) => d.elapsed),
        95,
      ),
    );
  });
});

describe('time series for the chart', () => {
  test('keeps a fixed number of buckets, doubling their width, and loses no sample', () => {
    const data = samples([{ label: 'a', count: 5000, elapsed: (i) => (i < 2500 ? 50 : 400) }], {
      durationMs: 3_600_000,
    });
    const s = parseAll(jtlText(data));
    const pts = s.series.overall;
    expect(pts.length).toBeLessThanOrEqual(SERIES_BUCKETS);
    expect(pts.length).toBeGreaterThan(SERIES_BUCKETS / 2 - 2);
    expect(pts.reduce((n, p) => n + p.count, 0)).toBe(5000);
    expect(s.series.bucketMs).toBeGreaterThanOrEqual(3_600_000 / SERIES_BUCKETS);
    // the latency step half-way shows in the series (per-bucket p95 is approximate: log bins)
    expect(pts[1]!.p95).toBeLessThan(60);
    expect(pts[pts.length - 2]!.p95).toBeGreaterThan(360);
  });

  test('samples written out of order (earlier than the first line) land in the series', () => {
    const text = jtlText([
      { ts: 10_000, elapsed: 5, label: 'a' },
      { ts: 9_000, elapsed: 5, label: 'a' },
      { ts: 200_000, elapsed: 5, label: 'a' },
      { ts: 1_000, elapsed: 5, label: 'a' },
    ]);
    const s = parseAll(text);
    expect(s.series.overall.reduce((n, p) => n + p.count, 0)).toBe(4);
    expect(s.overall.firstStartMs).toBe(1_000);
  });
});

describe('invalid files: exit 2, the file and the line, never a stack trace', () => {
  const row = (o: Partial<Parameters<typeof line>[0]> = {}) =>
    line({ ts: 1_764_536_400_000, elapsed: 12, label: 'browse_catalog', ...o });

  test('missing file', async () => {
    const e = await summarizeJtl(`${dir}/nope.jtl`).catch((err: LabError) => err);
    expect(e).toBeInstanceOf(LabError);
    expect((e as LabError).message).toMatch(/nope\.jtl does not exist/);
  });
  test('empty file', async () => {
    expect((await invalid('empty.jtl', '')).message).toMatch(
      /empty\.jtl:1: the file is empty: no CSV header and no samples/,
    );
  });
  test('header only', async () => {
    expect((await invalid('header-only.jtl', `${HEADER}\n`)).message).toMatch(
      /header-only\.jtl:1: the file has a header but no samples/,
    );
  });
  test('no header (JMeter without print_field_names)', async () => {
    const e = await invalid('no-header.jtl', `${row()}\n`);
    expect(e.message).toMatch(/:1: no CSV header/);
    expect(e.hint).toMatch(/print_field_names=true/);
  });
  test('header lacking a needed column', async () => {
    const e = await invalid('wrong-header.jtl', 'timeStamp,elapsed,name,success\n1,2,a,true\n');
    expect(e.message).toMatch(/:1: the header lacks column label/);
  });
  test('XML JTL', async () => {
    const e = await invalid(
      'xml.jtl',
      '<?xml version="1.0" encoding="UTF-8"?>\n<testResults version="1.2">\n',
    );
    expect(e.message).toMatch(/:1: the header lacks columns timeStamp, elapsed, label, success/);
    expect(e.hint).toMatch(/XML JTLs are not supported/);
  });
  test('truncated last line (JMeter killed mid-write)', async () => {
    const cut = row().slice(0, 30);
    const e = await invalid('truncated.jtl', `${HEADER}\n${row()}\n${row()}\n${cut}`);
    expect(e.message).toMatch(
      /truncated\.jtl:4: truncated last record: \d+ of 17 fields and no end of line/,
    );
  });
  test('truncated inside a quoted field', async () => {
    const e = await invalid(
      'truncated-quote.jtl',
      `${HEADER}\n${row()}\n1,2,a,500,"Internal, Serv`,
    );
    expect(e.message).toMatch(/:3: unterminated quoted field \(column 5, responseMessage\)/);
  });
  test('a line with too few columns in the middle', async () => {
    const e = await invalid(
      'short-line.jtl',
      `${HEADER}\n${row()}\n1764536400000,12,browse_catalog\n${row()}\n`,
    );
    expect(e.message).toMatch(/short-line\.jtl:3: 3 fields, but the header has 17 columns/);
  });
  test('a line with too many columns', async () => {
    const e = await invalid('long-line.jtl', `${HEADER}\n${row()},extra\n`);
    expect(e.message).toMatch(/:2: more fields than the header's 17 columns/);
  });
  test('non-numeric elapsed', async () => {
    const e = await invalid(
      'nan-elapsed.jtl',
      `${HEADER}\n${row()}\n${row().replace(',12,', ',12ms,')}\n`,
    );
    expect(e.message).toMatch(
      /nan-elapsed\.jtl:3: elapsed "12ms" is not a whole number of milliseconds/,
    );
  });
  test('negative elapsed', async () => {
    const e = await invalid('neg-elapsed.jtl', `${HEADER}\n${row({ elapsed: -5 })}\n`);
    expect(e.message).toMatch(/:2: elapsed "-5" is not a whole number/);
  });
  test('formatted timestamps', async () => {
    const e = await invalid(
      'date-ts.jtl',
      `${HEADER}\n${row().replace('1764536400000', '2026/11/30 21:00:00')}\n`,
    );
    expect(e.message).toMatch(
      /:2: timeStamp "2026\/11\/30 21:00:00" is not a whole number of epoch milliseconds/,
    );
    expect(e.hint).toMatch(/timestamp_format=ms/);
  });
  test('success neither true nor false', async () => {
    const e = await invalid('bad-success.jtl', `${HEADER}\n${row().replace(',true,', ',yes,')}\n`);
    expect(e.message).toMatch(/:2: success "yes" is neither true nor false/);
  });
  test('a second header (two runs appended to one file)', async () => {
    const e = await invalid('two-headers.jtl', `${HEADER}\n${row()}\n${HEADER}\n${row()}\n`);
    expect(e.message).toMatch(/:3: a second header line/);
  });
  test('garbage after a closing quote', async () => {
    const e = await invalid(
      'bad-quote.jtl',
      `${HEADER}\n${row({ label: 'x' }).replace(',x,', ',"x"y,')}\n`,
    );
    expect(e.message).toMatch(/:2: unexpected "y" after the closing quote of column 3, label/);
  });
  test('binary garbage', async () => {
    const e = await invalid('binary.jtl', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x0a, 0x41]));
    expect(e.message).toMatch(/binary\.jtl:1: the header lacks columns/);
  });
  test('too many distinct labels (ids or URLs in sampler names)', async () => {
    const many = Array.from({ length: 201 }, (_, i) =>
      line({ ts: 1000 + i, elapsed: 5, label: `GET /api/products/${i}` }),
    );
    const e = await invalid('many-labels.jtl', `${HEADER}\n${many.join('\n')}\n`);
    expect(e.message).toMatch(
      /many-labels\.jtl:202: more than 200 distinct labels \(this one: "GET \/api\/products\/200"\)/,
    );
    expect(e.hint).toMatch(/stable sampler names/);
  });
  test('the column list in messages is the header JMeter wrote', () => {
    expect(HEADER_COLUMNS).toHaveLength(17);
  });
});
