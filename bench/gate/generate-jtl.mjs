// Deterministic JTL generator shared by the gate benchmark (and handy for manual tries):
// JMeter's default CSV columns, the four labels of the baseline plan, realistic URLs, thread
// names, ~1% failures with quoted failure messages that contain commas and doubled quotes.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Buffer } from 'node:buffer';

export const HEADER =
  'timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect';

const LABELS = [
  ['browse_catalog', 'GET', '/api/products?page=3&limit=20', 40],
  ['search_catalog', 'GET', '/api/products?q=blue%20lamp&limit=20', 25],
  ['view_product', 'GET', '/api/products/sku/SKU-000123', 25],
  ['place_order', 'POST', '/api/orders', 10],
];

/** xorshift32: the same file on every machine. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** Writes `samples` lines to `file`; resolves to the byte count. */
export async function writeJtl(
  file,
  samples,
  { seed = 42, start = 1_764_536_400_000, threads = 50 } = {},
) {
  const rand = rng(seed);
  const out = createWriteStream(file);
  let bytes = 0;
  let batch = `${HEADER}\n`;
  let ts = start;
  const weights = LABELS.map((l) => l[3]);
  const total = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < samples; i++) {
    let r = rand() * total;
    let li = 0;
    while (r >= weights[li]) r -= weights[li++];
    const [label, , url] = LABELS[li];
    // log-normal-ish latency: mostly 20..200 ms with a long tail into seconds
    const u = rand();
    const elapsed = Math.round(
      15 + 60 * Math.exp(2.2 * (rand() + rand() + rand() - 1.5)) + (u > 0.999 ? 2000 * rand() : 0),
    );
    ts += rand() < 0.5 ? 0 : 1;
    const thread = 1 + Math.floor(rand() * threads);
    const fail = rand() < 0.01;
    const code = fail ? 500 : 200;
    const msg = fail ? 'Internal Server Error' : 'OK';
    const failure = fail ? `"Test failed: code expected to contain /200/, but was ""500"""` : '';
    const latency = Math.max(0, elapsed - Math.floor(rand() * 5));
    const line = `${ts},${elapsed},${label},${code},${msg},Users 1-${thread},text,${!fail},${failure},${1200 + Math.floor(rand() * 8000)},${180 + Math.floor(rand() * 60)},${threads},${threads},http://staging${url},${latency},0,${rand() < 0.05 ? 1 : 0}\n`;
    batch += line;
    if (batch.length > 1 << 20) {
      bytes += Buffer.byteLength(batch);
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  bytes += Buffer.byteLength(batch);
  out.end(batch);
  await once(out, 'finish');
  return bytes;
}
