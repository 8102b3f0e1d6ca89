// The plans in jmeter/plans/ as the runner sees them: names, properties, labels, schedules.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { labErrorOf } from './errors.js';
import {
  evaluateSeconds,
  listPlans,
  planLabels,
  planProperties,
  planSchedule,
  plansDir,
  resolvePlan,
} from '../../src/loadtest/plans.js';

const SHOP_LABELS = ['browse_catalog', 'search_catalog', 'view_product', 'place_order'];

describe('the plans', () => {
  test('smoke, baseline, stress and spike exist and resolve by name', () => {
    expect(listPlans()).toEqual(['baseline', 'smoke', 'spike', 'stress']);
    for (const name of listPlans())
      expect(resolvePlan(name).file).toBe(path.join(plansDir(), `${name}.jmx`));
  });

  test('stable labels: the smoke check, and the shop mix the thresholds refer to', () => {
    expect(planLabels(resolvePlan('smoke').text)).toEqual([
      'healthz_catalog',
      'healthz_orders',
      'browse_catalog',
    ]);
    for (const name of ['baseline', 'stress', 'spike'])
      expect(planLabels(resolvePlan(name).text)).toEqual(SHOP_LABELS);
  });

  test('every plan reads the target and load shape from properties', () => {
    for (const name of listPlans()) {
      const props = planProperties(resolvePlan(name).text);
      for (const p of ['host', 'port', 'protocol', 'threads', 'rampup', 'duration', 'think_time'])
        expect([name, props.has(p)]).toEqual([name, true]);
      expect(props.get('host')).toBe('127.0.0.1');
    }
    for (const name of ['baseline', 'stress', 'spike'])
      expect(planProperties(resolvePlan(name).text).get('data_file')).toBe('../data/baseline.csv');
  });

  test('stress and spike repeat the baseline visit exactly (same requests, data, assertions)', () => {
    const visit = (name: string) => {
      const text = resolvePlan(name).text;
      const start = text.indexOf('<CSVDataSet');
      const end = text.indexOf('</hashTree>\n      </hashTree>', start);
      // Think-time defaults may differ between plans; everything else must not.
      return text.slice(start, end).replace(/__P\((think_time|think_jitter),\d+\)/g, '__P($1)');
    };
    const baseline = visit('baseline');
    expect(baseline).toContain('testname="place_order"');
    expect(visit('stress')).toBe(baseline);
    expect(visit('spike')).toBe(baseline);
  });

  test('the data file has the columns the plans use, and SKUs of the seed catalogue', () => {
    const rows = readFileSync(path.join(plansDir(), '../data/baseline.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(rows[0]).toBe('term,sku,quantity,customer');
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows.slice(1))
      expect(row).toMatch(/^[a-z ]+,SKU-000(\d{3}|1000),[1-9],shopper\d{3}@lab\.test$/);
    const baseline = resolvePlan('baseline').text;
    for (const v of ['${term}', '${sku}', '${quantity}', '${customer}'])
      expect(baseline).toContain(v);
  });

  test('an unknown plan names the ones that exist; a non-plan file is refused', () => {
    const e = labErrorOf(() => resolvePlan('basline'));
    expect(e.code).toBe(ExitCode.INVALID_INPUT);
    expect(e.message).toBe('unknown plan "basline"');
    expect(e.hint).toContain('baseline, smoke, spike, stress');
    expect(labErrorOf(() => resolvePlan('/nonexistent/x.jmx')).message).toContain('does not exist');
    expect(
      labErrorOf(() => resolvePlan(path.join(plansDir(), '../data/baseline.csv'))).message,
    ).toContain('not a JMeter test plan');
  });
});

describe('schedules (for the hard timeout)', () => {
  test('property defaults, overrides and literals', () => {
    expect(evaluateSeconds('${__P(duration,60)}', {})).toBe(60);
    expect(evaluateSeconds('${__P(duration,60)}', { duration: '5' })).toBe(5);
    expect(evaluateSeconds('30', {})).toBe(30);
    expect(evaluateSeconds('', {})).toBe(0);
    expect(evaluateSeconds('${__P(duration)}', {})).toBeNull();
    expect(evaluateSeconds('${duration}', {})).toBeNull();
    expect(evaluateSeconds('${__P(duration,60)}', { duration: 'abc' })).toBeNull();
  });

  test('the longest thread group, delay included', () => {
    expect(planSchedule(resolvePlan('baseline').text, {})?.seconds).toBe(60);
    expect(planSchedule(resolvePlan('baseline').text, { duration: '5' })?.seconds).toBe(5);
    expect(planSchedule(resolvePlan('smoke').text, {})?.seconds).toBe(10);
    expect(planSchedule(resolvePlan('stress').text, {})?.seconds).toBe(300);
    const spike = resolvePlan('spike').text;
    expect(planSchedule(spike, {})?.groups).toEqual([
      { name: 'steady shoppers', delay: 0, duration: 120 },
      { name: 'spike shoppers', delay: 45, duration: 30 },
    ]);
    expect(
      planSchedule(spike, { duration: '20', spike_at: '15', spike_duration: '10' })?.seconds,
    ).toBe(25);
  });

  test('a thread group without the scheduler has no known schedule', () => {
    const text = resolvePlan('smoke').text.replace(
      '<boolProp name="ThreadGroup.scheduler">true<',
      '<boolProp name="ThreadGroup.scheduler">false<',
    );
    expect(planSchedule(text, {})).toBeNull();
  });
});
