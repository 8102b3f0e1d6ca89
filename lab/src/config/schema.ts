// The shape of lab.config.yml, validated by zod. Structural rules (types, ranges, unknown keys)
// live in the schema; rules across fields (addresses inside the network, clashes, memory that
// fits the host) live in `semanticIssues` so that every problem is reported at once.
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

export const PROVIDERS = ['virtualbox', 'libvirt', 'podman', 'docker', 'existing'] as const;
export const VM_PROVIDERS = ['virtualbox', 'libvirt'] as const;
export const CONTAINER_PROVIDERS = ['podman', 'docker'] as const;
export const ROLES = ['jenkins', 'app', 'monitoring'] as const;
export const ENVS = ['staging', 'production'] as const;
export const SERVICES = ['catalog', 'orders'] as const;

const hostname = z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, {
  message: 'must be a short host name: lowercase letters, digits and dashes',
});

const ipv4 = z.string().refine((v) => ipaddr.IPv4.isValidFourPartDecimal(v), {
  message: 'is not an IPv4 address (like 192.168.56.10)',
});

const cidr = z.string().superRefine((v, ctx) => {
  let parsed: [ipaddr.IPv4, number];
  try {
    if (!ipaddr.IPv4.isValidFourPartDecimal(v.split('/')[0] ?? ''))
      throw new Error('not four-part');
    parsed = ipaddr.IPv4.parseCIDR(v);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'is not a network in CIDR form (like 192.168.56.0/24)',
    });
    return;
  }
  const [addr, bits] = parsed;
  if (bits < 8 || bits > 30) {
    ctx.addIssue({
      code: 'custom',
      message: `/${bits} is not a usable lab network prefix: use /8 to /30`,
    });
    return;
  }
  const network = ipaddr.IPv4.networkAddressFromCIDR(v).toString();
  if (network !== addr.toString()) {
    ctx.addIssue({
      code: 'custom',
      message: `${v} has host bits set: the network is ${network}/${bits}`,
    });
  }
});

const port = z.number().int().min(1).max(65535);

const forwardedPort = z.strictObject({
  name: hostname,
  guest: port,
  host: port,
});

const box = z.strictObject({
  name: z.string().min(1),
  version: z.string().min(1),
});

const node = z.strictObject({
  name: hostname,
  role: z.enum(ROLES),
  env: z.enum(ENVS).optional(),
  ip: ipv4,
  cpus: z.number().int().min(1).max(16),
  /** MB */
  memory: z.number().int().min(512).max(65536),
  ports: z.array(forwardedPort).default([]),
  /** For provider `existing`: how to reach a host you own. */
  ssh: z
    .strictObject({
      host: z.string().min(1),
      user: z.string().min(1).default('root'),
      port: port.default(22),
      key: z.string().min(1).optional(),
    })
    .optional(),
});

const nodeSize = z.strictObject({
  cpus: z.number().int().min(1).max(16).optional(),
  memory: z.number().int().min(512).max(65536).optional(),
});

const profile = z.strictObject({
  replicas: z.number().int().min(1).max(8).optional(),
  nodes: z.record(hostname, nodeSize).default({}),
});

export const labConfigSchema = z.strictObject({
  name: hostname,
  provider: z.enum(PROVIDERS),
  profile: z.string().min(1),
  network: z.strictObject({
    cidr,
    domain: z.string().regex(/^[a-z0-9.-]+$/, { message: 'must be a DNS domain like lab.test' }),
  }),
  boxes: z.strictObject({
    virtualbox: box,
    libvirt: box,
    podman: box,
    docker: box,
  }),
  nodes: z
    .array(node)
    .min(1, { message: 'lists no node: the lab needs jenkins, app and monitoring nodes' }),
  profiles: z.record(z.string().min(1), profile).default({}),
  app: z.strictObject({
    services: z.array(z.enum(SERVICES)).min(1),
    replicas: z.number().int().min(1).max(8),
  }),
  alerting: z.strictObject({
    email: z.strictObject({
      to: z.email(),
      from: z.email(),
      smarthost: z.union([
        z.literal(''),
        z.string().regex(/^[^\s:]+:\d{1,5}$/, { message: 'must be host:port' }),
      ]),
      username: z.string(),
    }),
    slack: z.strictObject({
      channel: z.string().regex(/^#[\w-]+$/, { message: 'must be a channel like #lab-alerts' }),
    }),
  }),
  host: z.strictObject({
    reserve_memory: z.number().int().min(0),
  }),
});

/** The config as written (before a profile is applied). */
export type LabConfigInput = z.infer<typeof labConfigSchema>;
export type LabNode = LabConfigInput['nodes'][number];
export type Provider = (typeof PROVIDERS)[number];

/** A problem found in the config: where, what, and what to do. */
export interface ConfigIssue {
  path: string;
  message: string;
  hint?: string;
}

/** Host facts some rules need; passed in so that validation stays a pure function. */
export interface HostFacts {
  /** Total memory of this machine in MB. */
  totalMemoryMb: number;
}

const at = (...parts: (string | number)[]): string =>
  parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/** Rules across fields, on a config that already has the right shape. */
export function semanticIssues(config: LabConfigInput, host: HostFacts): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const [netAddr, bits] = ipaddr.IPv4.parseCIDR(config.network.cidr);
  const broadcast = ipaddr.IPv4.broadcastAddressFromCIDR(config.network.cidr).toString();

  const names = new Map<string, number>();
  const ips = new Map<string, string>();
  const hostPorts = new Map<number, string>();
  config.nodes.forEach((n, i) => {
    const first = names.get(n.name);
    if (first !== undefined) {
      issues.push({
        path: at('nodes', i, 'name'),
        message: `duplicate node name "${n.name}" (also nodes[${first}])`,
        hint: 'give every node its own name',
      });
    } else names.set(n.name, i);

    if (ipaddr.IPv4.isValidFourPartDecimal(n.ip)) {
      const ip = ipaddr.IPv4.parse(n.ip);
      if (!ip.match(netAddr, bits)) {
        issues.push({
          path: at('nodes', i, 'ip'),
          message: `${n.ip} is outside the lab network ${config.network.cidr}`,
          hint: `pick an address inside ${config.network.cidr}, or change network.cidr`,
        });
      } else if (n.ip === netAddr.toString() || n.ip === broadcast) {
        issues.push({
          path: at('nodes', i, 'ip'),
          message: `${n.ip} is the ${n.ip === broadcast ? 'broadcast' : 'network'} address of ${config.network.cidr}`,
          hint: 'use a host address, such as the .10 to .99 range',
        });
      } else if (ip.octets[3] === 1) {
        issues.push({
          path: at('nodes', i, 'ip'),
          message: `${n.ip} is the host-only network's gateway (the .1 address belongs to your machine)`,
          hint: 'use a host address, such as the .10 to .99 range',
        });
      }
      const clash = ips.get(n.ip);
      if (clash) {
        issues.push({
          path: at('nodes', i, 'ip'),
          message: `${n.ip} is already used by node "${clash}"`,
          hint: 'every node needs its own address',
        });
      } else ips.set(n.ip, n.name);
    }

    if (n.role === 'app' && !n.env) {
      issues.push({
        path: at('nodes', i, 'env'),
        message: `app node "${n.name}" has no env`,
        hint: 'set env: staging or env: production',
      });
    }
    if (n.role !== 'app' && n.env) {
      issues.push({
        path: at('nodes', i, 'env'),
        message: `only app nodes have an env ("${n.name}" is a ${n.role} node)`,
        hint: 'remove env from this node',
      });
    }
    if (config.provider === 'existing' && !n.ssh) {
      issues.push({
        path: at('nodes', i, 'ssh'),
        message: `provider "existing" needs ssh settings for node "${n.name}"`,
        hint: 'add ssh: { host: ..., user: ..., key: ~/.ssh/id_ed25519 } to the node',
      });
    }
    n.ports.forEach((p, j) => {
      const owner = hostPorts.get(p.host);
      if (owner) {
        issues.push({
          path: at('nodes', i, 'ports', j, 'host'),
          message: `host port ${p.host} is already forwarded for ${owner}`,
          hint: 'every forwarded port needs its own host port',
        });
      } else hostPorts.set(p.host, `${n.name}/${p.name}`);
    });
  });

  const count = (role: string, env?: string) =>
    config.nodes.filter((n) => n.role === role && (env === undefined || n.env === env)).length;
  for (const role of ['jenkins', 'monitoring'] as const) {
    if (count(role) !== 1) {
      issues.push({
        path: 'nodes',
        message: `the lab needs exactly one ${role} node, found ${count(role)}`,
        hint: `keep one node with role: ${role}`,
      });
    }
  }
  for (const env of ENVS) {
    if (count('app', env) !== 1) {
      issues.push({
        path: 'nodes',
        message: `the lab needs exactly one app node with env: ${env}, found ${count('app', env)}`,
        hint: `keep one node with role: app and env: ${env}`,
      });
    }
  }

  const dupServices = config.app.services.filter((s, i, all) => all.indexOf(s) !== i);
  if (dupServices.length > 0) {
    issues.push({
      path: 'app.services',
      message: `service listed twice: ${[...new Set(dupServices)].join(', ')}`,
      hint: 'list each service once',
    });
  }

  const profileDef = config.profiles[config.profile];
  if (config.profile !== 'default' && !profileDef) {
    issues.push({
      path: 'profile',
      message: `unknown profile "${config.profile}"`,
      hint: `use default${Object.keys(config.profiles)
        .map((p) => ` or ${p}`)
        .join('')}`,
    });
  }
  for (const [profileName, def] of Object.entries(config.profiles)) {
    for (const nodeName of Object.keys(def.nodes)) {
      if (!names.has(nodeName)) {
        issues.push({
          path: at('profiles', profileName, 'nodes', nodeName),
          message: `profile "${profileName}" sizes node "${nodeName}", which is not in nodes`,
          hint: `use one of: ${[...names.keys()].join(', ')}`,
        });
      }
    }
  }

  // Memory is checked on the effective sizes (after the profile), against this machine.
  const effective = applyProfile(config);
  const total = effective.nodes.reduce((sum, n) => sum + n.memory, 0);
  const available = host.totalMemoryMb - config.host.reserve_memory;
  if ((VM_PROVIDERS as readonly string[]).includes(config.provider) && total > available) {
    issues.push({
      path: 'nodes',
      message: `the nodes need ${total} MB of memory but this machine has ${host.totalMemoryMb} MB (${config.host.reserve_memory} MB kept for the host)`,
      hint: 'use the small profile (LAB_PROFILE=small), lower node memory, or lower host.reserve_memory',
    });
  }
  return issues;
}

/** The effective config: the selected profile's sizes and replicas applied to the nodes. */
export function applyProfile(config: LabConfigInput): LabConfigInput {
  const def = config.profiles[config.profile];
  if (!def) return config;
  return {
    ...config,
    app: { ...config.app, replicas: def.replicas ?? config.app.replicas },
    nodes: config.nodes.map((n) => ({ ...n, ...stripUndefined(def.nodes[n.name] ?? {}) })),
  };
}

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
