// Intent-named wrapper around ansible-playbook: the lab's own ansible.cfg, the generated
// inventory, extra vars as JSON (never secrets: those are read from files by the playbooks),
// and the task names streamed as progress.
import path from 'node:path';
import type { Exec, RunResult } from '../exec/index.js';

export interface PlaybookOptions {
  root: string;
  playbook: string;
  inventory: string;
  extraVars?: Record<string, unknown>;
  limit?: string;
  check?: boolean;
  timeoutMs?: number;
  onTask?: (name: string) => void;
  onLine?: (line: string) => void;
}

export const ANSIBLE_HINT =
  'the log in .lab/logs/ has the whole Ansible output; fix the cause and run `make lab-up` again: every step is idempotent, so it resumes where it stopped';

export async function playbook(exec: Exec, o: PlaybookOptions): Promise<RunResult> {
  const args = ['-i', o.inventory, path.join(o.root, 'ansible', o.playbook)];
  if (o.extraVars && Object.keys(o.extraVars).length > 0) args.push('--extra-vars', JSON.stringify(o.extraVars));
  if (o.limit) args.push('--limit', o.limit);
  if (o.check) args.push('--check', '--diff');
  return exec('ansible-playbook', args, {
    cwd: path.join(o.root, 'ansible'),
    env: { ANSIBLE_CONFIG: path.join(o.root, 'ansible/ansible.cfg'), ANSIBLE_FORCE_COLOR: '0', ANSIBLE_NOCOLOR: '1' },
    timeoutMs: o.timeoutMs ?? 60 * 60_000,
    hint: ANSIBLE_HINT,
    onLine: (line) => {
      o.onLine?.(line);
      const m = /^TASK \[(.+?)\]/.exec(line);
      if (m?.[1]) o.onTask?.(m[1]);
    },
  });
}

/** PLAY RECAP lines → per-host counters. */
export function parseRecap(output: string): Record<string, Record<string, number>> {
  const recap: Record<string, Record<string, number>> = {};
  const start = output.lastIndexOf('PLAY RECAP');
  if (start < 0) return recap;
  for (const line of output.slice(start).split('\n').slice(1)) {
    const m = /^(\S+)\s+:\s+(.*)$/.exec(line.trim());
    if (!m?.[1] || !m[2]) continue;
    const counters: Record<string, number> = {};
    for (const [, k, v] of m[2].matchAll(/(\w+)=(\d+)/g)) if (k && v) counters[k] = Number(v);
    recap[m[1]] = counters;
  }
  return recap;
}
