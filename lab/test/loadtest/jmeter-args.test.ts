import { describe, expect, test } from '@jest/globals';
import { ExitCode, LabError } from '../../src/errors.js';
import {
  buildJMeterArgs,
  jmeterBinary,
  parseProperty,
  RESULT_PROPERTIES,
} from '../../src/loadtest/jmeter.js';

describe('JMeter argv', () => {
  const args = buildJMeterArgs({
    plan: '/repo/jmeter/plans/baseline.jmx',
    jtl: '/run/results.jtl',
    log: '/run/jmeter.log',
    properties: {
      host: '10.0.0.5',
      port: '80',
      threads: '5',
      'jmeter.save.saveservice.url': 'false',
    },
    summaryIntervalSeconds: 5,
  });

  test('non-GUI, plan, results file and log', () => {
    expect(args.slice(0, 7)).toEqual([
      '-n',
      '-t',
      '/repo/jmeter/plans/baseline.jmx',
      '-l',
      '/run/results.jtl',
      '-j',
      '/run/jmeter.log',
    ]);
  });

  test('a CSV JTL with a header and millisecond timestamps, whatever jmeter.properties says', () => {
    expect(args).toContain('-Jjmeter.save.saveservice.output_format=csv');
    expect(args).toContain('-Jjmeter.save.saveservice.print_field_names=true');
    expect(args).toContain('-Jjmeter.save.saveservice.timestamp_format=ms');
    for (const column of ['time', 'label', 'successful'])
      expect(RESULT_PROPERTIES[`jmeter.save.saveservice.${column}`]).toBe('true');
    expect(args).toContain('-Jsummariser.interval=5');
  });

  test('plan properties are passed, and a user property overrides a default (each key once)', () => {
    expect(args).toContain('-Jhost=10.0.0.5');
    expect(args).toContain('-Jthreads=5');
    expect(args).toContain('-Jjmeter.save.saveservice.url=false');
    expect(args.filter((a) => a.startsWith('-Jjmeter.save.saveservice.url='))).toHaveLength(1);
  });

  test('-J key=value parsing', () => {
    expect(parseProperty('threads=10')).toEqual(['threads', '10']);
    expect(parseProperty('data_file=/tmp/a=b.csv')).toEqual(['data_file', '/tmp/a=b.csv']);
    expect(parseProperty('think_time=')).toEqual(['think_time', '']);
    for (const bad of ['threads', '=10', '1x=2', 'a b=c']) {
      let error: unknown;
      try {
        parseProperty(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LabError);
      expect((error as LabError).code).toBe(ExitCode.INVALID_INPUT);
      expect((error as LabError).message).toContain('key=value');
    }
  });

  test('JMeter is $LAB_JMETER when set, else jmeter on PATH', () => {
    expect(jmeterBinary({ LAB_JMETER: '/opt/jmeter/bin/jmeter' })).toBe('/opt/jmeter/bin/jmeter');
    expect(jmeterBinary({ LAB_JMETER: 'jmeter/launcher/jmeter-debian.sh' }, '/repo')).toBe(
      '/repo/jmeter/launcher/jmeter-debian.sh',
    );
    expect(jmeterBinary({ LAB_JMETER: 'jmeter5' }, '/repo')).toBe('jmeter5');
    expect(jmeterBinary({ LAB_JMETER: '  ' })).toBe('jmeter');
    expect(jmeterBinary({})).toBe('jmeter');
  });
});
