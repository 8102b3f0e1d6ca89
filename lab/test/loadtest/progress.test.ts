import { describe, expect, test } from '@jest/globals';
import { formatProgress, parseSummaryLine, ProgressTracker } from '../../src/loadtest/progress.js';

// Captured from Debian's JMeter 2.13 in this repository's tests.
const V2_DELTA =
  'summary +     66 in   3.5s =   19.1/s Avg:     3 Min:     1 Max:    21 Err:     0 (0.00%) Active: 0 Started: 2 Finished: 2';
const V2_TOTAL =
  'summary =     67 in   4.1s =   16.3/s Avg:     5 Min:     1 Max:   135 Err:     0 (0.00%)';
// The format of JMeter 5.x (Summariser: hh:mm:ss durations).
const V5_DELTA =
  'summary +    712 in 00:00:05 =  142.4/s Avg:     3 Min:     1 Max:    21 Err:     1 (0.14%) Active: 10 Started: 10 Finished: 0';
const V5_TOTAL =
  'summary =   1424 in 00:01:10 =   20.3/s Avg:     4 Min:     0 Max:   310 Err:     3 (0.21%)';

describe('summariser lines', () => {
  test('2.x delta and total', () => {
    expect(parseSummaryLine(V2_DELTA)).toEqual({
      kind: 'delta',
      samples: 66,
      seconds: 3.5,
      rate: 19.1,
      avgMs: 3,
      minMs: 1,
      maxMs: 21,
      errors: 0,
      active: 0,
      started: 2,
      finished: 2,
    });
    expect(parseSummaryLine(V2_TOTAL)).toMatchObject({
      kind: 'total',
      samples: 67,
      seconds: 4.1,
      rate: 16.3,
      errors: 0,
    });
    expect(parseSummaryLine(V2_TOTAL)?.active).toBeUndefined();
  });

  test('5.x delta and total', () => {
    expect(parseSummaryLine(V5_DELTA)).toMatchObject({
      kind: 'delta',
      samples: 712,
      seconds: 5,
      rate: 142.4,
      errors: 1,
      active: 10,
    });
    expect(parseSummaryLine(V5_TOTAL)).toMatchObject({
      kind: 'total',
      samples: 1424,
      seconds: 70,
      errors: 3,
    });
  });

  test('a zero-length interval (rate ******) and a decimal comma', () => {
    expect(
      parseSummaryLine(
        'summary +      1 in 00:00:00 = ******/s Avg:     5 Min:     5 Max:     5 Err:     0 (0.00%) Active: 1 Started: 1 Finished: 0',
      ),
    ).toMatchObject({ rate: 0, samples: 1 });
    expect(
      parseSummaryLine(
        'summary +     10 in 00:00:05 =    2,0/s Avg:     3 Min:     1 Max:    10 Err:     0 (0,00%) Active: 2 Started: 2 Finished: 0',
      ),
    ).toMatchObject({ rate: 2 });
  });

  test('other lines are not summaries', () => {
    for (const line of [
      '',
      'Creating summariser <summary>',
      'Tidying up ...    @ Mon Nov 30 20:58:58 UTC 2026',
      'summary + garbage',
    ]) {
      expect(parseSummaryLine(line)).toBeNull();
    }
  });
});

describe('progress tracker', () => {
  test('adds deltas, takes totals as authoritative, keeps the current rate and users', () => {
    const t = new ProgressTracker(1_000, 60);
    expect(t.snapshot(1_000)).toMatchObject({ testStarted: false, samples: 0 });
    expect(t.feed('Starting the test @ Mon Nov 30 20:58:53 UTC 2026 (1796072333928)')).toBe(true);
    t.feed(V5_DELTA);
    t.feed(V5_DELTA);
    expect(t.snapshot(11_000)).toMatchObject({
      elapsedSeconds: 10,
      samples: 1424,
      errors: 2,
      currentRate: 142.4,
      active: 10,
      testStarted: true,
    });
    t.feed(V5_TOTAL);
    const s = t.snapshot(12_000);
    expect(s).toMatchObject({ samples: 1424, errors: 3 });
    expect(s.errorPct).toBeCloseTo(0.21, 2);
    expect(t.feed('some other line')).toBe(false);
  });

  test('one line with elapsed/scheduled, samples, errors, rate and users', () => {
    const t = new ProgressTracker(0, 60);
    expect(formatProgress(t.snapshot(3_000))).toBe('0:03/1:00  starting JMeter...');
    t.feed(V5_DELTA);
    expect(formatProgress(t.snapshot(35_000))).toBe(
      '0:35/1:00  samples 712  errors 1 (0.14%)  now 142.4/s  users 10',
    );
    expect(formatProgress(new ProgressTracker(0, null).snapshot(61_000))).toBe(
      '1:01  starting JMeter...',
    );
  });
});
