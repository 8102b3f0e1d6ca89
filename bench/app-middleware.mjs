#!/usr/bin/env node
// What do the metrics + access-log middleware cost? Serves GET /healthz from the real catalog
// app twice — with and without that middleware — each in its own child process, and loads
// both with autocannon in alternating rounds (same machine, same run). Logs are really
// formatted as JSON and written to a sink that discards them. Prints both figures and the ratio.
// Target: the instrumented app keeps >= 90% of the bare app's requests/s.
// Short alternating rounds and the median per variant keep a busy machine's noise out of the ratio.
// Needs the build (`npm run build`). Usage: node bench/app-middleware.mjs [--duration 3] [--rounds 6] [--connections 50]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv[2] === '--serve') {
  // Child: one variant of the app on an ephemeral loopback port.
  const instrument = process.argv[3] === 'instrumented';
  const kit = await import(path.join(root, 'app/shared/dist/index.js'));
  const { createCatalogApp } = await import(path.join(root, 'app/catalog/dist/app.js'));
  const { catalogConfigSchema } = await import(path.join(root, 'app/catalog/dist/config.js'));
  const config = kit.loadConfig('catalog', catalogConfigSchema, {
    MONGODB_URI: 'mongodb://127.0.0.1:1/bench',
  });
  const app = createCatalogApp({
    config,
    build: kit.buildInfo('catalog', config),
    logger: kit.createLogger({
      service: 'catalog',
      version: config.APP_VERSION,
      level: 'info',
      sink: kit.discardSink,
    }),
    metrics: kit.createMetrics(),
    readiness: new kit.Lifecycle(() => true),
    instrument,
  });
  const server = app.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
  // CPU time spent by this server, for a per-request cost that a busy machine cannot blur.
  process.on('message', (m) => m === 'cpu' && process.send?.({ cpu: process.cpuUsage() }));
  process.on('disconnect', () => process.exit(0));
} else {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const duration = arg('duration', 3);
  const rounds = Math.min(arg('rounds', 6), 20);
  const connections = arg('connections', 50);
  const { default: autocannon } = await import('autocannon');

  const start = async (variant) => {
    const child = fork(fileURLToPath(import.meta.url), ['--serve', variant], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const [msg] = await Promise.race([
      once(child, 'message'),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`${variant} server did not start in 30 s`)), 30_000),
      ),
    ]);
    return { child, url: `http://127.0.0.1:${msg.port}/healthz` };
  };
  const cpuMicros = async (child) => {
    child.send('cpu');
    const [{ cpu }] = await once(child, 'message');
    return cpu.user + cpu.system;
  };
  const load = (url, seconds) =>
    new Promise((resolve, reject) =>
      autocannon({ url, connections, duration: seconds }, (err, result) =>
        err ? reject(err) : resolve(result),
      ),
    );

  const servers = { bare: await start('bare'), instrumented: await start('instrumented') };
  const totals = { bare: [], instrumented: [] };
  const cpu = { bare: { micros: 0, requests: 0 }, instrumented: { micros: 0, requests: 0 } };
  try {
    for (const variant of Object.keys(servers)) await load(servers[variant].url, 1); // warm-up
    for (let round = 0; round < rounds; round++) {
      // Alternate the order so neither variant always runs on a warmer or cooler machine.
      const order = round % 2 === 0 ? ['bare', 'instrumented'] : ['instrumented', 'bare'];
      for (const variant of order) {
        const before = await cpuMicros(servers[variant].child);
        const r = await load(servers[variant].url, duration);
        cpu[variant].micros += (await cpuMicros(servers[variant].child)) - before;
        cpu[variant].requests += r.requests.total;
        if (r.non2xx || r.errors)
          throw new Error(`${variant}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        totals[variant].push(r.requests.average);
      }
    }
  } finally {
    for (const s of Object.values(servers)) s.child.disconnect();
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const bare = median(totals.bare);
  const instrumented = median(totals.instrumented);
  const ratio = instrumented / bare;
  console.log(
    `GET /healthz, ${connections} connections, ${rounds} x ${duration} s per variant (alternating; medians)`,
  );
  console.log(
    `  without metrics+logging: ${bare.toFixed(0)} req/s   (rounds: ${totals.bare.map((x) => x.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  with metrics+logging:    ${instrumented.toFixed(0)} req/s   (rounds: ${totals.instrumented.map((x) => x.toFixed(0)).join(', ')})`,
  );
  const perRequest = (v) => cpu[v].micros / cpu[v].requests;
  console.log(
    `  server CPU per request:  ${perRequest('bare').toFixed(1)} us without, ${perRequest('instrumented').toFixed(1)} us with (+${(perRequest('instrumented') - perRequest('bare')).toFixed(1)} us, ${((perRequest('instrumented') / perRequest('bare') - 1) * 100).toFixed(1)}% more CPU)`,
  );
  console.log(
    `  ratio with/without: ${ratio.toFixed(3)}  (cost ${((1 - ratio) * 100).toFixed(1)}%; target <= 10%: ${ratio >= 0.9 ? 'met' : 'NOT met'})`,
  );
}
