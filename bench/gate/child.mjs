// One measured contestant of bench/gate.mjs, in its own process so that its peak RSS is its own.
// Prints one JSON line: { ms, maxRssMb, samples, p95 } (ms = the work, without Node's start-up).
//   node bench/gate/child.mjs gate FILE.jtl THRESHOLDS.yml OUTDIR
//   node bench/gate/child.mjs peer FILE.jtl
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [mode, file, thresholds, outDir] = process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Nearest rank, as the gate defines it. */
const nearestRank = (sorted, p) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];

async function gate() {
  const { runGate } = await import(path.join(root, 'lab/dist/gate/index.js'));
  const t0 = performance.now();
  const report = await runGate({ results: file, thresholds, outDir });
  return {
    ms: performance.now() - t0,
    samples: report.summary.samples,
    p95: report.summary.overall.p95,
    labels: Object.fromEntries(Object.entries(report.summary.labels).map(([k, v]) => [k, v.p95])),
  };
}

// The straightforward gate: a generic CSV parser, every sample kept, sorted for percentiles.
async function peer() {
  const { parse } = await import('csv-parse');
  const t0 = performance.now();
  const all = [];
  const byLabel = new Map();
  let errors = 0;
  const parser = createReadStream(file).pipe(parse({ columns: true }));
  for await (const row of parser) {
    const sample = {
      ts: Number(row.timeStamp),
      elapsed: Number(row.elapsed),
      label: row.label,
      success: row.success === 'true',
    };
    if (!sample.success) errors++;
    all.push(sample);
    if (!byLabel.has(sample.label)) byLabel.set(sample.label, []);
    byLabel.get(sample.label).push(sample.elapsed);
  }
  const labels = {};
  for (const [label, values] of byLabel) {
    values.sort((a, b) => a - b);
    labels[label] = nearestRank(values, 95);
  }
  const everything = all.map((s) => s.elapsed).sort((a, b) => a - b);
  return {
    ms: performance.now() - t0,
    samples: all.length,
    p95: nearestRank(everything, 95),
    labels,
    errors,
  };
}

const result = mode === 'gate' ? await gate() : await peer();
result.maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify(result)}\n`);
