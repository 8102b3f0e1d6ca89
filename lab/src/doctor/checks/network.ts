// The lab's private network must not collide with a network this machine already routes (a
// LAN, a VPN), and the host ports it forwards must be free.
import ipaddr from 'ipaddr.js';
import { hints } from '../hints.js';
import { hostKind } from '../host.js';
import { resultFor, type Check } from '../types.js';

export interface Route {
  /** IPv4 network in CIDR form. */
  cidr: string;
  /** Interface name. */
  dev: string;
}

/** Routes from `ip -j route` (JSON); the default route and non-IPv4 entries are left out. */
export function parseIpRoutes(json: string): Route[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new Error('`ip -j route` did not print JSON');
  }
  if (!Array.isArray(data)) throw new Error('`ip -j route` did not print a list');
  const routes: Route[] = [];
  for (const entry of data) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { dst, dev } = entry as { dst?: unknown; dev?: unknown };
    if (typeof dst !== 'string' || dst === 'default') continue;
    const cidr = dst.includes('/') ? dst : `${dst}/32`;
    if (isIpv4Cidr(cidr)) routes.push({ cidr, dev: typeof dev === 'string' ? dev : '?' });
  }
  return routes;
}

/**
 * Routes from macOS `netstat -rn -f inet`. Destinations are abbreviated: "10" is 10.0.0.0/8,
 * "192.168.1" is 192.168.1.0/24, "169.254" is /16; a full address is a host route.
 */
export function parseNetstatRoutes(text: string): Route[] {
  const routes: Route[] = [];
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const dst = cols[0];
    if (!dst || !/^\d+(\.\d+){0,3}(\/\d+)?$/.test(dst)) continue;
    const [addr = '', bitsText] = dst.split('/');
    const octets = addr.split('.');
    const bits = bitsText !== undefined ? Number(bitsText) : octets.length * 8;
    const cidr = `${[...octets, '0', '0', '0'].slice(0, 4).join('.')}/${bits}`;
    // macOS 11+: Destination Gateway Flags Netif Expire; older ones add Refs and Use
    const dev = cols.find((c, i) => i >= 3 && /^[a-z]+\d+$/.test(c)) ?? '?';
    if (isIpv4Cidr(cidr)) routes.push({ cidr, dev });
  }
  return routes;
}

function isIpv4Cidr(cidr: string): boolean {
  try {
    ipaddr.IPv4.parseCIDR(cidr);
    return true;
  } catch {
    return false;
  }
}

/** Two IPv4 networks overlap when one contains the other's network address. */
export function overlaps(a: string, b: string): boolean {
  const aBits = ipaddr.IPv4.parseCIDR(a)[1];
  const bBits = ipaddr.IPv4.parseCIDR(b)[1];
  const aNet = ipaddr.IPv4.networkAddressFromCIDR(a);
  const bNet = ipaddr.IPv4.networkAddressFromCIDR(b);
  return aNet.match(bNet, bBits) || bNet.match(aNet, aBits);
}

/** Interfaces a hypervisor or container engine creates for its private networks. */
const VIRTUAL_DEV =
  /^(vboxnet\d+|virbr\d+|podman\d*|cni-podman\d+|docker0|br-[0-9a-f]{6,}|bridge\d+|vmenet\d+)$/;

export interface RouteConflicts {
  /** Routes on real interfaces (LAN, VPN): the lab's network would shadow or be shadowed. */
  clashes: Route[];
  /** The same network on a hypervisor's interface: most likely this lab's own, already up. */
  ownLikely: Route[];
}

export function routeConflicts(labCidr: string, routes: readonly Route[]): RouteConflicts {
  const labNet = ipaddr.IPv4.networkAddressFromCIDR(labCidr).toString();
  const labBits = ipaddr.IPv4.parseCIDR(labCidr)[1];
  const result: RouteConflicts = { clashes: [], ownLikely: [] };
  for (const route of routes) {
    if (!overlaps(labCidr, route.cidr)) continue;
    const [, bits] = ipaddr.IPv4.parseCIDR(route.cidr);
    const same =
      ipaddr.IPv4.networkAddressFromCIDR(route.cidr).toString() === labNet && bits === labBits;
    (same && VIRTUAL_DEV.test(route.dev) ? result.ownLikely : result.clashes).push(route);
  }
  return result;
}

export const networkCheck: Check = async (deps) => {
  const title = 'lab network vs routes';
  const out = resultFor('network', title);
  if (!deps.config.ok) return out('skip', 'needs a valid lab config');
  const { cidr } = deps.config.config.network;
  const provider = deps.config.config.provider;
  if (provider === 'existing')
    return out('skip', 'provider existing: your hosts keep their own addresses');

  const host = await hostKind(deps);
  let routes: Route[];
  if (host === 'linux' || host === 'wsl') {
    const r = await deps.tool('ip', ['-j', 'route', 'show'], 5_000);
    if (r.outcome === 'missing')
      return out('warn', `cannot list routes (ip not found); ${cidr} not checked`, hints.routes());
    if (r.outcome !== 'ok')
      return out('warn', `cannot list routes (ip route ${r.outcome}); ${cidr} not checked`);
    try {
      routes = parseIpRoutes(r.stdout);
    } catch (e) {
      return out('warn', `${(e as Error).message}; ${cidr} not checked`);
    }
  } else if (host === 'macos') {
    const r = await deps.tool('netstat', ['-rn', '-f', 'inet'], 5_000);
    if (r.outcome !== 'ok')
      return out('warn', `cannot list routes (netstat ${r.outcome}); ${cidr} not checked`);
    routes = parseNetstatRoutes(r.stdout);
  } else {
    return out(
      'skip',
      `routes not checked on ${deps.platform}`,
      host === 'windows' ? hints.windows() : undefined,
    );
  }

  const { clashes, ownLikely } = routeConflicts(cidr, routes);
  const list = (rs: Route[]) => rs.map((r) => `${r.cidr} on ${r.dev}`).join(', ');
  if (clashes.length > 0) {
    return out('fail', `${cidr} overlaps ${list(clashes)}`, hints.network(provider), true);
  }
  if (ownLikely.length > 0) {
    return out(
      'warn',
      `${cidr} is already routed on ${list(ownLikely)}: fine if that is this lab's own network (it is up), a clash otherwise`,
      hints.network(provider),
      false,
    );
  }
  return out(
    'ok',
    `${cidr} is free (${routes.length} route${routes.length === 1 ? '' : 's'} checked)`,
    undefined,
    true,
  );
};

export const portsCheck: Check = async (deps) => {
  const out = resultFor('ports', 'forwarded host ports');
  const host = await hostKind(deps);
  if (!deps.config.ok) return out('skip', 'needs a valid lab config');
  if (deps.config.config.provider === 'existing') {
    return out('skip', 'provider existing: nothing is forwarded');
  }
  const forwarded = deps.config.config.nodes.flatMap((n) =>
    n.ports.map((p) => ({ node: n.name, name: p.name, port: p.host })),
  );
  if (forwarded.length === 0) return out('ok', 'no port is forwarded', undefined, true);

  const probes = await Promise.all(
    forwarded.map(async (f) => ({ ...f, probe: await deps.tryBind(f.port, '127.0.0.1') })),
  );
  const label = (p: (typeof probes)[number]) => `${p.port} (${p.node}/${p.name})`;
  const inUse = probes.filter((p) => p.probe === 'in-use');
  const denied = probes.filter((p) => p.probe === 'denied');
  const errors = probes.filter((p) => typeof p.probe === 'object');
  if (inUse.length > 0) {
    const detail = `in use: ${inUse.map(label).join(', ')}`;
    return out('fail', detail, hints.ports(host, inUse[0]!.port), true);
  }
  if (denied.length > 0 || errors.length > 0) {
    const problems = [
      ...(denied.length > 0
        ? [`not allowed to listen on ${denied.map(label).join(', ')} (privileged ports)`]
        : []),
      ...errors.map((p) => `${label(p)}: ${(p.probe as { error: string }).error}`),
    ];
    return out('warn', problems.join('; '), 'use host ports above 1024 in lab.local.yml');
  }
  const detail = `${forwarded.length} free: ${forwarded.map((f) => f.port).join(', ')}`;
  return out('ok', detail, undefined, true);
};
