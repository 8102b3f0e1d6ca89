// Real-tool tests declare the external tools they need. When one is missing:
// - normally the suite is skipped with ONE line naming the tool and how to get it;
// - with LAB_STRICT=1 (CI) the suite fails instead, unless the tool is on the documented
//   allow-list (STRICT_ALLOWED_SKIPS), because a green run must not hide a missing tool.
import { describe, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

export interface ToolSpec {
  /** What the user sees in skip/fail lines. */
  label: string;
  /** How to get it (one short line). */
  hint: string;
  /** Returns null when usable, else the reason it is not. */
  probe: () => string | null;
}

/** Finds an executable on PATH, like `command -v`. */
export function which(bin: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, bin);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

const onPath =
  (bin: string): (() => string | null) =>
  () =>
    which(bin) ? null : `${bin} not found on PATH`;

const APT = 'run `make tools` (Debian/Ubuntu:';

export const TOOLS = {
  'ansible-playbook': {
    label: 'ansible-playbook',
    hint: `${APT} apt-get install ansible)`,
    probe: onPath('ansible-playbook'),
  },
  'ansible-lint': {
    label: 'ansible-lint',
    hint: `${APT} apt-get install ansible-lint)`,
    probe: onPath('ansible-lint'),
  },
  yamllint: {
    label: 'yamllint',
    hint: `${APT} apt-get install yamllint)`,
    probe: onPath('yamllint'),
  },
  promtool: {
    label: 'promtool',
    hint: `${APT} apt-get install prometheus)`,
    probe: onPath('promtool'),
  },
  prometheus: {
    label: 'prometheus',
    hint: `${APT} apt-get install prometheus)`,
    probe: onPath('prometheus'),
  },
  amtool: {
    label: 'amtool',
    hint: `${APT} apt-get install prometheus-alertmanager)`,
    probe: onPath('amtool'),
  },
  alertmanager: {
    label: 'alertmanager',
    hint: `${APT} apt-get install prometheus-alertmanager)`,
    probe: () =>
      which('alertmanager') || which('prometheus-alertmanager')
        ? null
        : 'alertmanager not found on PATH',
  },
  pushgateway: {
    label: 'pushgateway',
    hint: `${APT} apt-get install prometheus-pushgateway)`,
    probe: () =>
      which('pushgateway') || which('prometheus-pushgateway')
        ? null
        : 'pushgateway not found on PATH',
  },
  'node-exporter': {
    label: 'prometheus-node-exporter',
    hint: `${APT} apt-get install prometheus-node-exporter)`,
    probe: () =>
      which('prometheus-node-exporter') || which('node_exporter')
        ? null
        : 'prometheus-node-exporter not found on PATH',
  },
  'nginx-exporter': {
    label: 'prometheus-nginx-exporter',
    hint: `${APT} apt-get install prometheus-nginx-exporter)`,
    probe: onPath('prometheus-nginx-exporter'),
  },
  nginx: { label: 'nginx', hint: `${APT} apt-get install nginx-light)`, probe: onPath('nginx') },
  jmeter: {
    label: 'jmeter',
    hint: `${APT} apt-get install jmeter jmeter-http default-jdk-headless)`,
    probe: () => {
      if (!which('jmeter')) return 'jmeter not found on PATH';
      // The test launcher for Debian's JMeter is compiled on first use.
      if (!which('javac')) return 'javac not found on PATH (needed for jmeter/launcher)';
      return existsSync('/usr/share/jmeter/lib/ext/ApacheJMeter_http.jar') ||
        existsSync(
          path.join(process.env.JMETER_HOME ?? '/nonexistent', 'lib/ext/ApacheJMeter_http.jar'),
        )
        ? null
        : 'JMeter HTTP sampler (ApacheJMeter_http.jar) not found';
    },
  },
  groovy: {
    label: 'groovy',
    hint: `${APT} apt-get install groovy default-jre-headless)`,
    probe: onPath('groovy'),
  },
  java: {
    label: 'java',
    hint: `${APT} apt-get install default-jre-headless)`,
    probe: onPath('java'),
  },
  vagrant: { label: 'vagrant', hint: `${APT} apt-get install vagrant)`, probe: onPath('vagrant') },
  podman: {
    label: 'podman',
    hint: `${APT} apt-get install podman runc)`,
    probe: () => {
      if (!which('podman')) return 'podman not found on PATH';
      const r = spawnSync('podman', ['info', '--format', '{{.Host.OCIRuntime.Name}}'], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      return r.status === 0
        ? null
        : `podman does not work here: ${(r.stderr ?? '').trim().split('\n').pop()}`;
    },
  },
  debootstrap: {
    label: 'debootstrap',
    hint: `${APT} apt-get install debootstrap)`,
    probe: onPath('debootstrap'),
  },
  chromium: {
    label: 'chromium',
    hint: `${APT} apt-get install chromium)`,
    probe: () =>
      which('chromium') || which('chromium-browser') ? null : 'chromium not found on PATH',
  },
  mongod: {
    label: 'mongod (MongoDB server)',
    hint: 'set MONGODB_URI to a MongoDB server, or install mongod where mongodb-memory-server can run it',
    probe: () =>
      process.env.MONGODB_URI || which('mongod') || process.env.MONGOMS_SYSTEM_BINARY
        ? null
        : 'no MongoDB server binary and no MONGODB_URI',
  },
} satisfies Record<string, ToolSpec>;

export type ToolName = keyof typeof TOOLS;

/**
 * The only skips strict CI accepts, each with the reason. Keep README.md ("Testing") in step.
 */
export const STRICT_ALLOWED_SKIPS: Partial<Record<ToolName, string>> = {
  mongod: 'MongoDB server binaries are not in Debian and their download hosts are unreachable here',
};

export const STRICT = process.env.LAB_STRICT === '1';

const probed = new Map<ToolName, string | null>();

/** null when the tool is usable, else why not (memoised per test file). */
export function missingReason(name: ToolName): string | null {
  if (!probed.has(name)) probed.set(name, TOOLS[name].probe());
  return probed.get(name) ?? null;
}

/** The first missing tool of a list, or null when all are usable. */
export function firstMissing(
  tools: readonly ToolName[],
): { name: ToolName; reason: string } | null {
  for (const name of tools) {
    const reason = missingReason(name);
    if (reason) return { name, reason };
  }
  return null;
}

/**
 * `describe` that needs real tools. Missing tool: one skip line (or, in strict mode, one
 * failing test that names the tool and how to get it).
 */
export function describeWithTools(tools: readonly ToolName[], title: string, fn: () => void): void {
  const missing = firstMissing(tools);
  if (!missing) {
    describe(title, fn);
    return;
  }
  const spec = TOOLS[missing.name];
  if (STRICT && !STRICT_ALLOWED_SKIPS[missing.name]) {
    describe(title, () => {
      test(`requires ${spec.label}`, () => {
        throw new Error(
          `LAB_STRICT=1: required tool missing: ${spec.label} (${missing.reason}); ${spec.hint}`,
        );
      });
    });
    return;
  }
  process.stderr.write(`SKIP ${title}: needs ${spec.label} (${missing.reason}); ${spec.hint}\n`);
  describe.skip(title, fn);
}
