// Where the load goes: an environment of the lab (its app node's Nginx on port 80) or a URL.
import net from 'node:net';
import { ExitCode, LabError } from '../errors.js';

export const ENVIRONMENTS = ['staging', 'production'] as const;

export interface Target {
  /** staging, production, or the URL as given. */
  name: string;
  protocol: 'http' | 'https';
  host: string;
  port: number;
}

/** The slice of the lab config the runner needs: the app nodes and their addresses. */
export interface AppNodes {
  nodes: readonly { name: string; role: string; env?: string; ip: string }[];
}

const describe = (t: Target) =>
  `${t.protocol}://${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
export const targetUrl = describe;

/** Parses --env: `staging`, `production` (read from the lab config) or an http(s) URL. */
export function resolveTarget(spec: string, config: () => AppNodes): Target {
  if ((ENVIRONMENTS as readonly string[]).includes(spec)) {
    const node = config().nodes.find((n) => n.role === 'app' && n.env === spec);
    if (!node) {
      throw new LabError(
        ExitCode.INVALID_INPUT,
        `the lab config has no app node with env: ${spec}`,
        'check `lab config show`, or pass a URL: --env http://HOST:PORT',
      );
    }
    return { name: spec, protocol: 'http', host: node.ip, port: 80 };
  }
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `--env ${JSON.stringify(spec)} is neither an environment nor a URL`,
      `use ${ENVIRONMENTS.join(' or ')}, or a URL such as http://127.0.0.1:8081`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `--env ${spec}: only http and https URLs can be load-tested`,
      'use a URL such as http://127.0.0.1:8081',
    );
  }
  if (
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `--env ${spec}: give only scheme, host and port`,
      'the plans request /api/... and /catalog/healthz at the root of the target, as Nginx on an app host serves them',
    );
  }
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    name: spec,
    protocol,
    host,
    port: url.port ? Number(url.port) : protocol === 'https' ? 443 : 80,
  };
}

/** Resolves when a TCP connection to the target opens within `timeoutMs`; throws a LabError else. */
export function checkReachable(target: Target, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const fail = (why: string) => {
      socket.destroy();
      reject(
        new LabError(
          ExitCode.PREREQUISITE,
          `cannot reach ${target.name === describe(target) ? describe(target) : `${target.name} (${describe(target)})`}: ${why}`,
          'is the environment up? check `lab status`, or pass another target with --env URL',
        ),
      );
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs / 1000} s`));
    socket.once('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}
