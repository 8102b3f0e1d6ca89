// Helpers for the Ansible tests: run ansible tools from ansible/ with the repo's ansible.cfg,
// bounded by `timeout`, without colour, and write scratch inventories.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const ANSIBLE_DIR = path.join(ROOT, 'ansible');

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command from ansible/ under `timeout`; never throws. */
export function run(cmd: string, args: string[], opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Result {
  const started = Date.now();
  const r = spawnSync('timeout', ['-k', '5', String(Math.ceil((opts.timeoutMs ?? 120_000) / 1000)), cmd, ...args], {
    cwd: ANSIBLE_DIR,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      ANSIBLE_CONFIG: path.join(ANSIBLE_DIR, 'ansible.cfg'),
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0',
      NO_COLOR: '1',
      PY_COLORS: '0',
      ...opts.env,
    },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - started };
}

/** The last lines of a result, for failure messages. */
export function tail(r: Result, lines = 40): string {
  return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-lines).join('\n');
}

/** `changed=N` per host from a PLAY RECAP. */
export function recapChanged(stdout: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stdout.matchAll(/^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)/gm)) if (m[1]) out[m[1]] = Number(m[2]);
  return out;
}

export function writeYaml(file: string, value: unknown): string {
  writeFileSync(file, YAML.stringify(value));
  return file;
}
