// The built CLI (`node lab/dist/cli.js gate ...`, as Jenkins runs it): exit 0 pass, 1 fail,
// 2 for every kind of bad input, each with its own one-line message and never a stack trace.
// `make test` builds first; a stale build fails here with what to run.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../src/state.js';
import { HEADER, jtlText, line, samples, tempDir, writeFile } from './support.js';

const root = repoRoot();
const cli = path.join(root, 'lab/dist/cli.js');
const dir = tempDir('lab-gate-cli-');
const state = path.join(dir, 'state');

function lab(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: { ...process.env, LAB_STATE_DIR: state },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const built = path.join(root, 'lab/dist/gate/index.js');
  if (!existsSync(cli) || !existsSync(built))
    throw new Error('lab/dist is missing: run `npm run build` (make test does)');
  for (const f of readdirSync(path.join(root, 'lab/src/gate'))) {
    const out = path.join(root, 'lab/dist/gate', f.replace(/\.ts$/, '.js'));
    if (
      !existsSync(out) ||
      statSync(out).mtimeMs < statSync(path.join(root, 'lab/src/gate', f)).mtimeMs
    ) {
      throw new Error(
        `${path.relative(root, out)} is older than its source: run \`npm run build\``,
      );
    }
  }
});

const good = jtlText(
  samples([
    { label: 'browse_catalog', count: 500, elapsed: (i) => 20 + (i % 50) },
    { label: 'place_order', count: 200, elapsed: (i) => 100 + (i % 80), errorEvery: 100 },
  ]),
);
const thresholdsText =
  'min_samples: 100\noverall: { errors: "< 1%" }\nlabels:\n  browse_catalog: { p95: "< 300ms" }\n  place_order: { p95: "< 800ms" }\nregression: { p95: "+20%" }\n';

describe('verdicts', () => {
  test('pass: exit 0, the table, the three files', () => {
    const out = path.join(dir, 'pass');
    const r = lab([
      'gate',
      '--results',
      writeFile(dir, 'good.jtl', good),
      '--thresholds',
      writeFile(dir, 'th.yml', thresholdsText),
      '--out',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Performance gate: PASS — 0 of 9 checks failed, 3 skipped/);
    expect(r.stdout).toMatch(/browse_catalog\s+p95\s+67 ms\s+< 300ms\s+✓/);
    expect(r.stdout).toMatch(/note: no --baseline given: relative \(regression\) checks skipped/);
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'summary.json']);
  });

  test('fail: exit 1; --json prints the report; promotion of a passing run, then --baseline auto', () => {
    const promoted = lab([
      'gate',
      '--promote-baseline',
      '--env',
      'production',
      '--summary',
      path.join(dir, 'pass', 'summary.json'),
    ]);
    expect(promoted.status).toBe(0);
    expect(promoted.stdout).toMatch(/is now the production baseline/);
    expect(existsSync(path.join(state, 'baselines', 'production.json'))).toBe(true);

    const slow = jtlText(
      samples([
        { label: 'browse_catalog', count: 500, elapsed: (i) => 40 + (i % 50) },
        { label: 'place_order', count: 200, elapsed: (i) => 100 + (i % 80), errorEvery: 100 },
      ]),
    );
    const r = lab([
      '--json',
      'gate',
      '--results',
      writeFile(dir, 'slow.jtl', slow),
      '--thresholds',
      path.join(dir, 'th.yml'),
      '--baseline',
      'auto',
      '--out',
      path.join(dir, 'fail'),
    ]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as {
      verdict: string;
      exitCode: number;
      checks: { id: string; status: string }[];
    };
    expect(report).toMatchObject({ verdict: 'fail', exitCode: 1 });
    expect(report.checks.find((c) => c.id === 'browse_catalog.regression.p95')?.status).toBe(
      'fail',
    );
    expect(
      JSON.parse(readFileSync(path.join(dir, 'fail', 'summary.json'), 'utf8')).run.baseline,
    ).toBe(path.join(state, 'baselines', 'production.json'));

    const refused = lab([
      'gate',
      '--promote-baseline',
      '--env',
      'production',
      '--summary',
      path.join(dir, 'fail', 'summary.json'),
    ]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^error: .*summary of a FAILED gate/);
  });
});

describe('bad input corpus: exit 2, a distinct message each, no stack trace', () => {
  const th = () => path.join(dir, 'th.yml');
  const row = line({ ts: 1_764_536_400_000, elapsed: 12, label: 'browse_catalog' });
  const cases: [string, () => string[], RegExp][] = [
    [
      'missing results file',
      () => ['--results', path.join(dir, 'none.jtl'), '--thresholds', th()],
      /results file .*none\.jtl does not exist/,
    ],
    [
      'empty file',
      () => ['--results', writeFile(dir, 'empty.jtl', ''), '--thresholds', th()],
      /empty\.jtl:1: the file is empty/,
    ],
    [
      'header only',
      () => ['--results', writeFile(dir, 'header.jtl', `${HEADER}\n`), '--thresholds', th()],
      /header\.jtl:1: the file has a header but no samples/,
    ],
    [
      'truncated line',
      () => [
        '--results',
        writeFile(dir, 'cut.jtl', `${HEADER}\n${row}\n${row.slice(0, 25)}`),
        '--thresholds',
        th(),
      ],
      /cut\.jtl:3: truncated last record/,
    ],
    [
      'wrong columns',
      () => [
        '--results',
        writeFile(dir, 'cols.jtl', `${HEADER}\n${row}\n1764536400000,12,browse_catalog,200\n`),
        '--thresholds',
        th(),
      ],
      /cols\.jtl:3: 4 fields, but the header has 17 columns/,
    ],
    [
      'non-numeric values',
      () => [
        '--results',
        writeFile(dir, 'nan.jtl', `${HEADER}\n${row.replace(',12,', ',twelve,')}\n`),
        '--thresholds',
        th(),
      ],
      /nan\.jtl:2: elapsed "twelve" is not a whole number/,
    ],
    [
      'unknown label in thresholds',
      () => [
        '--results',
        writeFile(dir, 'good2.jtl', good),
        '--thresholds',
        writeFile(dir, 'label.yml', 'labels:\n  checkout: { p95: "< 1s" }\n'),
      ],
      /names label 'checkout' but .* has no sample with that label; labels present: browse_catalog \(500\), place_order \(200\)/,
    ],
    [
      'typo in a limit',
      () => [
        '--results',
        path.join(dir, 'good2.jtl'),
        '--thresholds',
        writeFile(dir, 'typo.yml', 'labels:\n  search_catalog:\n    p95: "< 3OOms"\n'),
      ],
      /typo\.yml: labels\.search_catalog\.p95 \(line 3\): '< 3OOms' is not a duration limit like '< 300ms'/,
    ],
    [
      'typo in a key',
      () => [
        '--results',
        path.join(dir, 'good2.jtl'),
        '--thresholds',
        writeFile(dir, 'key.yml', 'overal:\n  errors: "< 1%"\n'),
      ],
      /key\.yml: overal \(line 1\): unknown key \(did you mean 'overall'\?\)/,
    ],
    [
      'corrupt baseline',
      () => [
        '--results',
        path.join(dir, 'good2.jtl'),
        '--thresholds',
        th(),
        '--baseline',
        writeFile(dir, 'base.json', 'not json'),
      ],
      /baseline summary .*base\.json is not valid JSON/,
    ],
    ['missing --results', () => ['--thresholds', th()], /lab gate needs --results FILE\.jtl/],
    [
      '--pushgateway without --env',
      () => ['--results', path.join(dir, 'good2.jtl'), '--pushgateway', 'http://127.0.0.1:9'],
      /--pushgateway needs --env and --release/,
    ],
  ];
  const seen = new Set<string>();
  test.each(cases)('%s', (_name, args, message) => {
    const r = lab(['gate', ...args(), '--out', path.join(dir, 'bad')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)|internal error/);
    const first = r.stderr.split('\n')[0]!;
    expect(seen.has(first)).toBe(false);
    seen.add(first);
  });
});
