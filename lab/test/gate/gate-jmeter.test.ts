// The gate on JTLs written by REAL JMeter runs (the load-test runner of lab/src/loadtest, with
// Debian's JMeter here) against a real local shop server whose latency and error rate the test
// controls. Three runs: healthy (the baseline), one endpoint slowed down, errors injected. Each
// kind of threshold is judged on those real JTLs once passing and once failing; the regression
// case compares with the healthy run's real summary.json.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { runGate, type GateReport } from '../../src/gate/index.js';
import type { LoadTestResult } from '../../src/loadtest/run.js';
import { describeWithTools } from '../../../test/support/tools.js';
import { startLocalShop, type LocalShop } from '../../../jmeter/tests/support/local-shop-server.js';
import { loadTestShop } from '../../../jmeter/tests/support/jmeter.js';
import { tempDir, writeFile } from './support.js';

// Short runs: a handful of users for a few seconds (JVM start-up dominates).
const RUN = {
  threads: '5',
  rampup: '1',
  duration: '6',
  think_time: '10',
  think_jitter: '10',
  order_percent: '50',
};
const LABELS = ['browse_catalog', 'search_catalog', 'view_product', 'place_order'];
const SLOWDOWN_MS = 800;

describeWithTools(['jmeter', 'java'], 'gate on real JMeter results', () => {
  const dir = tempDir('lab-gate-jmeter-');
  let shop: LocalShop;
  let healthy: LoadTestResult<GateReport>;
  let slow: LoadTestResult<GateReport>;
  let failing: LoadTestResult<GateReport>;
  let n = 0;

  /** Judges a JTL with a thresholds text (min_samples 10: the runs are short). */
  const judge = (jtl: string, limits: string, baseline?: string): Promise<GateReport> => {
    const id = ++n;
    return runGate({
      results: jtl,
      thresholds: writeFile(dir, `th${id}.yml`, `min_samples: 10\n${limits}`),
      baseline,
      outDir: path.join(dir, `gate${id}`),
    });
  };
  const statusOf = (r: GateReport, id: string) => r.checks.find((c) => c.id === id)?.status;

  beforeAll(async () => {
    shop = await startLocalShop({ latencyMs: 5 });
    // The runner's own gate hook judges the healthy run (the way `lab loadtest` does).
    const thresholds = writeFile(
      dir,
      'healthy.yml',
      'min_samples: 10\noverall: { errors: "< 1%" }\nlabels:\n  search_catalog: { p95: "< 5s" }\nregression: { p95: "+50%" }\n',
    );
    healthy = await loadTestShop<GateReport>(shop, 'baseline', RUN, {
      gate: (jtl, runDir) => runGate({ results: jtl, thresholds, outDir: runDir }),
    });
    shop.set({ routeLatencyMs: { search_products: SLOWDOWN_MS } });
    slow = await loadTestShop<GateReport>(shop, 'baseline', RUN);
    shop.set({ routeLatencyMs: {}, errorRate: 0.2 });
    failing = await loadTestShop<GateReport>(shop, 'baseline', RUN);
  }, 240_000);

  afterAll(() => shop?.close());

  test('the runs produced samples under the labels each case judges', () => {
    for (const label of LABELS) {
      expect([label, (healthy.labels[label]?.count ?? 0) >= 10]).toEqual([label, true]);
    }
    expect(slow.labels.search_catalog!.count).toBeGreaterThanOrEqual(5);
    expect(failing.labels.browse_catalog!.count).toBeGreaterThanOrEqual(10);
    expect(healthy.labels.search_catalog!.errors).toBe(0);
  });

  test("the runner's gate hook passed the healthy run and wrote its summary (the next baseline)", () => {
    expect(healthy.gate).toMatchObject({ verdict: 'pass', exitCode: 0 });
    expect(healthy.gate!.outputs.summary).toBe(path.join(healthy.runDir, 'summary.json'));
  });

  describe('each kind of threshold passes and fails on real results', () => {
    test(`p95 / p99 / mean / max: search slowed by ${SLOWDOWN_MS} ms`, async () => {
      // Every slowed search sample takes at least SLOWDOWN_MS; the limit sits half-way between
      // what the two runs measured, so the verdicts do not depend on how busy this machine is.
      const h = healthy.labels.search_catalog!;
      const s = slow.labels.search_catalog!;
      for (const metric of ['p95', 'p99', 'mean', 'max'] as const) {
        expect([metric, s[metric] >= SLOWDOWN_MS, h[metric] < s[metric]]).toEqual([
          metric,
          true,
          true,
        ]);
        const limit = `labels:\n  search_catalog: { ${metric}: "< ${Math.round((h[metric] + s[metric]) / 2)}ms" }\n`;
        expect([
          metric,
          statusOf(await judge(healthy.files.jtl, limit), `search_catalog.${metric}`),
        ]).toEqual([metric, 'pass']);
        expect([
          metric,
          statusOf(await judge(slow.files.jtl, limit), `search_catalog.${metric}`),
        ]).toEqual([metric, 'fail']);
      }
    });

    test('errors: 20% of answers are 500s', async () => {
      const limit = 'overall: { errors: "< 5%" }\nlabels:\n  browse_catalog: { errors: "< 5%" }\n';
      expect((await judge(healthy.files.jtl, limit)).verdict).toBe('pass');
      const r = await judge(failing.files.jtl, limit);
      expect(r.verdict).toBe('fail');
      const observed = r.checks.find((c) => c.id === 'overall.errors')!.observed!;
      expect(observed).toBeGreaterThan(10);
      expect(observed).toBeLessThan(35);
    });

    test('throughput: what the healthy run achieved, and ten times more', async () => {
      const achieved = healthy.overall.throughputRps;
      expect(achieved).toBeGreaterThan(5);
      expect(
        (
          await judge(
            healthy.files.jtl,
            `overall: { throughput: "> ${Math.floor(achieved / 2)}/s" }\n`,
          )
        ).verdict,
      ).toBe('pass');
      expect(
        (
          await judge(
            healthy.files.jtl,
            `overall: { throughput: "> ${Math.ceil(achieved * 10)}/s" }\n`,
          )
        ).verdict,
      ).toBe('fail');
    });

    test('min samples: fail closed when the run is too short for the label', async () => {
      const count = healthy.labels.place_order!.count;
      expect(
        (
          await judge(
            healthy.files.jtl,
            `labels:\n  place_order: { min_samples: ${count}, errors: "< 50%" }\n`,
          )
        ).verdict,
      ).toBe('pass');
      const r = await judge(
        healthy.files.jtl,
        `labels:\n  place_order: { min_samples: ${count + 1}, errors: "< 50%" }\n`,
      );
      expect([
        r.verdict,
        statusOf(r, 'place_order.samples'),
        statusOf(r, 'place_order.errors'),
      ]).toEqual(['fail', 'fail', 'pass']);
    });

    test("regression against the healthy run's real summary.json", async () => {
      const baseline = healthy.gate!.outputs.summary;
      const limits =
        'labels:\n  search_catalog: { p95: "< 10s" }\n  browse_catalog: { p95: "< 10s" }\nregression: { p95: "+50%" }\n';
      const r = await judge(slow.files.jtl, limits, baseline);
      expect(statusOf(r, 'search_catalog.regression.p95')).toBe('fail');
      expect(r.verdict).toBe('fail');
      const again = await judge(
        healthy.files.jtl,
        'labels:\n  search_catalog: { p95: "< 10s" }\nregression: { p95: "+50%", errors: "+1pp" }\n',
        baseline,
      );
      expect(statusOf(again, 'search_catalog.regression.p95')).toBe('pass');
      const errors = await judge(
        failing.files.jtl,
        'labels:\n  browse_catalog: { p95: "< 10s" }\nregression: { errors: "+5pp" }\n',
        baseline,
      );
      expect(statusOf(errors, 'browse_catalog.regression.errors')).toBe('fail');
    });

    test('a threshold naming a label the plan does not have is invalid input', async () => {
      await expect(
        judge(healthy.files.jtl, 'labels:\n  checkout: { p95: "< 1s" }\n'),
      ).rejects.toThrow(
        /names label 'checkout' but .* has no sample with that label; labels present: browse_catalog \(\d+\), place_order \(\d+\), search_catalog \(\d+\), view_product \(\d+\)/,
      );
    });
  });
});
