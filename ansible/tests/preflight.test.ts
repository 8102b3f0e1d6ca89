// The preflight play stops a bad inventory before anything changes: the real
// playbooks/preflight.yml runs against a scratch inventory (connection local), followed by a
// stand-in play that writes a marker file. A bad variable must fail with one line naming it
// and leave no marker; the good inventory must pass and write the markers (so the test can fail).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWithTools } from '../../test/support/tools.js';
import { run, tail, writeYaml } from './support/ansible.js';

const SECRETS = [
  'registry_password',
  'jenkins_admin_password',
  'mongodb_root_password',
  'mongodb_catalog_password',
  'mongodb_orders_password',
  'grafana_admin_password',
];

type Vars = Record<string, unknown>;

function inventory(secretsDir: string, change: { all?: Vars; staging?: Vars } = {}) {
  const all: Vars = {
    lab_offline: true,
    lab_secrets_dir: secretsDir,
    lab_registry: '10.77.0.10:5000',
    lab_network: '10.77.0.0/24',
    lab_nodes: [
      { name: 'jenkins', ip: '10.77.0.10', role: 'jenkins' },
      { name: 'staging', ip: '10.77.0.20', role: 'app' },
      { name: 'monitoring', ip: '10.77.0.40', role: 'monitoring' },
    ],
    ansible_connection: 'local',
    ansible_python_interpreter: '/usr/bin/python3',
    ...change.all,
  };
  for (const [k, v] of Object.entries(all)) if (v === undefined) delete all[k];
  const staging: Vars = {
    lab_ip: '10.77.0.20',
    lab_env: 'staging',
    lab_replicas: { catalog: 2, orders: 2 },
    ...change.staging,
  };
  return {
    all: {
      vars: all,
      children: {
        jenkins: { hosts: { jenkins: { lab_ip: '10.77.0.10' } } },
        app: { children: { staging: { hosts: { staging } }, production: { hosts: {} } } },
        monitoring: { hosts: { monitoring: { lab_ip: '10.77.0.40' } } },
      },
    },
  };
}

describeWithTools(['ansible-playbook'], 'preflight stops a bad inventory before any host changes', () => {
  let dir: string;
  let secrets: string;
  let n = 0;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lab-preflight-'));
    secrets = path.join(dir, 'secrets');
    mkdirSync(secrets, { mode: 0o700 });
    for (const s of SECRETS) writeFileSync(path.join(secrets, s), 'not-a-real-secret\n', { mode: 0o600 });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const probe = (change: { all?: Vars; staging?: Vars } = {}) => {
    n += 1;
    const markers = path.join(dir, `markers-${n}`);
    mkdirSync(markers);
    const inv = writeYaml(path.join(dir, `inventory-${n}.yml`), inventory(secrets, change));
    const r = run('ansible-playbook', ['-i', inv, 'tests/playbooks/preflight-probe.yml', '-e', `preflight_probe_marker_dir=${markers}`], {
      timeoutMs: 120_000,
    });
    return { r, markers: readdirSync(markers) };
  };

  /** The messages of the failed tasks: each `fatal: [host]: FAILED! => {...}` is ONE line of JSON. */
  const messages = (stdout: string) =>
    [...stdout.matchAll(/^fatal: \[[^\]]+\]: FAILED! => (\{.*\})$/gm)].map((m) => String((JSON.parse(m[1] ?? '{}') as { msg?: unknown }).msg ?? ''));

  const expectStopped = (res: ReturnType<typeof probe>, pattern: RegExp) => {
    expect(res.r.status).not.toBe(0);
    expect(res.markers).toEqual([]);
    const msgs = messages(res.r.stdout);
    if (!msgs.some((m) => pattern.test(m))) throw new Error(`no one-line message matching ${pattern}:\n${tail(res.r, 40)}`);
    // The message is a single line.
    for (const m of msgs) expect(m).not.toMatch(/\n/);
  };

  test('a good inventory passes and the next play runs on every host', () => {
    const res = probe();
    if (res.r.status !== 0) throw new Error(tail(res.r, 40));
    expect(res.markers.sort()).toEqual(['jenkins', 'monitoring', 'staging']);
  }, 130_000);

  test('a missing secret file', () => {
    unlinkSync(path.join(secrets, 'mongodb_orders_password'));
    try {
      expectStopped(probe(), /missing secret file .*mongodb_orders_password.*lab_secrets_dir/);
    } finally {
      writeFileSync(path.join(secrets, 'mongodb_orders_password'), 'not-a-real-secret\n', { mode: 0o600 });
    }
    expect(existsSync(path.join(secrets, 'mongodb_orders_password'))).toBe(true);
  }, 130_000);

  test('an IP that is not an address', () => {
    expectStopped(probe({ staging: { lab_ip: '10.77.0.300' } }), /^lab_ip=10\.77\.0\.300 on staging is not an IPv4 address/);
  }, 130_000);

  test('an IP outside the lab network', () => {
    expectStopped(probe({ staging: { lab_ip: '10.99.0.20' } }), /^lab_ip=10\.99\.0\.20 on staging is not inside lab_network=10\.77\.0\.0\/24/);
  }, 130_000);

  test('an unknown service name in the replicas', () => {
    expectStopped(
      probe({ staging: { lab_replicas: { catalog: 2, payments: 1 } } }),
      /^lab_replicas on staging names unknown service payments/,
    );
  }, 130_000);

  test('a replica count the port scheme cannot hold', () => {
    expectStopped(probe({ staging: { lab_replicas: { catalog: 12, orders: 2 } } }), /^lab_replicas\.catalog=12 on staging must be a whole number from 1 to 9/);
  }, 130_000);

  test('lab_offline missing from the inventory', () => {
    expectStopped(probe({ all: { lab_offline: undefined } }), /^lab_offline must be true or false/);
  }, 130_000);
});
