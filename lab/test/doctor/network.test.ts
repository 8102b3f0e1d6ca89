// Routes (parsed from real `ip -j route` / macOS netstat output) against the lab network, and
// forwarded ports probed by really binding them on 127.0.0.1.
import { afterEach, describe, expect, test } from '@jest/globals';
import net from 'node:net';
import {
  networkCheck,
  overlaps,
  parseIpRoutes,
  parseNetstatRoutes,
  portsCheck,
  routeConflicts,
} from '../../src/doctor/checks/network.js';
import { tryBind } from '../../src/doctor/host-deps.js';
import { freePort } from '../../../test/support/net.js';
import { fakeDeps, failed, labConfig, ok } from './deps.js';

// `ip -j route` on a laptop on Wi-Fi with a VPN, Docker and a VirtualBox host-only network up
const IP_ROUTE = JSON.stringify([
  {
    dst: 'default',
    gateway: '192.168.1.1',
    dev: 'wlp2s0',
    protocol: 'dhcp',
    metric: 600,
    flags: [],
  },
  {
    dst: '10.8.0.0/16',
    dev: 'tun0',
    protocol: 'kernel',
    scope: 'link',
    prefsrc: '10.8.0.5',
    flags: [],
  },
  {
    dst: '172.17.0.0/16',
    dev: 'docker0',
    protocol: 'kernel',
    scope: 'link',
    prefsrc: '172.17.0.1',
    flags: ['linkdown'],
  },
  {
    dst: '192.168.1.0/24',
    dev: 'wlp2s0',
    protocol: 'kernel',
    scope: 'link',
    prefsrc: '192.168.1.34',
    flags: [],
  },
  {
    dst: '192.168.56.0/24',
    dev: 'vboxnet0',
    protocol: 'kernel',
    scope: 'link',
    prefsrc: '192.168.56.1',
    flags: [],
  },
  { dst: '203.0.113.7', gateway: '192.168.1.1', dev: 'wlp2s0', flags: [] },
]);

// `netstat -rn -f inet` on macOS 14
const NETSTAT = `Routing tables

Internet:
Destination        Gateway            Flags               Netif Expire
default            192.168.1.1        UGScg                 en0
10/8               utun4              USc                 utun4
127                127.0.0.1          UCS                   lo0
127.0.0.1          127.0.0.1          UH                    lo0
169.254            link#11            UCS                   en0      !
192.168.1          link#11            UCS                   en0      !
192.168.1.1/32     link#11            UCS                   en0      !
224.0.0/4          link#11            UmCS                  en0      !
`;

describe('route parsing', () => {
  test('ip -j route: networks and host routes, no default', () => {
    expect(parseIpRoutes(IP_ROUTE)).toEqual([
      { cidr: '10.8.0.0/16', dev: 'tun0' },
      { cidr: '172.17.0.0/16', dev: 'docker0' },
      { cidr: '192.168.1.0/24', dev: 'wlp2s0' },
      { cidr: '192.168.56.0/24', dev: 'vboxnet0' },
      { cidr: '203.0.113.7/32', dev: 'wlp2s0' },
    ]);
  });

  test('ip -j route: not JSON is an error', () => {
    expect(() => parseIpRoutes('default via 192.168.1.1 dev eth0')).toThrow('did not print JSON');
  });

  test('macOS netstat: abbreviated destinations become CIDRs', () => {
    expect(parseNetstatRoutes(NETSTAT)).toEqual([
      { cidr: '10.0.0.0/8', dev: 'utun4' },
      { cidr: '127.0.0.0/8', dev: 'lo0' },
      { cidr: '127.0.0.1/32', dev: 'lo0' },
      { cidr: '169.254.0.0/16', dev: 'en0' },
      { cidr: '192.168.1.0/24', dev: 'en0' },
      { cidr: '192.168.1.1/32', dev: 'en0' },
      { cidr: '224.0.0.0/4', dev: 'en0' },
    ]);
  });

  test('overlaps', () => {
    expect(overlaps('192.168.56.0/24', '192.168.0.0/16')).toBe(true);
    expect(overlaps('192.168.0.0/16', '192.168.56.0/24')).toBe(true);
    expect(overlaps('192.168.56.0/24', '192.168.57.0/24')).toBe(false);
    expect(overlaps('10.10.0.0/24', '10.10.0.77/32')).toBe(true);
  });

  test('the same network on a hypervisor interface is probably the lab itself', () => {
    const routes = parseIpRoutes(IP_ROUTE);
    expect(routeConflicts('192.168.56.0/24', routes)).toEqual({
      clashes: [],
      ownLikely: [{ cidr: '192.168.56.0/24', dev: 'vboxnet0' }],
    });
    expect(routeConflicts('10.8.3.0/24', routes).clashes).toEqual([
      { cidr: '10.8.0.0/16', dev: 'tun0' },
    ]);
    expect(routeConflicts('10.9.0.0/24', routes)).toEqual({ clashes: [], ownLikely: [] });
  });
});

describe('network check', () => {
  const withCidr = (cidr: string, routesJson: string) =>
    fakeDeps({
      tools: { 'ip -j route show': ok(routesJson) },
      config: {
        ok: true,
        config: labConfig((c) => ({ ...c, network: { ...c.network, cidr } })),
        sources: [],
      },
    });

  test('a VPN route over the lab network: blocking failure naming it', async () => {
    const r = await networkCheck(withCidr('10.8.5.0/24', IP_ROUTE));
    expect(r).toMatchObject({ status: 'fail', blocking: true });
    expect(r.detail).toBe('10.8.5.0/24 overlaps 10.8.0.0/16 on tun0');
    expect(r.hint).toContain('192.168.56.0/21'); // the VirtualBox host-only range rule
  });

  test('the lab network already up on vboxnet0: a warning only', async () => {
    const r = await networkCheck(withCidr('192.168.56.0/24', IP_ROUTE));
    expect(r).toMatchObject({ status: 'warn', blocking: false });
    expect(r.detail).toContain('vboxnet0');
  });

  test('free', async () => {
    const r = await networkCheck(withCidr('192.168.60.0/24', IP_ROUTE));
    expect(r).toMatchObject({
      status: 'ok',
      detail: '192.168.60.0/24 is free (5 routes checked)',
      blocking: true,
    });
  });

  test('ip missing or failing: a warning, not a false pass', async () => {
    expect((await networkCheck(fakeDeps())).status).toBe('warn');
    const r = await networkCheck(
      fakeDeps({ tools: { 'ip -j route show': failed('Option "-j" is unknown') } }),
    );
    expect(r.status).toBe('warn');
    expect(r.detail).toContain('not checked');
  });

  test('macOS uses netstat', async () => {
    const deps = fakeDeps({
      platform: 'darwin',
      tools: { 'netstat -rn -f inet': ok(NETSTAT) },
      config: {
        ok: true,
        config: labConfig((c) => ({ ...c, network: { ...c.network, cidr: '10.20.0.0/24' } })),
        sources: [],
      },
    });
    const r = await networkCheck(deps);
    expect(r.status).toBe('fail');
    expect(r.detail).toBe('10.20.0.0/24 overlaps 10.0.0.0/8 on utun4');
  });
});

describe('ports check (real sockets on 127.0.0.1)', () => {
  const servers: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  const listen = (port: number) =>
    new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve(s));
      servers.push(s);
    });

  /** The committed topology with its forwarded ports moved to free high ports. */
  async function depsWithFreePorts() {
    const config = labConfig();
    const nodes = [];
    for (const n of config.nodes) {
      const ports = [];
      for (const p of n.ports) ports.push({ ...p, host: await freePort() });
      nodes.push({ ...n, ports });
    }
    return fakeDeps({ config: { ok: true, config: { ...config, nodes }, sources: [] } });
  }

  test('provider existing: nothing is forwarded, nothing to check', async () => {
    const deps = fakeDeps({
      config: { ok: true, config: labConfig((c) => ({ ...c, provider: 'existing' })), sources: [] },
    });
    expect((await portsCheck(deps)).status).toBe('skip');
    expect((await networkCheck(deps)).status).toBe('skip');
  });

  test('tryBind tells free from in use', async () => {
    const port = await freePort();
    expect(await tryBind(port, '127.0.0.1')).toBe('free');
    await listen(port);
    expect(await tryBind(port, '127.0.0.1')).toBe('in-use');
  });

  test('all free', async () => {
    const deps = await depsWithFreePorts();
    const r = await portsCheck(deps);
    expect(r).toMatchObject({ status: 'ok', blocking: true });
    expect(r.detail).toMatch(/^8 free: /);
  });

  test('a port held by another process: blocking failure naming the port and node/name', async () => {
    const deps = await depsWithFreePorts();
    if (!deps.config.ok) throw new Error('unreachable');
    const grafana = deps.config.config.nodes
      .find((n) => n.name === 'monitoring')!
      .ports.find((p) => p.name === 'grafana')!;
    await listen(grafana.host);
    const r = await portsCheck(deps);
    expect(r).toMatchObject({ status: 'fail', blocking: true });
    expect(r.detail).toBe(`in use: ${grafana.host} (monitoring/grafana)`);
    expect(r.hint).toContain(`sport = :${grafana.host}`);
    expect(r.hint).toContain('lab status');
  });
});
