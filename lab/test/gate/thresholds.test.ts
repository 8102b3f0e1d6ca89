// The thresholds file: the shipped default parses, the grammar accepts what the README shows,
// and every typo gets its own message with the path (and line) of the culprit.
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { ExitCode, LabError } from '../../src/errors.js';
import {
  loadThresholds,
  parseLimit,
  parseRegression,
  parseThresholds,
} from '../../src/gate/thresholds.js';
import { repoRoot } from '../../src/state.js';

function problems(yaml: string): { message: string; details: readonly string[] } {
  try {
    parseThresholds(yaml, 'thresholds.yml');
  } catch (e) {
    expect(e).toBeInstanceOf(LabError);
    expect((e as LabError).code).toBe(ExitCode.INVALID_INPUT);
    return { message: (e as LabError).message, details: (e as LabError).details };
  }
  throw new Error('expected the thresholds to be rejected');
}

describe('the shipped jmeter/thresholds.yml', () => {
  test('parses, names the four labels of the baseline plan and sets regression limits', () => {
    const t = loadThresholds(path.join(repoRoot(), 'jmeter/thresholds.yml'));
    expect(t.labels).toEqual(['browse_catalog', 'search_catalog', 'view_product', 'place_order']);
    expect(t.hasRegression).toBe(true);
    const overall = t.scopes.find((s) => s.isOverall)!;
    expect(overall.minSamples).toBe(1000);
    expect(overall.absolute.map((l) => l.metric)).toEqual(['p99', 'errors', 'throughput']);
    const search = t.scopes.find((s) => s.name === 'search_catalog')!;
    expect(search.absolute.find((l) => l.metric === 'p95')).toMatchObject({ op: '<', value: 500 });
    expect(search.regression.map((r) => r.metric)).toEqual(['p95', 'errors', 'throughput']);
  });
});

describe('limit grammar', () => {
  test.each([
    ['p95', '< 300ms', '<', 300],
    ['p99', '<= 1.5s', '<=', 1500],
    ['mean', '<200ms', '<', 200],
    ['max', '< 5 s', '<', 5000],
    ['errors', '< 1%', '<', 1],
    ['errors', '<= 0.5 %', '<=', 0.5],
    ['throughput', '> 50/s', '>', 50],
    ['throughput', '>= 600/min', '>=', 10],
  ] as const)('%s %s', (metric, text, op, value) => {
    expect(parseLimit(metric, text)).toMatchObject({ metric, op, value });
  });

  test.each([
    ['p95', '< 3OOms', "'< 3OOms' is not a duration limit like '< 300ms'"],
    ['p95', '< 300', "'< 300' has no unit: write ms or s"],
    ['p95', '> 300ms', 'p95 limits are upper bounds'],
    [
      'p95',
      300,
      "300 is a bare number: write the limit with its operator and unit, like '< 300ms'",
    ],
    ['errors', '< 1', 'error limits are percentages'],
    ['errors', '< 101%', 'cannot exceed 100%'],
    ['throughput', '< 50/s', 'throughput limits are lower bounds'],
    ['throughput', '> 50 rps', "is not a throughput limit like '> 50/s'"],
  ] as const)('%s %j is rejected', (metric, text, message) => {
    expect(parseLimit(metric, text)).toContain(message);
  });

  test('regression limits', () => {
    expect(parseRegression('p95', '+20%')).toMatchObject({ value: 20 });
    expect(parseRegression('errors', '+0.5pp')).toMatchObject({ value: 0.5 });
    expect(parseRegression('throughput', '-20%')).toMatchObject({ value: 20 });
    expect(parseRegression('p95', 'off')).toBeNull();
    expect(parseRegression('p95', '20%')).toContain("is not a regression limit like '+20%'");
    expect(parseRegression('p95', '-20%')).toContain('a latency regression is a growth');
    expect(parseRegression('errors', '+1%')).toContain('percentage points');
    expect(parseRegression('throughput', '+20%')).toContain('a throughput regression is a drop');
  });
});

describe('typos and structure errors, each with its path and line', () => {
  test("the issue's example: a letter O in a number", () => {
    const { message } = problems('labels:\n  search_catalog:\n    p95: "< 3OOms"\n');
    expect(message).toBe(
      "thresholds.yml: labels.search_catalog.p95 (line 3): '< 3OOms' is not a duration limit like '< 300ms'",
    );
  });
  test('unknown metric, with a suggestion', () => {
    const { message } = problems('labels:\n  search_catalog:\n    p59: "< 300ms"\n');
    expect(message).toMatch(
      /labels\.search_catalog\.p59 \(line 3\): unknown metric \(did you mean 'p50'\?\); known: p50, p90, p95, p99, mean, max, errors, throughput, min_samples, regression/,
    );
  });
  test('misspelt top-level key', () => {
    expect(problems('lables:\n  a: { p95: "< 1s" }\n').message).toMatch(
      /lables \(line 1\): unknown key \(did you mean 'labels'\?\)/,
    );
  });
  test('unknown regression metric', () => {
    expect(problems('regression:\n  p95: "+20%"\n  latency: "+10%"\n').message).toMatch(
      /regression\.latency \(line 3\): unknown regression metric/,
    );
  });
  test('min_samples must be a whole number', () => {
    expect(problems('min_samples: 2.5\noverall: { errors: "< 1%" }\n').message).toMatch(
      /min_samples \(line 1\): must be a whole number of samples/,
    );
  });
  test('a label that is not a mapping', () => {
    expect(problems('labels:\n  a: "< 300ms"\n').message).toMatch(
      /labels\.a \(line 2\): must be a mapping/,
    );
  });
  test('wrong version', () => {
    expect(problems('version: 2\noverall: { errors: "< 1%" }\n').message).toMatch(
      /version \(line 1\): must be 1/,
    );
  });
  test('invalid YAML', () => {
    expect(problems('labels:\n  a: { p95: "< 1s"\n').message).toMatch(
      /\(yaml\) \(line \d\): invalid YAML/,
    );
  });
  test('duplicate keys', () => {
    expect(problems('overall:\n  errors: "< 1%"\n  errors: "< 2%"\n').message).toMatch(
      /invalid YAML: Map keys must be unique/,
    );
  });
  test('empty file and a file without limits', () => {
    expect(problems('').message).toMatch(/\(file\): is empty/);
    expect(problems('min_samples: 10\n').message).toMatch(/sets no limit at all/);
  });
  test('several problems are all listed at once', () => {
    const { message, details } = problems(
      'labels:\n  a:\n    p95: "< 3OOms"\n    errors: "1%"\n    throughput: "< 5/s"\n',
    );
    expect(message).toBe('thresholds.yml: 3 problems in the thresholds');
    expect(details).toEqual([
      "labels.a.p95 (line 3): '< 3OOms' is not a duration limit like '< 300ms'",
      "labels.a.errors (line 4): '1%' is not an error-rate limit like '< 1%'",
      "labels.a.throughput (line 5): '< 5/s': throughput limits are lower bounds: use '>' or '>=' (like '> 50/s')",
    ]);
  });
  test('missing file', () => {
    expect(() => loadThresholds('/nonexistent/thresholds.yml')).toThrow(
      /thresholds file \/nonexistent\/thresholds\.yml does not exist/,
    );
  });
});

describe('scopes', () => {
  test('top-level regression applies to overall and every label; a label may override or switch it off', () => {
    const t = parseThresholds(
      'min_samples: 50\nregression: { p95: "+20%", errors: "+1pp" }\nlabels:\n  a: { p95: "< 1s", regression: { p95: "+50%" } }\n  b: { min_samples: 5, regression: { errors: off } }\n',
      'x.yml',
    );
    const [overall, a, b] = t.scopes;
    expect(overall).toMatchObject({ name: 'overall', minSamples: 50 });
    expect(overall!.regression.map((r) => [r.metric, r.value])).toEqual([
      ['p95', 20],
      ['errors', 1],
    ]);
    expect(a!.regression.map((r) => [r.metric, r.value])).toEqual([
      ['p95', 50],
      ['errors', 1],
    ]);
    expect(b!.regression.map((r) => r.metric)).toEqual(['p95']);
    expect(b!.minSamples).toBe(5);
  });
});
