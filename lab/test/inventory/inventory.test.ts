import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import type { Provider } from '../../src/config/schema.js';
import { isLabError } from '../../src/errors.js';
import {
  buildInventory,
  offlineFromEnv,
  renderInventory,
  TEMPLATE,
  writeInventory,
} from '../../src/inventory/index.js';
import { repoRoot, runLab } from '../../../test/support/cli.js';
import { describeWithTools } from '../../../test/support/tools.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-inventory-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Nodes you own: the `existing` provider needs ssh settings per node (lab.local.yml-style). */
const EXISTING_OVERRIDE = `
provider: existing
nodes:
  - { name: jenkins, ssh: { host: ci.example.test, user: admin, port: 2222, key: /home/me/.ssh/lab } }
  - { name: staging, ssh: { host: 10.1.0.11 } }
  - { name: production, ssh: { host: 10.1.0.12, user: deploy } }
  - { name: monitoring, ssh: { host: mon.example.test } }
`;

function configFor(provider: Provider) {
  const local = path.join(tmp, `local-${provider}.yml`);
  writeFileSync(local, provider === 'existing' ? EXISTING_OVERRIDE : `provider: ${provider}\n`);
  return loadConfig({ file: path.join(repoRoot, 'lab.config.yml'), localFile: local, env: {} })
    .config;
}

const template = readFileSync(path.join(repoRoot, TEMPLATE), 'utf8');
const secretsDir = '/srv/lab state/secrets'; // a space: paths must survive quoting

type Hosts = Record<string, Record<string, unknown>>;
function rendered(provider: Provider, offline = false) {
  const model = buildInventory({
    config: configFor(provider),
    root: repoRoot,
    secretsDir,
    offline,
  });
  const doc = parse(renderInventory(model, template)) as {
    all: {
      vars: Record<string, unknown>;
      children: Record<string, { hosts?: Hosts; children?: Record<string, { hosts: Hosts }> }>;
    };
  };
  const c = doc.all.children;
  const hosts: Hosts = {
    ...c.jenkins?.hosts,
    ...c.app?.children?.staging?.hosts,
    ...c.app?.children?.production?.hosts,
    ...c.monitoring?.hosts,
  };
  return { doc, hosts, vars: doc.all.vars };
}

describe('inventory generator', () => {
  test('groups and all-vars follow the contract: jenkins, app(staging, production), monitoring', () => {
    const { doc, vars, hosts } = rendered('podman', true);
    const c = doc.all.children;
    expect(Object.keys(c).sort()).toEqual(['app', 'jenkins', 'monitoring']);
    expect(Object.keys(c.app?.children ?? {}).sort()).toEqual(['production', 'staging']);
    expect(Object.keys(c.jenkins?.hosts ?? {})).toEqual(['jenkins']);
    expect(Object.keys(c.app?.children?.staging?.hosts ?? {})).toEqual(['staging']);
    expect(vars).toMatchObject({
      lab_secrets_dir: secretsDir,
      lab_registry: '192.168.56.10:5000',
      lab_offline: true,
      lab_network: '192.168.56.0/24',
    });
    expect(vars.lab_nodes).toEqual([
      { name: 'jenkins', ip: '192.168.56.10', role: 'jenkins' },
      { name: 'staging', ip: '192.168.56.11', role: 'app', env: 'staging' },
      { name: 'production', ip: '192.168.56.12', role: 'app', env: 'production' },
      { name: 'monitoring', ip: '192.168.56.13', role: 'monitoring' },
    ]);
    expect(hosts.staging).toMatchObject({
      lab_ip: '192.168.56.11',
      lab_env: 'staging',
      lab_replicas: { catalog: 2, orders: 2 },
    });
    expect(hosts.production).toMatchObject({ lab_env: 'production' });
    expect(hosts.jenkins?.lab_env).toBeUndefined();
    expect(hosts.monitoring?.lab_replicas).toBeUndefined();
  });

  test('containers: podman and docker connections reach the container by name', () => {
    const podman = rendered('podman').hosts;
    expect(podman.jenkins).toMatchObject({
      ansible_connection: 'containers.podman.podman',
      ansible_host: 'cicd-lab-jenkins',
      ansible_python_interpreter: '/usr/bin/python3',
    });
    expect(rendered('docker').hosts.monitoring).toMatchObject({
      ansible_connection: 'community.docker.docker',
      ansible_host: 'cicd-lab-monitoring',
    });
    const prefixed = buildInventory({
      config: configFor('podman'),
      root: repoRoot,
      secretsDir,
      offline: false,
      containerPrefix: 'conv-',
    });
    expect(prefixed.groups.staging[0]?.vars).toContainEqual({
      key: 'ansible_host',
      value: 'conv-staging',
    });
  });

  test('vagrant: the node IP over SSH with the machine key Vagrant wrote for that provider', () => {
    for (const provider of ['virtualbox', 'libvirt'] as const) {
      const { hosts } = rendered(provider);
      expect(hosts.production).toMatchObject({
        ansible_host: '192.168.56.12',
        ansible_user: 'vagrant',
        ansible_ssh_private_key_file: path.join(
          repoRoot,
          '.vagrant/machines/production',
          provider,
          'private_key',
        ),
      });
      expect(hosts.production?.ansible_connection).toBeUndefined();
    }
  });

  test('existing hosts: ssh host, user, port and key from the config', () => {
    const { hosts, vars } = rendered('existing');
    expect(hosts.jenkins).toMatchObject({
      ansible_host: 'ci.example.test',
      ansible_user: 'admin',
      ansible_port: 2222,
      ansible_ssh_private_key_file: '/home/me/.ssh/lab',
      lab_ip: '192.168.56.10',
    });
    expect(hosts.staging).toMatchObject({
      ansible_host: '10.1.0.11',
      ansible_user: 'root',
      ansible_port: 22,
    });
    expect(hosts.staging?.ansible_ssh_private_key_file).toBeUndefined();
    expect(vars.lab_provider).toBe('existing');
  });

  test('replicas follow the profile; LAB_OFFLINE turns the offline guard on', () => {
    const local = path.join(tmp, 'small.yml');
    writeFileSync(local, 'provider: podman\nprofile: small\n');
    const config = loadConfig({
      file: path.join(repoRoot, 'lab.config.yml'),
      localFile: local,
      env: {},
    }).config;
    const model = buildInventory({ config, root: repoRoot, secretsDir, offline: false });
    expect(model.groups.production[0]?.vars).toContainEqual({
      key: 'lab_replicas',
      value: { catalog: 1, orders: 1 },
    });
    expect(offlineFromEnv({ LAB_OFFLINE: '1' })).toBe(true);
    expect(offlineFromEnv({ LAB_OFFLINE: 'true' })).toBe(true);
    expect(offlineFromEnv({})).toBe(false);
    expect(offlineFromEnv({ LAB_OFFLINE: '0' })).toBe(false);
  });

  test('a template that renders broken YAML or drops a variable is refused with a clear error', () => {
    const model = buildInventory({
      config: configFor('podman'),
      root: repoRoot,
      secretsDir,
      offline: false,
    });
    const broken = template.replace(
      'lab_registry: {{json registry}}',
      'lab_registry: [{{json registry}}',
    );
    const dropped = template
      .replace(/^\s+lab_ip: .*$/m, '')
      .replace('lab_secrets_dir: {{json secretsDir}}', '');
    for (const bad of [
      broken,
      dropped,
      template.replace('{{json name}}', '{{json nosuchfield}}'),
    ]) {
      let error: unknown;
      try {
        renderInventory(model, bad);
      } catch (e) {
        error = e;
      }
      expect(isLabError(error)).toBe(true);
      expect((error as Error).message).toMatch(/inventory/);
    }
  });

  test('writeInventory writes the file in a private folder', () => {
    const model = buildInventory({
      config: configFor('podman'),
      root: repoRoot,
      secretsDir,
      offline: false,
    });
    const out = path.join(tmp, 'state/inventory/hosts.yml');
    writeInventory(model, repoRoot, out, ['lab.config.yml']);
    expect(statSync(path.dirname(out)).mode & 0o777).toBe(0o700);
    expect(readFileSync(out, 'utf8')).toMatch(
      /^# Generated by `lab inventory` \(provider podman\) from lab.config.yml/,
    );
  });
});

describe('lab inventory (CLI)', () => {
  test('writes .lab/inventory/hosts.yml for the chosen provider; bad provider is invalid input', () => {
    const state = path.join(tmp, 'cli-state');
    const r = runLab(['--provider', 'podman', 'inventory', '--offline'], {
      env: { LAB_STATE_DIR: state },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const file = path.join(state, 'inventory/hosts.yml');
    const doc = parse(readFileSync(file, 'utf8')) as { all: { vars: Record<string, unknown> } };
    expect(doc.all.vars.lab_secrets_dir).toBe(path.join(state, 'secrets'));
    expect(doc.all.vars.lab_offline).toBe(true);
    expect(r.stdout).toContain('cicd-lab-staging');

    const json = runLab(['--json', 'inventory', '--out', path.join(tmp, 'x.yml')], {
      env: { LAB_STATE_DIR: state },
    });
    expect(JSON.parse(json.stdout)).toMatchObject({
      provider: 'virtualbox',
      offline: false,
      registry: '192.168.56.10:5000',
    });

    const bad = runLab(['--provider', 'hyperv', 'inventory'], { env: { LAB_STATE_DIR: state } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/provider/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describeWithTools(['ansible-playbook'], 'Ansible reads the generated inventory', () => {
  test.each(['podman', 'virtualbox', 'existing'] as const)(
    'ansible-inventory --list (%s)',
    (provider) => {
      const model = buildInventory({
        config: configFor(provider),
        root: repoRoot,
        secretsDir,
        offline: provider === 'podman',
      });
      const out = path.join(tmp, `ansible-${provider}.yml`);
      writeInventory(model, repoRoot, out);
      const r = spawnSync('timeout', ['60', 'ansible-inventory', '-i', out, '--list'], {
        encoding: 'utf8',
      });
      expect(r.status).toBe(0);
      expect(r.stderr).not.toMatch(/Unable to parse|did not meet|Failed to parse/);
      const list = JSON.parse(r.stdout) as {
        _meta: { hostvars: Record<string, Record<string, unknown>> };
        app: { children: string[] };
        staging: { hosts: string[] };
      };
      expect(list.app.children.sort()).toEqual(['production', 'staging']);
      expect(list.staging.hosts).toEqual(['staging']);
      const hv = list._meta.hostvars;
      expect(Object.keys(hv).sort()).toEqual(['jenkins', 'monitoring', 'production', 'staging']);
      expect(hv.staging).toMatchObject({
        lab_ip: '192.168.56.11',
        lab_env: 'staging',
        lab_registry: '192.168.56.10:5000',
      });
      expect(hv.monitoring?.lab_secrets_dir).toBe(secretsDir);
      expect(hv.jenkins?.lab_offline).toBe(provider === 'podman');
      const expectedHost = {
        podman: 'cicd-lab-jenkins',
        virtualbox: '192.168.56.10',
        existing: 'ci.example.test',
      }[provider];
      expect(hv.jenkins?.ansible_host).toBe(expectedHost);
    },
    60_000,
  );
});
