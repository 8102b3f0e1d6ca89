#!/usr/bin/env node
// Start-up cost of the built `lab` CLI: wall time of `lab --help` and `lab config validate`
// over 10 runs each (and `lab doctor` over 3, for information), printed side by side with the
// targets and the ratio median/target. A benchmark, not a test: it fails only when the CLI does.
// Usage: node bench/cli.mjs   (after `make build`)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'lab/dist/cli.js');
if (!existsSync(cli)) {
  console.error(`bench: ${path.relative(process.cwd(), cli)} is missing; run \`make build\` first`);
  process.exit(2);
}

const CASES = [
  { name: 'lab --help', args: ['--help'], runs: 10, targetMs: 300 },
  { name: 'lab config validate', args: ['config', 'validate'], runs: 10, targetMs: 500 },
  // Probes run in parallel, each with its own timeout; the figure depends on the tools installed.
  {
    name: 'lab doctor --json',
    args: ['--json', 'doctor'],
    runs: 3,
    targetMs: null,
    okExit: [0, 1],
  },
];

// A private state folder: each run writes a log file, which must not pile up in .lab/logs.
const state = mkdtempSync(path.join(os.tmpdir(), 'lab-bench-'));
const env = { ...process.env, LAB_STATE_DIR: state };

function timeOnce(args, okExit = [0]) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error || !okExit.includes(r.status ?? -1)) {
    const why = r.error
      ? r.error.message
      : `exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`;
    throw new Error(`lab ${args.join(' ')} failed (${why})`);
  }
  return ms;
}

const median = (sorted) =>
  sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
const fmt = (ms) => `${ms.toFixed(0)} ms`;

const rows = [];
let failed = false;
try {
  for (const c of CASES) {
    const times = [];
    for (let i = 0; i < c.runs; i++) times.push(timeOnce(c.args, c.okExit));
    times.sort((a, b) => a - b);
    const med = median(times);
    rows.push([
      c.name,
      String(c.runs),
      fmt(times[0]),
      fmt(med),
      fmt(times[times.length - 1]),
      c.targetMs === null ? '-' : `< ${c.targetMs} ms`,
      c.targetMs === null ? '-' : (med / c.targetMs).toFixed(2),
      c.targetMs === null ? 'info' : med < c.targetMs ? 'met' : 'MISSED',
    ]);
  }
} catch (e) {
  console.error(`bench: ${e.message}`);
  failed = true;
} finally {
  rmSync(state, { recursive: true, force: true });
}

const header = ['command', 'runs', 'min', 'median', 'max', 'target (median)', 'median/target', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) =>
  cells
    .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
    .join('  ')
    .trimEnd();
console.log(
  `lab CLI start-up, node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`,
);
console.log(line(header));
for (const r of rows) console.log(line(r));
process.exitCode = failed ? 1 : 0;
