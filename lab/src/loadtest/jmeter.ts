// How the lab calls JMeter: which binary, and the non-GUI argv with the result-file settings the
// gate depends on. Building the argv is pure (tested alone); running it is run.ts's job.
import path from 'node:path';
import { ExitCode, LabError } from '../errors.js';

/**
 * `$LAB_JMETER` (a command, e.g. jmeter/launcher/jmeter-debian.sh), else `jmeter` on PATH. A
 * relative path is taken from the current directory (JMeter itself runs in the run folder).
 */
export function jmeterBinary(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const configured = env.LAB_JMETER?.trim();
  if (!configured) return 'jmeter';
  return configured.includes('/') ? path.resolve(cwd, configured) : configured;
}

/**
 * Result-file (JTL) settings, passed on every run so that the JTL does not depend on the
 * jmeter.properties of the machine: CSV with a header, epoch-millisecond timestamps, and the
 * columns the gate reads (timeStamp, elapsed, label, success) plus the ones a human reads when
 * a run goes wrong (responseCode, responseMessage, failureMessage, threads, latency, URL).
 * Response bodies are never stored.
 */
export const RESULT_PROPERTIES: Readonly<Record<string, string>> = {
  'jmeter.save.saveservice.output_format': 'csv',
  'jmeter.save.saveservice.print_field_names': 'true',
  'jmeter.save.saveservice.default_delimiter': ',',
  'jmeter.save.saveservice.timestamp_format': 'ms',
  'jmeter.save.saveservice.time': 'true',
  'jmeter.save.saveservice.label': 'true',
  'jmeter.save.saveservice.successful': 'true',
  'jmeter.save.saveservice.response_code': 'true',
  'jmeter.save.saveservice.response_message': 'true',
  'jmeter.save.saveservice.assertion_results_failure_message': 'true',
  'jmeter.save.saveservice.thread_name': 'true',
  'jmeter.save.saveservice.thread_counts': 'true',
  'jmeter.save.saveservice.data_type': 'true',
  'jmeter.save.saveservice.bytes': 'true',
  'jmeter.save.saveservice.sent_bytes': 'true',
  'jmeter.save.saveservice.latency': 'true',
  'jmeter.save.saveservice.connect_time': 'true',
  'jmeter.save.saveservice.url': 'true',
  'jmeter.save.saveservice.response_data': 'false',
  'jmeter.save.saveservice.response_data.on_error': 'false',
  'jmeter.save.saveservice.samplerData': 'false',
  'jmeter.save.saveservice.subresults': 'false',
  // The sample's timestamp is its start (the gate's assumption).
  'sampleresult.timestamp.start': 'true',
};

/** The summariser prints `summary +` lines on stdout: the live progress comes from them. */
export const summariserProperties = (intervalSeconds: number): Record<string, string> => ({
  'summariser.name': 'summary',
  'summariser.interval': String(intervalSeconds),
  'summariser.out': 'true',
});

const PROPERTY_NAME = /^[A-Za-z_][\w.-]*$/;

/** Parses one `-J key=value`; invalid input is a LabError naming the flag. */
export function parseProperty(spec: string): [string, string] {
  const eq = spec.indexOf('=');
  const key = eq > 0 ? spec.slice(0, eq).trim() : '';
  if (eq <= 0 || !PROPERTY_NAME.test(key)) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `-J ${JSON.stringify(spec)}: expected key=value with a property name such as threads or think_time`,
      'for example: -J threads=50 -J think_time=200',
    );
  }
  return [key, spec.slice(eq + 1)];
}

export interface JMeterArgs {
  plan: string;
  jtl: string;
  log: string;
  /** Plan properties (host, port, threads...), passed as -Jkey=value after the fixed ones. */
  properties: Readonly<Record<string, string>>;
  summaryIntervalSeconds: number;
}

/** The non-GUI argv. Plan properties come last so that a user's -J can override any default. */
export function buildJMeterArgs(a: JMeterArgs): string[] {
  const props = {
    ...RESULT_PROPERTIES,
    ...summariserProperties(a.summaryIntervalSeconds),
    ...a.properties,
  };
  return [
    '-n',
    '-t',
    a.plan,
    '-l',
    a.jtl,
    '-j',
    a.log,
    ...Object.entries(props).map(([k, v]) => `-J${k}=${v}`),
  ];
}
