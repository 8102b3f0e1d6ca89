// Renders prometheus/prometheus.yml.j2 with real Ansible (the prometheus role's configure
// tasks, connection local) from a sample inventory — 2 envs, 2 slots, 2 replicas per service —
// and checks the result with `promtool check config`, which also loads the rule files.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
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

interface StaticConfig {
  targets: string[];
  labels?: Record<string, string>;
}
interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  honor_labels?: boolean;
  static_configs?: StaticConfig[];
}
interface PromConfig {
  global: Record<string, string>;
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: StaticConfig[] }[] };
  scrape_configs: ScrapeConfig[];
}

const INVENTORY = {
  all: {
    vars: { lab_offline: true },
    children: {
      jenkins: { hosts: { jenkins: { lab_ip: '10.77.0.10' } } },
      app: {
        children: {
          staging: {
            hosts: {
              staging: {
                lab_ip: '10.77.0.20',
                lab_env: 'staging',
                lab_replicas: { catalog: 2, orders: 2 },
              },
            },
          },
          production: {
            hosts: {
              production: {
                lab_ip: '10.77.0.30',
                lab_env: 'production',
                lab_replicas: { catalog: 2, orders: 2 },
              },
            },
          },
        },
      },
      monitoring: {
        hosts: {
          monitoring: {
            lab_ip: '10.77.0.40',
            ansible_connection: 'local',
            ansible_python_interpreter: '/usr/bin/python3',
          },
        },
      },
    },
  },
};

function sh(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}) {
  return spawnSync(
    'timeout',
    [String(Math.ceil((opts.timeoutMs ?? 120_000) / 1000)), cmd, ...args],
    {
      cwd: opts.cwd,
      encoding: 'utf8',
      env: ansibleEnv(),
    },
  );
}

describeWithTools(
  ['ansible-playbook', 'promtool'],
  'prometheus.yml rendered from the inventory',
  () => {
    let dir: string;
    let rendered: string;
    let config: PromConfig;

    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'lab-promcfg-'));
      const inv = path.join(dir, 'inventory');
      spawnSync('mkdir', ['-p', inv]);
      writeFileSync(path.join(inv, 'hosts.yml'), YAML.stringify(INVENTORY));
      symlinkSync(path.join(ROOT, 'ansible/group_vars'), path.join(inv, 'group_vars'));
      const group = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
      const user = os.userInfo().username;
      writeFileSync(
        path.join(dir, 'render.yml'),
        YAML.stringify([
          {
            name: 'Render the Prometheus configuration only',
            hosts: 'monitoring',
            gather_facts: false,
            tasks: [
              {
                name: 'Configure tasks of the prometheus role',
                'ansible.builtin.include_role': { name: 'prometheus', tasks_from: 'configure' },
                vars: {
                  prometheus_config_dir: path.join(dir, 'etc'),
                  prometheus_config_owner: user,
                  prometheus_config_group: group,
                  prometheus_manage_service: false,
                },
              },
            ],
          },
        ]),
      );
      spawnSync('mkdir', ['-p', path.join(dir, 'etc')]);
      const r = sh('ansible-playbook', ['-i', inv, path.join(dir, 'render.yml')], {
        cwd: dir,
        timeoutMs: 180_000,
      });
      if (r.status !== 0)
        throw new Error(`ansible-playbook failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
      rendered = path.join(dir, 'etc/prometheus.yml');
      config = YAML.parse(readFileSync(rendered, 'utf8')) as PromConfig;
    }, 200_000);

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const job = (name: string) => {
      const found = config.scrape_configs.find((j) => j.job_name === name);
      if (!found)
        throw new Error(
          `job ${name} missing; jobs: ${config.scrape_configs.map((j) => j.job_name).join(', ')}`,
        );
      return found;
    };
    const targets = (name: string) =>
      (job(name).static_configs ?? []).flatMap((s) =>
        s.targets.map((t) => ({ t, l: s.labels ?? {} })),
      );

    test('promtool check config accepts it (rule files included)', () => {
      const r = sh('promtool', ['check', 'config', rendered], { timeoutMs: 60_000 });
      const out = `${r.stdout}${r.stderr}`;
      expect(out).toContain('SUCCESS');
      expect(r.status).toBe(0);
      // The repository's rule files were installed beside it and loaded by the check.
      const rulesDir = path.join(ROOT, 'prometheus/rules');
      for (const f of existsSync(rulesDir) ? readdirSync(rulesDir, { withFileTypes: true }) : []) {
        if (f.isFile() && f.name.endsWith('.yml'))
          expect(out).toContain(path.join(dir, 'etc/rules', f.name));
      }
    });

    test('rule_files point at absolute paths on the host', () => {
      expect(config.rule_files.length).toBeGreaterThan(0);
      for (const f of config.rule_files) expect(path.isAbsolute(f)).toBe(true);
    });

    test('every replica of every service in both slots of both envs is scraped on its host port', () => {
      const app = targets('app');
      expect(app).toHaveLength(2 * 2 * 2 * 2); // envs x services x slots x replicas
      expect(app).toContainEqual({
        t: '10.77.0.30:3112',
        l: {
          env: 'production',
          service: 'catalog',
          slot: 'green',
          replica: '2',
          host: 'production',
          instance: 'production:3112',
        },
      });
      expect(app).toContainEqual({
        t: '10.77.0.20:3201',
        l: {
          env: 'staging',
          service: 'orders',
          slot: 'blue',
          replica: '1',
          host: 'staging',
          instance: 'staging:3201',
        },
      });
      const combos = new Set(app.map(({ l }) => `${l.env}/${l.service}/${l.slot}/${l.replica}`));
      expect(combos.size).toBe(16);
    });

    test('node_exporter on every host; containers and nginx on app hosts', () => {
      expect(
        targets('node')
          .map((x) => x.t)
          .sort(),
      ).toEqual(['10.77.0.10:9100', '10.77.0.20:9100', '10.77.0.30:9100', '10.77.0.40:9100']);
      expect(
        targets('containers')
          .map((x) => x.t)
          .sort(),
      ).toEqual(['10.77.0.20:9101', '10.77.0.30:9101']);
      expect(
        targets('nginx')
          .map((x) => x.l.env)
          .sort(),
      ).toEqual(['production', 'staging']);
    });

    test('Jenkins, Pushgateway (honor_labels), Alertmanager and Prometheus itself', () => {
      expect(job('jenkins').metrics_path).toBe('/prometheus/');
      expect(targets('jenkins').map((x) => x.t)).toEqual(['10.77.0.10:8080']);
      expect(job('pushgateway').honor_labels).toBe(true);
      expect(targets('pushgateway').map((x) => x.t)).toEqual(['10.77.0.40:9091']);
      expect(targets('alertmanager').map((x) => x.t)).toEqual(['10.77.0.40:9093']);
      expect(targets('prometheus').map((x) => x.t)).toEqual(['localhost:9090']);
      expect(config.alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual([
        '10.77.0.40:9093',
      ]);
    });
  },
);
