// runGate end to end on generated JTLs: a pass and a fail for every kind of threshold, the
// relative checks against a real baseline summary written by an earlier gate run, the baseline
// promotion, fail-closed cases and the output files.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, LabError } from '../../src/errors.js';
import {
  formatVerdict,
  promoteBaseline,
  readSummary,
  runGate,
  type GateReport,
} from '../../src/gate/index.js';
import { statePaths } from '../../src/state.js';
import { jtlText, samples, tempDir, writeFile, type LabelSpec } from './support.js';

const dir = tempDir();
process.env.LAB_STATE_DIR = path.join(dir, 'state');
let n = 0;

/** Label 'a': 1000 samples over 60 s, elapsed i % 100 (p95 94, p99 98, mean 49.5, max 99). */
const base = (over: Partial<LabelSpec> = {}): LabelSpec => ({
  label: 'a',
  count: 1000,
  elapsed: (i) => i % 100,
  ...over,
});

async function gate(
  specs: LabelSpec[],
  thresholds: string,
  opts: { baseline?: string; durationMs?: number } = {},
): Promise<GateReport> {
  const id = ++n;
  const results = writeFile(
    dir,
    `run${id}.jtl`,
    jtlText(samples(specs, { durationMs: opts.durationMs ?? 60_000 })),
  );
  const th = writeFile(dir, `th${id}.yml`, thresholds);
  return runGate({
    results,
    thresholds: th,
    baseline: opts.baseline,
    outDir: path.join(dir, `out${id}`),
    now: new Date('2026-11-30T21:00:00Z'),
  });
}

const statusOf = (r: GateReport, id: string) => r.checks.find((c) => c.id === id)?.status;

async function rejected(p: Promise<unknown>): Promise<LabError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LabError);
  expect((e as LabError).code).toBe(ExitCode.INVALID_INPUT);
  return e as LabError;
}

describe('absolute limits: one pass and one fail per kind', () => {
  test.each([
    ['p95', '< 95ms', '< 94ms'],
    ['p95', '<= 94ms', '<= 93ms'],
    ['p99', '< 99ms', '< 98ms'],
    ['mean', '< 50ms', '< 49ms'],
    ['max', '< 100ms', '< 99ms'],
    ['max', '< 0.1s', '< 0.099s'],
  ])('%s: %s passes, %s fails', async (metric, ok, ko) => {
    const pass = await gate([base()], `min_samples: 10\nlabels:\n  a: { ${metric}: "${ok}" }\n`);
    expect(statusOf(pass, `a.${metric}`)).toBe('pass');
    expect(pass).toMatchObject({ verdict: 'pass', exitCode: 0 });
    const fail = await gate([base()], `min_samples: 10\nlabels:\n  a: { ${metric}: "${ko}" }\n`);
    expect(statusOf(fail, `a.${metric}`)).toBe('fail');
    expect(fail).toMatchObject({ verdict: 'fail', exitCode: 1 });
  });

  test('errors: 2% of samples failed', async () => {
    const spec = base({ errorEvery: 50 });
    expect((await gate([spec], 'labels:\n  a: { errors: "< 3%" }\n')).verdict).toBe('pass');
    expect((await gate([spec], 'labels:\n  a: { errors: "<= 2%" }\n')).verdict).toBe('pass');
    const fail = await gate([spec], 'labels:\n  a: { errors: "< 2%" }\n');
    expect(fail.verdict).toBe('fail');
    expect(fail.checks.find((c) => c.id === 'a.errors')).toMatchObject({
      observed: 2,
      message: 'a errors 2.00% breaks the limit < 2%',
    });
  });

  test('throughput: 1000 samples in ~60 s is ~16.7/s', async () => {
    expect((await gate([base()], 'overall: { throughput: "> 16/s" }\n')).verdict).toBe('pass');
    expect((await gate([base()], 'overall: { throughput: ">= 960/min" }\n')).verdict).toBe('pass');
    const fail = await gate([base()], 'overall: { throughput: "> 17/s" }\n');
    expect(fail.verdict).toBe('fail');
    expect(fail.checks.find((c) => c.id === 'overall.throughput')!.observed).toBeCloseTo(
      1000 / 59.999,
      1,
    );
  });

  test('min samples: too few samples fails even when every limit holds (fail closed)', async () => {
    expect(
      (await gate([base()], 'min_samples: 1000\nlabels:\n  a: { p95: "< 1s" }\n')).verdict,
    ).toBe('pass');
    const few = await gate([base()], 'min_samples: 1001\nlabels:\n  a: { p95: "< 1s" }\n');
    expect(few.verdict).toBe('fail');
    expect(statusOf(few, 'a.p95')).toBe('pass');
    expect(few.checks.find((c) => c.id === 'a.samples')!.message).toMatch(
      /1000 samples, fewer than the 1001 needed to judge a/,
    );
    // the default minimum (100) applies when the file sets none
    expect((await gate([base({ count: 99 })], 'labels:\n  a: { p95: "< 1s" }\n')).verdict).toBe(
      'fail',
    );
  });

  test('overall is every label together', async () => {
    const r = await gate(
      [base(), base({ label: 'b', elapsed: () => 500 })],
      'overall: { max: "< 400ms" }\n',
    );
    expect(statusOf(r, 'overall.max')).toBe('fail');
    expect(r.summary.overall.count).toBe(2000);
  });
});

describe('relative limits against a real baseline summary', () => {
  let baselineFile: string;
  const regression = (limits: string) =>
    `min_samples: 10\nlabels:\n  a: { p95: "< 10s" }\nregression: { ${limits} }\n`;

  beforeAll(async () => {
    const first = await gate([base()], regression('p95: "+20%"'));
    expect(first.verdict).toBe('pass');
    baselineFile = first.outputs.summary;
  });

  test('p95 grown by 30%: "+20%" fails, "+40%" passes', async () => {
    const slower = base({ elapsed: (i) => Math.round((i % 100) * 1.3) });
    const fail = await gate([slower], regression('p95: "+20%"'), { baseline: baselineFile });
    expect(fail.checks.find((c) => c.id === 'a.regression.p95')).toMatchObject({
      status: 'fail',
      observed: 122,
      limit: '≤ 112.8 ms (+20% over 94 ms)',
    });
    expect(statusOf(fail, 'overall.regression.p95')).toBe('fail');
    // the table shows the absolute and the relative limit of a metric on one row
    expect(formatVerdict(fail)).toMatch(
      /\na\s+p95\s+122 ms\s+< 10s\s+✓\s+≤ 112\.8 ms \(\+20% over 94 ms\)\s+✗\n/,
    );
    expect(fail.exitCode).toBe(1);
    const pass = await gate([slower], regression('p95: "+40%"'), { baseline: baselineFile });
    expect(pass.verdict).toBe('pass');
  });

  test('errors from 0% to 2%: "+1pp" fails, "+3pp" passes', async () => {
    const failing = base({ errorEvery: 50 });
    expect(
      statusOf(
        await gate([failing], regression('errors: "+1pp"'), { baseline: baselineFile }),
        'a.regression.errors',
      ),
    ).toBe('fail');
    expect(
      (await gate([failing], regression('errors: "+3pp"'), { baseline: baselineFile })).verdict,
    ).toBe('pass');
  });

  test('throughput halved: "-20%" fails, "-60%" passes', async () => {
    const fail = await gate([base()], regression('throughput: "-20%"'), {
      baseline: baselineFile,
      durationMs: 120_000,
    });
    expect(statusOf(fail, 'a.regression.throughput')).toBe('fail');
    expect(
      (
        await gate([base()], regression('throughput: "-60%"'), {
          baseline: baselineFile,
          durationMs: 120_000,
        })
      ).verdict,
    ).toBe('pass');
  });

  test('without --baseline the relative checks are skipped with a visible note, not failed', async () => {
    const r = await gate([base({ elapsed: () => 5000 })], regression('p95: "+20%"'));
    expect(statusOf(r, 'a.regression.p95')).toBe('skip');
    expect(r.verdict).toBe('pass');
    expect(r.notes).toContain('no --baseline given: relative (regression) checks skipped');
    expect(formatVerdict(r)).toMatch(/2 regression checks skipped/);
  });

  test('a label the baseline does not know is skipped with its reason', async () => {
    const r = await gate(
      [base(), base({ label: 'new_label' })],
      `${regression('p95: "+20%"')}  `.replace(
        'labels:\n',
        'labels:\n  new_label: { p95: "< 10s" }\n',
      ),
      {
        baseline: baselineFile,
      },
    );
    expect(r.checks.find((c) => c.id === 'new_label.regression.p95')).toMatchObject({
      status: 'skip',
      message: 'the baseline has no new_label label (new label?): regression check skipped',
    });
  });

  test('a given baseline that is missing or corrupt is invalid input', async () => {
    const missing = await rejected(
      gate([base()], regression('p95: "+20%"'), { baseline: path.join(dir, 'nope.json') }),
    );
    expect(missing.message).toMatch(/baseline summary .*nope\.json does not exist/);
    const corrupt = await rejected(
      gate([base()], regression('p95: "+20%"'), {
        baseline: writeFile(dir, 'corrupt.json', '{"schema": "lab-gate-'),
      }),
    );
    expect(corrupt.message).toMatch(/corrupt\.json is not valid JSON/);
    const other = await rejected(
      gate([base()], regression('p95: "+20%"'), {
        baseline: writeFile(dir, 'other.json', '{"schema": "something-else"}'),
      }),
    );
    expect(other.message).toMatch(
      /other\.json is not a gate summary \(lab-gate-summary\/1\): schema/,
    );
  });

  test('promotion: --baseline auto uses .lab/baselines/production.json once promoted; a failed summary is refused', async () => {
    const before = await gate([base()], regression('p95: "+20%"'), { baseline: 'auto' });
    expect(before.notes.join('\n')).toMatch(/--baseline auto: no production baseline yet/);
    const target = promoteBaseline(baselineFile, 'production');
    expect(target).toBe(path.join(statePaths().baselines, 'production.json'));
    expect(readSummary(target)).toEqual(readSummary(baselineFile));
    const after = await gate([base({ elapsed: (i) => (i % 100) * 2 })], regression('p95: "+20%"'), {
      baseline: 'auto',
    });
    expect(after.summary.run.baseline).toBe(target);
    expect(statusOf(after, 'a.regression.p95')).toBe('fail');
    const refused = (() => {
      try {
        promoteBaseline(after.outputs.summary, 'production');
      } catch (e) {
        return e as LabError;
      }
      return null;
    })();
    expect(refused?.message).toMatch(
      /summary of a FAILED gate: it cannot become the production baseline/,
    );
    expect(readSummary(target).verdict).toBe('pass');
  });
});

describe('fail closed on inputs that do not match', () => {
  test('a threshold naming a label absent from the results: exit 2, listing the labels present', async () => {
    const e = await rejected(
      gate(
        [base(), base({ label: 'b', count: 150 })],
        'labels:\n  a: { p95: "< 1s" }\n  place_ordr: { p95: "< 1s" }\n',
      ),
    );
    expect(e.message).toMatch(
      /names label 'place_ordr' but .*run\d+\.jtl has no sample with that label; labels present: a \(1000\), b \(150\)/,
    );
  });
  test('a typo in the thresholds is reported before the JTL is read', async () => {
    const th = writeFile(dir, 'typo.yml', 'labels:\n  a: { p59: "< 1s" }\n');
    const e = await rejected(
      runGate({
        results: path.join(dir, 'does-not-exist.jtl'),
        thresholds: th,
        outDir: path.join(dir, 'typo'),
      }),
    );
    expect(e.message).toMatch(/typo\.yml: labels\.a\.p59 \(line 2\): unknown metric/);
  });
});

describe('outputs', () => {
  let report: GateReport;
  beforeAll(async () => {
    report = await gate(
      [base(), base({ label: 'odd <&> "label"', errorEvery: 10 })],
      'min_samples: 10\noverall: { errors: "< 1%" }\nlabels:\n  a: { p95: "< 1s" }\n  \'odd <&> "label"\': { errors: "< 5%" }\n',
    );
  });

  test('JUnit XML: one testcase per check, failures with a message, XML escaped', () => {
    const xml = readFileSync(report.outputs.junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(report.checks.length);
    expect(xml).toMatch(
      /<testsuite name="performance gate" tests="6" failures="2" errors="0" skipped="0"/,
    );
    expect(xml).toContain(
      'classname="gate.odd &lt;&amp;&gt; &quot;label&quot;" name="errors &lt; 5%"',
    );
    expect(xml).toMatch(
      /<failure type="threshold" message="odd &lt;&amp;&gt; &quot;label&quot; errors 10.0% breaks the limit &lt; 5%">observed 10.0%, limit &lt; 5%<\/failure>/,
    );
    expect(xml).not.toMatch(/<[^>]*"label"/);
  });

  test('summary.json is the next baseline: schema, verdict, per-label stats, run metadata', () => {
    const s = readSummary(report.outputs.summary, 'written');
    expect(s).toMatchObject({
      schema: 'lab-gate-summary/1',
      verdict: 'fail',
      samples: 2000,
      createdAt: '2026-11-30T21:00:00.000Z',
    });
    expect(s.labels.a).toMatchObject({ count: 1000, p95: 94, p99: 98, max: 99, errors: 0 });
    expect(s.run.results).toMatch(/run\d+\.jtl$/);
  });

  test('report.html is self-contained: no script, no external reference; label text escaped', () => {
    const html = readFileSync(report.outputs.html, 'utf8');
    expect(html).not.toMatch(/<script|<link|src=|url\(|@import|https?:\/\/(?!www\.w3\.org)/i);
    expect(html).toContain('odd &lt;&amp;&gt; &quot;label&quot;');
    expect(html).toContain('<svg id="latency-chart"');
    expect(html).toMatch(/<path d="M[\d.]+,[\d.]+ L/);
  });

  test('the verdict table fits one screen and marks each check', () => {
    const text = formatVerdict(report);
    expect(text.split('\n').length).toBeLessThan(40);
    expect(text).toMatch(/^Performance gate: FAIL — 2 of 6 checks failed/);
    expect(text).toMatch(/odd <&> "label"\s+errors\s+10.0%\s+< 5%\s+✗/);
    expect(text).toMatch(/a\s+p95\s+94 ms\s+< 1s\s+✓/);
  });

  test('an unwritable output folder is invalid input', async () => {
    const file = writeFile(dir, 'a-file', 'x');
    const th = writeFile(dir, 'ok.yml', 'min_samples: 1\noverall: { errors: "< 1%" }\n');
    const results = writeFile(dir, 'ok.jtl', jtlText(samples([base()])));
    const e = await rejected(runGate({ results, thresholds: th, outDir: path.join(file, 'sub') }));
    expect(e.message).toMatch(/cannot create the output folder/);
    expect(existsSync(path.join(file, 'sub'))).toBe(false);
    writeFileSync(file, 'y');
  });
});

describe('Pushgateway exposition text', () => {
  test('names, labels and escaping (the alert rules depend on these names)', async () => {
    const { exposition } = await import('../../src/gate/pushgateway.js');
    const r = await gate(
      [base(), base({ label: 'b "q"\\x', errorEvery: 4 })],
      'overall: { errors: "< 50%" }\n',
    );
    const text = exposition(r.summary, 'v2 "rc"\nx', Date.parse('2026-11-30T21:00:00Z'));
    const rel = 'release="v2 \\"rc\\"\\nx"';
    expect(text).toContain(`lab_loadtest_gate_passed{${rel}} 1\n`);
    expect(text).toContain(`lab_loadtest_gate_timestamp_seconds{${rel}} 1796072400\n`);
    expect(text).toContain(`lab_loadtest_p95_seconds{${rel},label="a"} 0.094\n`);
    expect(text).toContain(`lab_loadtest_error_ratio{${rel},label="b \\"q\\"\\\\x"} 0.25\n`);
    expect(text).toMatch(/lab_loadtest_throughput_rps\{release="[^}]*,label="overall"\} [\d.]+\n/);
    expect(text).toContain('# TYPE lab_loadtest_gate_passed gauge\n');
  });
});
