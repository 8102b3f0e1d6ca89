// The gate on JTLs that real JMeter runs produced against a local shop server whose latency and
// error rate are set per scenario: one run passes, and each kind of threshold (latency, errors,
// throughput, regression against a real baseline summary) fails on the run made to break it —
// and only that kind fails.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeWithTools } from '../../../test/support/tools.js';
import { runGate, type GateReport } from '../../src/gate/index.js';
import type { LoadTestResult } from '../../src/loadtest/run.js';
import {
  startLocalShop,
  type LocalShop,
  type ShopBehaviour,
} from '../../../jmeter/tests/support/local-shop-server.js';
import { loadTestShop, tempRunDir } from '../../../jmeter/tests/support/jmeter.js';

const LABELS = ['browse_catalog', 'search_catalog', 'view_product', 'place_order'];
// The same kinds of limits as jmeter/thresholds.yml, scaled to short runs on loopback. The
// machine may be busy (2 cores shared with other tests): latency limits use the median, which a
// few slow samples (the first request of each JMeter thread comes from a cold JVM) cannot move,
// and every margin is several times what contention can add.
const THRESHOLDS = `version: 1
min_samples: 3
overall:
  min_samples: 10
  errors: "< 1%"
  throughput: "> 5/s"
labels:
${LABELS.map((l) => `  ${l}: { p50: "< 600ms", errors: "< 1%" }`).join('\n')}
regression:
  p50: "+100%"
`;

interface Scenario {
  shop: Partial<ShopBehaviour>;
  props?: Record<string, string>;
}
// Visits per user are fixed (QUICK: 4 users x 15 visits), so sample counts are known.
const SCENARIOS = {
  // instant answers: ~100 requests/s on an idle machine.
  fast: { shop: {} },
  // view_product answers in 800 ms: its median breaks "< 600ms"; ~14 requests/s stay above 5/s.
  slowView: { shop: { routeLatencyMs: { product_by_sku: 800 } }, props: { iterations: '6' } },
  // one API request in ten answers 500: the status assertions fail them.
  errors: { shop: { errorRate: 0.1 } },
  // one user, 500 ms think time: at most 2 requests/s (every visit orders: 4 samples per label).
  starved: {
    shop: {},
    props: {
      threads: '1',
      iterations: '4',
      think_time: '500',
      think_jitter: '0',
      order_percent: '100',
    },
  },
  // every answer 250 ms slower: within the absolute limits, beyond +100% of the fast run's median.
  slower: { shop: { latencyMs: 250 }, props: { iterations: '6' } },
} satisfies Record<string, Scenario>;
type Name = keyof typeof SCENARIOS;

/** Runs at most `limit` promises at once (several JVMs in parallel, but not all on 2 cores). */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

describeWithTools(['jmeter', 'java'], 'the gate on real JMeter runs', () => {
  const shops: LocalShop[] = [];
  const runs = {} as Record<Name, LoadTestResult>;
  let thresholds: string;

  beforeAll(async () => {
    thresholds = path.join(tempRunDir('lab-thresholds-'), 'thresholds.yml');
    writeFileSync(thresholds, THRESHOLDS);
    const names = Object.keys(SCENARIOS) as Name[];
    const parallel = Number(process.env.LAB_JMETER_PARALLEL ?? 1);
    await pool(
      names.map((name) => async () => {
        const s: Scenario = SCENARIOS[name];
        const shop = await startLocalShop(s.shop);
        shops.push(shop);
        runs[name] = await loadTestShop(shop, 'baseline', s.props);
      }),
      parallel,
    );
  }, 180_000);
  afterAll(() => Promise.all(shops.map((s) => s.close())));

  const gate = (name: Name, baseline?: string): Promise<GateReport> =>
    runGate({
      results: runs[name].files.jtl,
      thresholds,
      baseline,
      outDir: tempRunDir(`lab-gate-${name}-`),
    });
  const failing = (r: GateReport) =>
    r.checks
      .filter((c) => c.status === 'fail')
      .map((c) => c.id)
      .sort();

  test('a healthy run passes every check', async () => {
    const r = await gate('fast');
    expect(failing(r)).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.exitCode).toBe(0);
    expect(r.summary.samples).toBe(runs.fast.samples);
    expect(r.checks.filter((c) => c.status === 'pass').length).toBeGreaterThan(10);
  });

  test('latency: a slow endpoint fails its latency limit, and only that', async () => {
    const r = await gate('slowView');
    expect(failing(r)).toEqual(['view_product.p50']);
    expect(r.exitCode).toBe(1);
    expect(runs.slowView.labels.view_product!.p50).toBeGreaterThanOrEqual(800);
  });

  test('errors: failed requests fail the error-rate limits, and only those', async () => {
    const r = await gate('errors');
    const ids = failing(r);
    expect(ids).toContain('overall.errors');
    expect(ids.length).toBeGreaterThan(1);
    for (const id of ids) expect(id).toMatch(/\.errors$/);
    expect(runs.errors.overall.errorPct).toBeGreaterThan(5);
    expect(r.verdict).toBe('fail');
  });

  test('throughput: too little load fails the throughput limit, and only that', async () => {
    const r = await gate('starved');
    expect(failing(r)).toEqual(['overall.throughput']);
    expect(runs.starved.overall.throughputRps).toBeLessThan(5);
  });

  test('regression: a release slower than the last stable one fails against its real summary', async () => {
    const stable = await gate('fast');
    const r = await gate('slower', stable.outputs.summary);
    expect(failing(r)).toEqual(
      ['overall.regression.p50', ...LABELS.map((l) => `${l}.regression.p50`)].sort(),
    );
    // Without the baseline the same run passes: only the relative limit catches it.
    expect((await gate('slower')).verdict).toBe('pass');
  });

  test('regression: a faster release passes against a slower baseline', async () => {
    const slower = await gate('slower');
    const r = await gate('fast', slower.outputs.summary);
    expect(r.checks.filter((c) => c.kind === 'regression' && c.status === 'pass')).toHaveLength(
      1 + LABELS.length,
    );
    expect(r.verdict).toBe('pass');
  });
});
