// Benchmark of the performance gate on a 1,000,000-sample JTL (~125 MB), three figures side by
// side in one run: the gate (streaming, constant memory), a straightforward peer built on a
// generic CSV parser (csv-parse) that keeps every sample and sorts, and `wc -l` (the floor of
// just reading the file). Targets (issue #5): gate ≥ 10× faster than the peer, within 20× of
// `wc -l`, gate peak RSS < 100 MB. Each contestant runs in its own process; the best of
// BENCH_REPEATS runs (default 3) is reported, since this machine is shared.
//   npm run build && node bench/gate.mjs        (BENCH_SAMPLES=... to change the size)
import { execFileSync, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJtl } from './gate/generate-jtl.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const samples = Number(process.env.BENCH_SAMPLES ?? 1_000_000);
const repeats = Math.max(1, Math.min(10, Number(process.env.BENCH_REPEATS ?? 3)));
const cacheDir = path.join(root, '.cache', 'bench');
const jtl = path.join(cacheDir, `gate-${samples}.jtl`);

if (!existsSync(path.join(root, 'lab/dist/gate/index.js'))) {
  console.error('bench/gate: lab/dist is missing: run `npm run build` first (make bench does)');
  process.exit(2);
}
mkdirSync(cacheDir, { recursive: true });
if (!existsSync(jtl)) {
  const t = performance.now();
  const tmp = `${jtl}.tmp`;
  await writeJtl(tmp, samples);
  execFileSync('mv', [tmp, jtl]);
  console.log(`generated ${jtl} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const mb = statSync(jtl).size / 1024 / 1024;

const work = mkdtempSync(path.join(os.tmpdir(), 'lab-bench-gate-'));
const thresholds = path.join(work, 'thresholds.yml');
writeFileSync(
  thresholds,
  'min_samples: 100\noverall: { errors: "< 2%", p99: "< 2s" }\nlabels:\n  browse_catalog: { p95: "< 500ms" }\n  search_catalog: { p95: "< 500ms" }\n  view_product: { p95: "< 500ms" }\n  place_order: { p95: "< 500ms" }\n',
);

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs a command; wall time measured here, CPU and peak RSS by /usr/bin/time when present. */
function measure(file, args) {
  const argv = TIME ? ['-f', 'TIME %e %U %S %M', file, ...args] : args;
  const t = performance.now();
  const r = spawnSync(TIME ?? file, argv, {
    cwd: root,
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 1 << 24,
  });
  const ms = performance.now() - t;
  if (r.status !== 0)
    throw new Error(
      `${file} ${args[1] ?? ''} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`,
    );
  const timeLine = r.stderr.split('\n').find((l) => l.startsWith('TIME '));
  const [, , user, sys, rssKb] = timeLine ? timeLine.split(' ').map(Number) : [];
  return {
    ms,
    cpuMs: timeLine ? (user + sys) * 1000 : null,
    rssMb: timeLine ? rssKb / 1024 : null,
    stdout: r.stdout,
  };
}

function child(mode) {
  const m = measure(process.execPath, [
    path.join(root, 'bench/gate/child.mjs'),
    mode,
    jtl,
    thresholds,
    path.join(work, 'out'),
  ]);
  const inside = JSON.parse(m.stdout.trim().split('\n').pop());
  return { ...m, rssMb: m.rssMb ?? inside.maxRssMb, workMs: inside.ms, inside };
}

function wc() {
  const m = measure('wc', ['-l', jtl]);
  return { ...m, lines: Number(m.stdout.trim().split(/\s+/)[0]) };
}

const best = (runs) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
const bestCpu = (runs) =>
  runs.every((r) => r.cpuMs !== null) ? Math.min(...runs.map((r) => r.cpuMs)) : null;
wc(); // warm the page cache: every contestant reads from memory
const results = { wc: [], gate: [], peer: [] };
for (let i = 0; i < repeats; i++) {
  results.wc.push(wc());
  results.gate.push(child('gate'));
  results.peer.push(child('peer'));
}
rmSync(work, { recursive: true, force: true });
const g = best(results.gate);
const p = best(results.peer);
const w = best(results.wc);
const cpu = { gate: bestCpu(results.gate), peer: bestCpu(results.peer), wc: bestCpu(results.wc) };
const gatePeakRss = Math.max(...results.gate.map((r) => r.rssMb));
const peerPeakRss = Math.max(...results.peer.map((r) => r.rssMb));
const gi = g.inside;
const pi = p.inside;
const agree =
  gi.samples === pi.samples &&
  gi.p95 === pi.p95 &&
  Object.entries(pi.labels).every(([k, v]) => gi.labels[k] === v);

const sec = (ms) => (ms === null ? '     —' : `${(ms / 1000).toFixed(3)} s`);
const row = (name, wall, cpuMs, rss, extra = '') =>
  `${name.padEnd(36)} ${sec(wall).padStart(9)}  ${sec(cpuMs).padStart(9)}  ${(rss === null ? '—' : `${rss.toFixed(0)} MB`).padStart(7)}  ${extra}`;
// /usr/bin/time counts CPU in 10 ms steps: a ratio against less than that is not a figure.
const ratio = (a, b) =>
  a === null || b === null ? '—' : b < 10 ? `>${(a / 10).toFixed(0)}×` : `${(a / b).toFixed(1)}×`;
console.log(
  `gate benchmark: ${samples.toLocaleString('en')} samples, ${mb.toFixed(0)} MB (${path.relative(root, jtl)}), best of ${repeats}; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`,
);
console.log(
  `${''.padEnd(36)} ${'wall'.padStart(9)}  ${'cpu'.padStart(9)}  ${'peak RSS'.padStart(7)}`,
);
console.log(row('wc -l (the floor: read the file)', w.ms, cpu.wc, w.rssMb, `${w.lines} lines`));
console.log(
  row(
    'gate (node + lab/dist/gate runGate)',
    g.ms,
    cpu.gate,
    gatePeakRss,
    `work inside: ${sec(g.workMs)}`,
  ),
);
console.log(
  row(
    'peer (csv-parse, keep every sample)',
    p.ms,
    cpu.peer,
    peerPeakRss,
    `work inside: ${sec(p.workMs)}`,
  ),
);
console.log(
  `peer / gate : wall ${ratio(p.ms, g.ms)}, cpu ${ratio(cpu.peer, cpu.gate)}, work inside ${ratio(p.workMs, g.workMs)}   (target ≥ 10×)`,
);
console.log(
  `gate / wc -l: wall ${ratio(g.ms, w.ms)}, cpu ${ratio(cpu.gate, cpu.wc)}   (target ≤ 20×)`,
);
console.log(`gate peak RSS: ${gatePeakRss.toFixed(0)} MB   (target < 100 MB)`);
console.log(`gate and peer agree (samples, overall and per-label p95): ${agree ? 'yes' : 'NO'}`);
if (!agree) process.exitCode = 1;
