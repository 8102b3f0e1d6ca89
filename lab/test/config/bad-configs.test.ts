// Every way a user can get lab.config.yml wrong gives its own precise message and exit code 2,
// through the real CLI, never a stack trace.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot, runLab, STACK_LINE } from '../../../test/support/cli.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const base = (): Raw => parse(readFileSync(path.join(repoRoot, 'lab.config.yml'), 'utf8')) as Raw;
const node = (c: Raw, name: string): Raw => c.nodes.find((n: Raw) => n.name === name);

interface Case {
  name: string;
  /** Raw file text, or a mutation of the committed config. */
  text?: string;
  mutate?: (c: Raw) => void;
  env?: NodeJS.ProcessEnv;
  expect: RegExp;
}

const cases: Case[] = [
  {
    name: 'bad YAML',
    text: 'name: cicd-lab\nnodes:\n  - name: a\n   role: app\n',
    expect: /line \d+, column \d+: invalid YAML/,
  },
  {
    name: 'duplicate YAML key',
    text: 'name: a1\nname: b2\n',
    expect: /invalid YAML: Map keys must be unique/,
  },
  { name: 'empty file', text: '', expect: /\(file\): is empty/ },
  {
    name: 'a list instead of settings',
    text: '- a\n- b\n',
    expect: /must be a mapping of settings, not a list/,
  },
  {
    name: 'wrong type',
    mutate: (c) => (node(c, 'jenkins').cpus = 'two'),
    expect: /nodes\[0\]\.cpus: must be a number, found string "two"/,
  },
  {
    name: 'unknown top-level key',
    mutate: (c) => (c.provder = 'podman'),
    expect: /\(top level\): unknown key "provder"/,
  },
  {
    name: 'unknown node key',
    mutate: (c) => (node(c, 'staging').memroy = 1024),
    expect: /nodes\[1\]: unknown key "memroy"/,
  },
  {
    name: 'unknown provider',
    mutate: (c) => (c.provider = 'vbox'),
    expect: /provider: "vbox" is not one of "virtualbox", "libvirt"/,
  },
  {
    name: 'unknown role',
    mutate: (c) => (node(c, 'monitoring').role = 'db'),
    expect: /nodes\[3\]\.role: "db" is not one of "jenkins", "app", "monitoring"/,
  },
  { name: 'empty node list', mutate: (c) => (c.nodes = []), expect: /nodes: lists no node/ },
  {
    name: 'IP clash',
    mutate: (c) => (node(c, 'production').ip = node(c, 'staging').ip),
    expect: /nodes\[2\]\.ip: 192\.168\.56\.11 is already used by node "staging"/,
  },
  {
    name: 'bad CIDR',
    mutate: (c) => (c.network.cidr = '192.168.56/24'),
    expect: /network\.cidr: is not a network in CIDR form/,
  },
  {
    name: 'unusable CIDR prefix',
    mutate: (c) => (c.network.cidr = '192.168.56.0/31'),
    expect: /network\.cidr: \/31 is not a usable lab network prefix/,
  },
  {
    name: 'CIDR with host bits',
    mutate: (c) => (c.network.cidr = '192.168.56.7/24'),
    expect:
      /network\.cidr: 192\.168\.56\.7\/24 has host bits set: the network is 192\.168\.56\.0\/24/,
  },
  {
    name: 'not an IP',
    mutate: (c) => (node(c, 'jenkins').ip = '192.168.56.300'),
    expect: /nodes\[0\]\.ip: is not an IPv4 address/,
  },
  {
    name: 'IP outside the network',
    mutate: (c) => (node(c, 'jenkins').ip = '10.0.0.5'),
    expect: /nodes\[0\]\.ip: 10\.0\.0\.5 is outside the lab network 192\.168\.56\.0\/24/,
  },
  {
    name: 'gateway address',
    mutate: (c) => (node(c, 'jenkins').ip = '192.168.56.1'),
    expect: /192\.168\.56\.1 is the host-only network's gateway/,
  },
  {
    name: 'broadcast address',
    mutate: (c) => (node(c, 'jenkins').ip = '192.168.56.255'),
    expect: /192\.168\.56\.255 is the broadcast address/,
  },
  {
    name: 'too much memory for this machine',
    mutate: (c) => c.nodes.forEach((n: Raw) => (n.memory = 65536)),
    expect: /the nodes need 262144 MB of memory but this machine has \d+ MB/,
  },
  {
    name: 'memory below the minimum',
    mutate: (c) => (node(c, 'jenkins').memory = 256),
    expect: /nodes\[0\]\.memory: must be at least 512, found number 256/,
  },
  {
    name: 'duplicate node names',
    mutate: (c) => (node(c, 'production').name = 'staging'),
    expect: /nodes\[2\]\.name: duplicate node name "staging" \(also nodes\[1\]\)/,
  },
  {
    name: 'bad node name',
    mutate: (c) => (node(c, 'jenkins').name = 'Jenkins_1'),
    expect: /nodes\[0\]\.name: must be a short host name/,
  },
  {
    name: 'app node without env',
    mutate: (c) => delete node(c, 'staging').env,
    expect: /nodes\[1\]\.env: app node "staging" has no env/,
  },
  {
    name: 'env on a non-app node',
    mutate: (c) => (node(c, 'monitoring').env = 'staging'),
    expect: /nodes\[3\]\.env: only app nodes have an env/,
  },
  {
    name: 'two jenkins nodes',
    mutate: (c) => (node(c, 'monitoring').role = 'jenkins'),
    expect: /the lab needs exactly one jenkins node, found 2/,
  },
  {
    name: 'no production node',
    mutate: (c) => (node(c, 'production').env = 'staging'),
    expect: /exactly one app node with env: production, found 0/,
  },
  {
    name: 'duplicate forwarded host port',
    mutate: (c) => (node(c, 'staging').ports[0].host = 8080),
    expect:
      /nodes\[1\]\.ports\[0\]\.host: host port 8080 is already forwarded for jenkins\/jenkins/,
  },
  {
    name: 'port out of range',
    mutate: (c) => (node(c, 'jenkins').ports[0].host = 70000),
    expect: /nodes\[0\]\.ports\[0\]\.host: must be at most 65535, found number 70000/,
  },
  {
    name: 'unknown profile',
    mutate: (c) => (c.profile = 'tiny'),
    expect: /profile: unknown profile "tiny" \(use default or small\)/,
  },
  {
    name: 'profile sizing an unknown node',
    mutate: (c) => (c.profiles.small.nodes.runner = { cpus: 1 }),
    expect:
      /profiles\.small\.nodes\.runner: profile "small" sizes node "runner", which is not in nodes/,
  },
  {
    name: 'zero replicas',
    mutate: (c) => (c.app.replicas = 0),
    expect: /app\.replicas: must be at least 1, found number 0/,
  },
  {
    name: 'unknown service',
    mutate: (c) => c.app.services.push('payments'),
    expect: /app\.services\[2\]: "payments" is not one of "catalog", "orders"/,
  },
  {
    name: 'service listed twice',
    mutate: (c) => c.app.services.push('orders'),
    expect: /app\.services: service listed twice: orders/,
  },
  {
    name: 'bad LAB_REPLICAS',
    env: { LAB_REPLICAS: 'many' },
    expect: /env LAB_REPLICAS: "many" is not a whole number/,
  },
  {
    name: 'bad slack channel',
    mutate: (c) => (c.alerting.slack.channel = 'lab-alerts'),
    expect: /alerting\.slack\.channel: must be a channel like #lab-alerts/,
  },
  {
    name: 'bad smarthost',
    mutate: (c) => (c.alerting.email.smarthost = 'smtp.example.test'),
    expect: /alerting\.email\.smarthost: .*must be host:port/,
  },
  {
    name: 'bad email address',
    mutate: (c) => (c.alerting.email.to = 'ops at lab'),
    expect: /alerting\.email\.to: Invalid email address/,
  },
  {
    name: 'existing hosts without ssh',
    mutate: (c) => (c.provider = 'existing'),
    expect: /nodes\[0\]\.ssh: provider "existing" needs ssh settings for node "jenkins"/,
  },
  {
    name: 'missing section',
    mutate: (c) => delete c.network,
    expect: /network: is missing \(expected object\)/,
  },
];

describe('lab config validate rejects bad configs', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('there are at least 25 distinct cases with distinct expectations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(new Set(cases.map((c) => c.expect.source)).size).toBe(cases.length);
  });

  test.each(cases)('$name', (c) => {
    const file = path.join(dir, `${c.name.replace(/\W+/g, '-')}.yml`);
    let text = c.text;
    if (text === undefined) {
      const config = base();
      c.mutate?.(config);
      text = stringify(config);
    }
    writeFileSync(file, text);
    const r = runLab(['config', 'validate', file], { env: { LAB_REPLICAS: '', ...c.env } });
    expect(r.stderr).toMatch(c.expect);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^hint: /m);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK_LINE);
  });

  test('every problem is reported at once', () => {
    const config = base();
    config.provider = 'vbox';
    node(config, 'jenkins').ip = '10.0.0.5';
    node(config, 'staging').cpus = 'two';
    const file = path.join(dir, 'many.yml');
    writeFileSync(file, stringify(config));
    const r = runLab(['config', 'validate', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/provider: "vbox"/);
    expect(r.stderr).toMatch(/nodes\[1\]\.cpus: must be a number/);
    expect(r.stderr).toMatch(/problems in the lab config/);
  });

  test('a missing file is a clear error', () => {
    const r = runLab(['config', 'validate', path.join(dir, 'nope.yml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/config file .*nope\.yml does not exist/);
  });
});
