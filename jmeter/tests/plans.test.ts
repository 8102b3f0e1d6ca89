// Every plan loads and runs for a few seconds in a real JMeter against a real local server,
// producing samples under every label it promises (and the thresholds name), with no errors and
// no request the real API would reject. Also: what a broken plan or a wrong data file does.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeWithTools } from '../../test/support/tools.js';
import { ExitCode, LabError } from '../../lab/src/errors.js';
import { planLabels, resolvePlan } from '../../lab/src/loadtest/plans.js';
import { runGate } from '../../lab/src/gate/index.js';
import { loadThresholds } from '../../lab/src/gate/thresholds.js';
import { startLocalShop, type LocalShop } from './support/local-shop-server.js';
import { loadTestShop, tempRunDir } from './support/jmeter.js';

const THRESHOLDS = path.resolve(import.meta.dirname, '../thresholds.yml');

describeWithTools(['jmeter', 'java'], 'JMeter plans against a local shop server', () => {
  let shop: LocalShop;
  beforeAll(async () => {
    shop = await startLocalShop();
  });
  afterAll(() => shop.close());

  for (const name of ['smoke', 'baseline', 'stress', 'spike']) {
    test(`${name}: loads, runs and answers every label without errors`, async () => {
      const before = shop.rejected.length;
      const props: Record<string, string> =
        name === 'spike' ? { spike_at: '1', spike_duration: '2', spike_threads: '6' } : {};
      const r = await loadTestShop(shop, name, { iterations: '5', ...props });
      const expected = planLabels(resolvePlan(name).text);
      expect(Object.keys(r.labels).sort()).toEqual([...expected].sort());
      for (const label of expected) {
        expect([label, r.labels[label]!.count > 0, r.labels[label]!.errors]).toEqual([
          label,
          true,
          0,
        ]);
      }
      expect(shop.rejected.slice(before)).toEqual([]);
      expect(r.jmeterExitCode).toBe(0);
      expect(r.startupMs).not.toBeNull();
      if (name === 'baseline') {
        // The real default thresholds judge this real JTL: no label they name is missing (that
        // would be invalid input); a verdict comes back (this short run has too few samples).
        const report = await runGate({
          results: r.files.jtl,
          thresholds: THRESHOLDS,
          outDir: r.runDir,
        });
        expect(report.checks.find((c) => c.id === 'overall.samples')?.status).toBe('fail');
        for (const label of loadThresholds(THRESHOLDS).labels)
          expect(report.summary.labels[label]?.count).toBeGreaterThan(0);
      }
    }, 60_000);
  }

  test('the baseline plan produces every label the gate thresholds name', async () => {
    const named = loadThresholds(THRESHOLDS).labels;
    expect(named.length).toBeGreaterThan(0);
    expect(planLabels(resolvePlan('baseline').text)).toEqual(expect.arrayContaining(named));
  });

  test('assertions bite: products missing from the catalogue fail view_product and place_order', async () => {
    const dir = tempRunDir('lab-data-');
    const data = path.join(dir, 'unknown-skus.csv');
    writeFileSync(data, 'term,sku,quantity,customer\nkettle,SKU-999999,1,a@lab.test\n');
    const r = await loadTestShop(shop, 'baseline', {
      iterations: '3',
      data_file: data,
      order_percent: '100',
    });
    expect(r.labels.view_product!.errorPct).toBe(100);
    expect(r.labels.place_order!.errorPct).toBe(100);
    expect(r.labels.browse_catalog!.errors).toBe(0);
    expect(r.labels.search_catalog!.errors).toBe(0);
  }, 60_000);

  test('a run that overruns its schedule is stopped (soft, then hard) and reported as timed out', async () => {
    const hanging = await startLocalShop({ latencyMs: 120_000 });
    try {
      const started = Date.now();
      const error = await loadTestShop(
        hanging,
        'smoke',
        { duration: '2', response_timeout: '120000' },
        { timeoutSeconds: 14 },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LabError);
      expect((error as LabError).code).toBe(ExitCode.INTERRUPTED);
      expect((error as LabError).message).toMatch(
        /ran past its 2 s schedule and was stopped|did not finish within 14 s/,
      );
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await hanging.close();
    }
  }, 60_000);

  test('a plan JMeter cannot load fails with the reason from jmeter.log, whatever the exit code', async () => {
    const dir = tempRunDir('lab-broken-');
    const broken = path.join(dir, 'broken.jmx');
    writeFileSync(
      broken,
      resolvePlan('smoke')
        .text.replace('<ConstantTimer ', '<NoSuchTimer ')
        .replace('</ConstantTimer>', '</NoSuchTimer>'),
    );
    const error = await loadTestShop(shop, broken, { iterations: '2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    const e = error as LabError;
    expect(e.code).toBe(ExitCode.TOOL_FAILED);
    expect(e.message).toMatch(/JMeter produced no (results|samples)/);
    expect(e.details.join('\n')).toMatch(/NoSuchTimer|CannotResolveClass|ConversionException/i);
  }, 60_000);
});
