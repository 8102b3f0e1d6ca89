// The lab's state folder (`.lab/` at the repository root, git-ignored): generated secrets,
// the generated inventory, one log file per run, and run folders (load tests, gates...).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: lab/dist/state.js and lab/src/state.ts are both two levels down. */
export const repoRoot = (): string =>
  process.env.LAB_ROOT || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StatePaths {
  root: string;
  secrets: string;
  inventory: string;
  logs: string;
  runs: string;
  baselines: string;
}

export function statePaths(root = repoRoot()): StatePaths {
  const state = process.env.LAB_STATE_DIR || path.join(root, '.lab');
  return {
    root: state,
    secrets: path.join(state, 'secrets'),
    inventory: path.join(state, 'inventory'),
    logs: path.join(state, 'logs'),
    runs: path.join(state, 'runs'),
    baselines: path.join(state, 'baselines'),
  };
}

/** Creates (0700) and returns a state sub-folder. */
export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** A new run folder such as .lab/runs/20261130-210501-loadtest. */
export function newRunDir(kind: string, now = new Date(), paths = statePaths()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return ensureDir(path.join(paths.runs, `${stamp}-${kind}`));
}
