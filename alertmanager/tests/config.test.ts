// The Alertmanager config as the role renders it (real Ansible): amtool accepts it with and
// without Slack and with SMTP auth, routing sends what matters to Slack, the Slack receiver
// exists only when a webhook is configured, and the secret never lands in the config.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { describeWithTools } from '../../test/support/tools.js';
import { ROOT, renderAlertmanager, type Rendered } from './render.js';

interface AmConfig {
  global: Record<string, unknown>;
  route: {
    receiver: string;
    group_by: string[];
    routes: { matchers: string[]; receiver: string; group_by?: string[] }[];
  };
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
  receivers: {
    name: string;
    slack_configs?: Record<string, unknown>[];
    email_configs?: Record<string, unknown>[];
  }[];
}

const defaults = YAML.parse(
  readFileSync(path.join(ROOT, 'alertmanager/defaults.yml'), 'utf8'),
) as Record<string, unknown>;

function amtool(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('timeout', ['30', 'amtool', ...args], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The receiver amtool's router picks for a label set. */
function routeOf(configFile: string, labels: Record<string, string>): string {
  const r = amtool([
    'config',
    'routes',
    'test',
    `--config.file=${configFile}`,
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  ]);
  expect(r.status).toBe(0);
  return r.out
    .split('\n')
    .filter((l) => l && !l.startsWith('Warning'))[0]!
    .trim();
}

describe('the Alertmanager template knobs', () => {
  test('every variable the templates use has a default in alertmanager/defaults.yml', () => {
    const sources = [
      readFileSync(path.join(ROOT, 'alertmanager/alertmanager.yml.j2'), 'utf8'),
      readFileSync(path.join(ROOT, 'alertmanager/templates/lab-settings.tmpl.j2'), 'utf8'),
    ].join('\n');
    const used = new Set([...sources.matchAll(/\balertmanager_[a-z0-9_]+/g)].map((m) => m[0]));
    expect([...used].filter((v) => !(v in defaults))).toEqual([]);
  });

  test("the alertmanager role's defaults define the same knobs (when the role exists)", () => {
    const roleDefaults = path.join(ROOT, 'ansible/roles/alertmanager/defaults/main.yml');
    if (!existsSync(roleDefaults)) return;
    const role = YAML.parse(readFileSync(roleDefaults, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(defaults).filter((k) => !(k in role))).toEqual([]);
  });
});

describeWithTools(['ansible-playbook', 'amtool'], 'rendered Alertmanager config', () => {
  let plain: Rendered;
  let slack: Rendered;
  let smtp: Rendered;
  let slackFile: string;
  const SECRET_URL = 'http://127.0.0.1:9/services/T000/B000/not-a-real-secret';

  beforeAll(() => {
    plain = renderAlertmanager();
    const secretDir = mkdtempSync(path.join(tmpdir(), 'lab-am-secret-'));
    slackFile = path.join(secretDir, 'slack_webhook_url');
    writeFileSync(slackFile, `${SECRET_URL}\n`, { mode: 0o600 });
    slack = renderAlertmanager({
      alertmanager_slack_webhook_url_file: slackFile,
      alertmanager_slack_channel: '#lab-alerts',
    });
    smtp = renderAlertmanager({
      alertmanager_smtp_smarthost: 'smtp.example.org:587',
      alertmanager_smtp_require_tls: true,
      alertmanager_smtp_auth_username: 'lab-alerts',
      alertmanager_smtp_auth_password_file: '/etc/alertmanager/smtp_password',
      alertmanager_email_to: 'ops@example.org',
      alertmanager_runbook_base_url: 'https://git.example.org/lab/blob/main/',
    });
    writeFileSync(path.join(smtp.dir, 'smtp_password'), 'x');
  }, 90_000);

  afterAll(() => {
    for (const d of [plain?.dir, slack?.dir, smtp?.dir, slackFile && path.dirname(slackFile)]) {
      if (d) rmSync(d, { recursive: true, force: true });
    }
  });

  test('amtool check-config accepts the config without Slack, with Slack, with SMTP auth', () => {
    for (const r of [plain, slack]) {
      const out = amtool(['check-config', r.configFile]);
      expect(out.out).toMatch(/SUCCESS/);
      expect(out.status).toBe(0);
    }
    // amtool reads the password file: point it at one that exists
    const cfg = smtp.config.replace(
      '/etc/alertmanager/smtp_password',
      path.join(smtp.dir, 'smtp_password'),
    );
    writeFileSync(smtp.configFile, cfg);
    const out = amtool(['check-config', smtp.configFile]);
    expect(out.status).toBe(0);
  });

  test('the message templates parse (amtool loads them) and lab-settings carries the runbook base', () => {
    expect(readdirSync(path.join(plain.dir, 'templates')).sort()).toEqual([
      'lab-settings.tmpl',
      'lab.tmpl',
    ]);
    expect(amtool(['check-config', plain.configFile]).out).toMatch(/1 templates/);
    expect(readFileSync(path.join(smtp.dir, 'templates/lab-settings.tmpl'), 'utf8')).toContain(
      '{{ define "lab.runbook_base" }}https://git.example.org/lab/blob/main/{{ end }}',
    );
  });

  test('without a webhook there is no Slack receiver and everything goes to email', () => {
    const c = YAML.parse(plain.config) as AmConfig;
    expect(c.receivers.map((r) => r.name)).toEqual(['email']);
    expect(plain.config).not.toMatch(/slack_configs|api_url/);
    expect(
      routeOf(plain.configFile, {
        alertname: 'TargetDown',
        severity: 'critical',
        env: 'production',
      }),
    ).toBe('email');
    expect(c.global.smtp_smarthost).toBe('monitoring:1025');
    expect(c.global.smtp_require_tls).toBe(false);
    expect(c.receivers[0]!.email_configs![0]!.send_resolved).toBe(true);
  });

  test('with a webhook, Slack gets critical, production and pipeline alerts; staging warnings stay in email', () => {
    const c = YAML.parse(slack.config) as AmConfig;
    expect(c.receivers.map((r) => r.name)).toEqual(['email', 'slack-and-email']);
    const s = c.receivers[1]!.slack_configs![0]!;
    expect(s.api_url_file).toBe(slackFile);
    expect(s.channel).toBe('#lab-alerts');
    expect(s.send_resolved).toBe(true);
    expect(slack.config).not.toContain(SECRET_URL);
    const team = 'slack-and-email';
    expect(
      routeOf(slack.configFile, { alertname: 'TargetDown', severity: 'critical', env: 'staging' }),
    ).toBe(team);
    expect(
      routeOf(slack.configFile, {
        alertname: 'ServiceHighLatencyP95',
        severity: 'warning',
        env: 'production',
      }),
    ).toBe(team);
    expect(
      routeOf(slack.configFile, {
        alertname: 'LoadTestGateFailed',
        severity: 'warning',
        category: 'pipeline',
        env: 'staging',
      }),
    ).toBe(team);
    expect(
      routeOf(slack.configFile, {
        alertname: 'RollbackPerformed',
        severity: 'warning',
        category: 'pipeline',
        env: 'production',
      }),
    ).toBe(team);
    expect(
      routeOf(slack.configFile, { alertname: 'HostHighCpu', severity: 'warning', env: 'staging' }),
    ).toBe('email');
    expect(
      routeOf(slack.configFile, { alertname: 'LabTestAlert', severity: 'info', category: 'test' }),
    ).toBe(team);
  });

  test('grouping: by alertname and env; all rollbacks together; TargetDown inhibits error/latency alerts', () => {
    const c = YAML.parse(slack.config) as AmConfig;
    expect(c.route.group_by).toEqual(['alertname', 'env']);
    const rollback = c.route.routes.find((r) =>
      r.matchers.includes('alertname="RollbackPerformed"'),
    );
    expect(rollback?.group_by).toEqual(['alertname']);
    const inhibit = c.inhibit_rules.find((r) =>
      r.source_matchers.includes('alertname="TargetDown"'),
    );
    expect(inhibit?.target_matchers).toEqual([
      'alertname=~"ServiceHighErrorRate|ServiceHighLatencyP95"',
    ]);
    expect(inhibit?.equal).toEqual(['env', 'service', 'instance']);
  });

  test('any SMTP server by config: smarthost, TLS, username and a password file (never the password)', () => {
    const c = YAML.parse(smtp.config) as AmConfig;
    expect(c.global).toMatchObject({
      smtp_smarthost: 'smtp.example.org:587',
      smtp_require_tls: true,
      smtp_auth_username: 'lab-alerts',
    });
    expect(String(c.global.smtp_auth_password_file)).toMatch(/smtp_password$/);
    expect(c.global).not.toHaveProperty('smtp_auth_password');
    expect(c.receivers[0]!.email_configs![0]!.to).toBe('ops@example.org');
  });
});
