// The monitoring roles' configuration steps run for real with Ansible (connection local, into a
// temp dir, services untouched): Alertmanager's config rendered from alertmanager/ and accepted
// by `amtool check-config`, with and without the optional Slack secret; Grafana's provisioning
// files and admin password laid down offline; the monitoring playbook's syntax.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { describeWithTools } from '../../test/support/tools.js';
import { ansibleEnv } from '../../test/support/ansible.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SLACK_URL = 'https://hooks.slack.invalid/services/T000/B000/not-a-real-secret-4711';
const GRAFANA_PASSWORD = 'grafana-test-password-0815';

function ansible(args: string[], cwd: string) {
  return spawnSync('timeout', ['240', 'ansible-playbook', ...args], {
    cwd,
    encoding: 'utf8',
    env: ansibleEnv(),
  });
}

describeWithTools(['ansible-playbook', 'amtool'], 'monitoring roles, configuration steps', () => {
  let dir: string;
  const run = (name: string, role: string, vars: Record<string, unknown>) => {
    const play = path.join(dir, `${name}.yml`);
    writeFileSync(
      play,
      YAML.stringify([
        {
          name,
          hosts: 'monitoring',
          gather_facts: false,
          tasks: [
            {
              name: `${role} configure`,
              'ansible.builtin.include_role': { name: role, tasks_from: 'configure' },
              vars,
            },
          ],
        },
      ]),
    );
    const r = ansible(['-i', path.join(dir, 'inventory'), play], dir);
    if (r.status !== 0)
      throw new Error(`ansible-playbook ${name} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return `${r.stdout}${r.stderr}`;
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lab-monroles-'));
    mkdirSync(path.join(dir, 'inventory'));
    mkdirSync(path.join(dir, 'secrets'), { mode: 0o700 });
    symlinkSync(path.join(ROOT, 'ansible/group_vars'), path.join(dir, 'inventory/group_vars'));
    writeFileSync(
      path.join(dir, 'inventory/hosts.yml'),
      YAML.stringify({
        all: {
          vars: { lab_offline: true, lab_secrets_dir: path.join(dir, 'secrets') },
          children: {
            monitoring: {
              hosts: {
                monitoring: {
                  lab_ip: '127.0.0.1',
                  ansible_connection: 'local',
                  ansible_python_interpreter: '/usr/bin/python3',
                },
              },
            },
          },
        },
      }),
    );
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const amVars = (name: string) => ({
    alertmanager_config_file: path.join(dir, name, 'alertmanager.yml'),
    alertmanager_template_dir: path.join(dir, name, 'templates'),
    alertmanager_secrets_dir: path.join(dir, name, 'secrets'),
    alertmanager_manage_service: false,
  });

  test('without the Slack secret: email only, amtool accepts the config', () => {
    run('am-email', 'alertmanager', amVars('am-email'));
    const cfg = YAML.parse(readFileSync(path.join(dir, 'am-email/alertmanager.yml'), 'utf8')) as {
      receivers: { name: string; slack_configs?: unknown }[];
      templates: string[];
    };
    expect(cfg.receivers.map((r) => r.name)).toEqual(['email']);
    expect(cfg.templates).toEqual([`${path.join(dir, 'am-email/templates')}/*.tmpl`]);
    const installed = readdirSync(path.join(dir, 'am-email/templates'));
    expect(installed.length).toBeGreaterThan(0);
    expect(installed.every((f) => f.endsWith('.tmpl'))).toBe(true);
    const check = spawnSync(
      'amtool',
      ['check-config', path.join(dir, 'am-email/alertmanager.yml')],
      { encoding: 'utf8' },
    );
    expect(check.status).toBe(0);
  }, 240_000);

  test('with the Slack secret: Slack receiver reading the URL from a 0640 file, URL never in the output', () => {
    writeFileSync(path.join(dir, 'secrets/alertmanager_slack_webhook_url'), SLACK_URL, {
      mode: 0o600,
    });
    try {
      const out = run('am-slack', 'alertmanager', amVars('am-slack'));
      expect(out).not.toContain('not-a-real-secret');
      const rendered = readFileSync(path.join(dir, 'am-slack/alertmanager.yml'), 'utf8');
      expect(rendered).not.toContain('not-a-real-secret');
      const cfg = YAML.parse(rendered) as {
        receivers: { name: string; slack_configs?: { api_url_file: string }[] }[];
      };
      const slack = cfg.receivers.find((r) => r.slack_configs);
      const urlFile = path.join(dir, 'am-slack/secrets/slack_webhook_url');
      expect(slack?.slack_configs?.[0]?.api_url_file).toBe(urlFile);
      expect(readFileSync(urlFile, 'utf8')).toBe(SLACK_URL);
      expect(statSync(urlFile).mode & 0o777).toBe(0o640);
    } finally {
      rmSync(path.join(dir, 'secrets/alertmanager_slack_webhook_url'));
    }
  }, 240_000);

  test('Grafana offline: provisioning files, dashboards and the 0400 admin password are installed', () => {
    writeFileSync(path.join(dir, 'secrets/grafana_admin_password'), GRAFANA_PASSWORD, {
      mode: 0o600,
    });
    const etc = path.join(dir, 'grafana');
    const out = run('grafana', 'grafana', { grafana_etc_dir: etc });
    expect(out).not.toContain(GRAFANA_PASSWORD);
    expect(
      readFileSync(path.join(etc, 'provisioning/datasources/prometheus.yml'), 'utf8'),
    ).toContain('uid: prometheus');
    expect(readdirSync(path.join(etc, 'dashboards')).sort()).toEqual(
      readdirSync(path.join(ROOT, 'grafana/dashboards'))
        .filter((f) => f.endsWith('.json'))
        .sort(),
    );
    const secret = path.join(etc, 'secrets/admin_password');
    expect(statSync(secret).mode & 0o777).toBe(0o400);
    expect(statSync(secret).uid).toBe(472);
    // The dashboards provider reads the directory the role mounts into the container.
    const provider = YAML.parse(
      readFileSync(path.join(etc, 'provisioning/dashboards/lab.yml'), 'utf8'),
    ) as {
      providers: { options: { path: string } }[];
    };
    const service = readFileSync(
      path.join(ROOT, 'ansible/roles/grafana/tasks/service.yml'),
      'utf8',
    );
    expect(service).toContain(`/dashboards:${provider.providers[0]!.options.path}:ro`);
  }, 240_000);

  test('the monitoring playbook passes --syntax-check', () => {
    const r = ansible(
      [
        '-i',
        path.join(dir, 'inventory'),
        '--syntax-check',
        path.join(ROOT, 'ansible/playbooks/monitoring.yml'),
      ],
      dir,
    );
    expect(`${r.stdout}${r.stderr}`).toContain('playbook:');
    expect(r.status).toBe(0);
  });
});
