// The alert and recording rules: promtool accepts them, every promtool unit test passes, and
// the house rules hold for every alert (for, severity, summary, description with the value,
// runbook link to an existing README heading, a firing and a quiet unit-test case).
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { describeWithTools } from '../../test/support/tools.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RULES_DIR = path.join(ROOT, 'prometheus/rules');
const TESTS_DIR = path.join(ROOT, 'prometheus/tests');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface UnitTest {
  name: string;
  alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
}

const ruleFiles = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const testFiles = readdirSync(TESTS_DIR)
  .filter((f) => f.endsWith('.test.yml'))
  .sort();

const rules: (Rule & { file: string })[] = ruleFiles.flatMap((file) => {
  const doc = YAML.parse(readFileSync(path.join(RULES_DIR, file), 'utf8')) as {
    groups: { rules: Rule[] }[];
  };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ ...r, file })));
});
const alerts = rules.filter((r) => r.alert);

const unitTests: UnitTest[] = testFiles.flatMap(
  (file) =>
    (YAML.parse(readFileSync(path.join(TESTS_DIR, file), 'utf8')) as { tests: UnitTest[] }).tests,
);

// Alerts about a whole job or a pushed pipeline event: no `instance` to name.
const NOT_PER_INSTANCE = new Set([
  'PrometheusTargetScrapeFailing',
  'LoadTestGateFailed',
  'RollbackPerformed',
]);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

describe('alert rules follow the house rules', () => {
  test('the rule files define the alerts the lab documents', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual(
      [
        'ContainerDown',
        'ContainerRestarting',
        'HostDiskFull',
        'HostDiskWillFillIn24h',
        'HostHighCpu',
        'HostHighMemory',
        'JenkinsDown',
        'LoadTestGateFailed',
        'PrometheusAlertDeliveryFailing',
        'PrometheusNotConnectedToAlertmanager',
        'PrometheusRuleEvaluationFailures',
        'PrometheusTargetScrapeFailing',
        'RollbackPerformed',
        'ServiceHighErrorRate',
        'ServiceHighLatencyP95',
        'TargetDown',
      ].sort(),
    );
  });

  test.each(alerts.map((a) => [a.alert!, a] as const))(
    '%s has for, severity, category, summary, description, runbook',
    (name, a) => {
      expect(a.for).toMatch(/^\d+[smh]$/);
      expect(['critical', 'warning', 'info']).toContain(a.labels?.severity);
      expect(a.labels?.category).toMatch(/^(service|host|container|pipeline|monitoring)$/);
      expect(a.annotations?.summary?.length).toBeGreaterThan(10);
      expect(a.annotations?.description).toContain('$value');
      if (!NOT_PER_INSTANCE.has(name))
        expect(a.annotations?.description).toContain('$labels.instance');
      expect(a.annotations?.runbook_url).toBe(`README.md#${name.toLowerCase()}`);
    },
  );

  test('every runbook link points at a "### <AlertName>" heading in README.md', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const anchors = new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]!)));
    const missing = alerts
      .map((a) => a.annotations!.runbook_url!.split('#')[1]!)
      .filter((a) => !anchors.has(a));
    expect(missing).toEqual([]);
  });

  test('every alert has a unit-test case that fires and one that stays quiet', () => {
    const fires = new Set<string>();
    const quiet = new Set<string>();
    for (const t of unitTests) {
      for (const c of t.alert_rule_test ?? []) {
        if ((c.exp_alerts ?? []).length > 0) fires.add(c.alertname);
        else quiet.add(c.alertname);
      }
    }
    const names = alerts.map((a) => a.alert!);
    expect(names.filter((n) => !fires.has(n))).toEqual([]);
    expect(names.filter((n) => !quiet.has(n))).toEqual([]);
  });

  test('recording rules follow level:metric:operations and keep the RED labels', () => {
    const recorded = rules.filter((r) => r.record);
    expect(recorded.length).toBeGreaterThan(0);
    for (const r of recorded) expect(r.record).toMatch(/^[a-z_]+:[a-z_]+:[a-z0-9_]+$/);
    const perVersion = recorded.filter((r) => r.record!.startsWith('env_service_slot_version:'));
    for (const r of perVersion) {
      if (/sum by/.test(r.expr))
        expect(r.expr).toMatch(/sum by \(env, service, slot, version(, le)?\)/);
    }
  });
});

function promtool(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('timeout', ['60', 'promtool', ...args], { cwd: TESTS_DIR, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describeWithTools(['promtool'], 'promtool on the rules', () => {
  test('promtool check rules accepts every rule file', () => {
    const r = promtool(['check', 'rules', ...ruleFiles.map((f) => path.join(RULES_DIR, f))]);
    expect(r.out).not.toMatch(/FAILED/);
    expect(r.status).toBe(0);
  });

  test('promtool test rules passes every unit test', () => {
    const r = promtool(['test', 'rules', ...testFiles]);
    if (r.status !== 0) process.stderr.write(r.out);
    expect(r.out).not.toMatch(/FAILED/);
    expect(r.status).toBe(0);
  });

  test('a broken threshold makes the unit tests fail (the tests can fail)', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, cpSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'lab-rules-'));
    mkdirSync(path.join(dir, 'rules'));
    mkdirSync(path.join(dir, 'tests'));
    const services = readFileSync(path.join(RULES_DIR, 'services.yml'), 'utf8').replace(
      ') > 0.05',
      ') > 0.04',
    );
    writeFileSync(path.join(dir, 'rules/services.yml'), services);
    cpSync(path.join(TESTS_DIR, 'services.test.yml'), path.join(dir, 'tests/services.test.yml'));
    const r = spawnSync('timeout', ['60', 'promtool', 'test', 'rules', 'services.test.yml'], {
      cwd: path.join(dir, 'tests'),
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/ServiceHighErrorRate quiet/);
  });
});
