// The compiled catalog server as a real process: config errors at boot, crash-at-start, and
// graceful shutdown on SIGTERM with a request in flight. MongoDB is absent on purpose: the
// process must be live (and exit cleanly) without it.
import { afterEach, describe, expect, test } from '@jest/globals';
import http from 'node:http';
import { builtEntry, spawnNode, type Spawned } from '../../shared/test/support.js';
import { freePort, waitFor } from '../../../test/support/net.js';

const running: Spawned[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

function get(
  port: number,
  path: string,
  agent?: http.Agent,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

async function startCatalog(env: Record<string, string> = {}) {
  const port = await freePort();
  const mongoPort = await freePort();
  const p = spawnNode(builtEntry('catalog'), {
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: `mongodb://127.0.0.1:${mongoPort}/catalog`,
    ...env,
  });
  running.push(p);
  await waitFor('catalog /healthz', async () => (await get(port, '/healthz')).status === 200, {
    timeoutMs: 10_000,
    intervalMs: 100,
  });
  return { port, p };
}

describe('catalog process', () => {
  test('a bad config value stops the boot with a clear message and exit 1', async () => {
    const p = spawnNode(builtEntry('catalog'), {
      PORT: 'eighty',
      MONGODB_URI: 'postgres://x',
      CATALOG_SEARCH_MODE: 'fuzzy',
    });
    running.push(p);
    const { code } = await p.exited;
    expect(code).toBe(1);
    expect(p.stderr()).toContain('catalog: invalid configuration:');
    expect(p.stderr()).toContain('PORT: must be a number (got "eighty")');
    expect(p.stderr()).toContain('MONGODB_URI: must be a mongodb:// or mongodb+srv:// URI');
    expect(p.stderr()).toContain('CATALOG_SEARCH_MODE: must be text or regex (got "fuzzy")');
    expect(p.stderr()).not.toMatch(/^\s+at /m);
  }, 15_000);

  test('a missing required value is named', async () => {
    const p = spawnNode(builtEntry('catalog'), {});
    running.push(p);
    expect((await p.exited).code).toBe(1);
    expect(p.stderr()).toMatch(/MONGODB_URI: is required/);
  }, 15_000);

  test('FAULT_CRASH_AT_START makes it exit 1 before listening', async () => {
    const port = await freePort();
    const p = spawnNode(builtEntry('catalog'), {
      MONGODB_URI: 'mongodb://127.0.0.1:1/x',
      FAULT_CRASH_AT_START: 'true',
      PORT: String(port),
    });
    running.push(p);
    expect((await p.exited).code).toBe(1);
    expect(p.stdout()).toContain('crashing at start on purpose');
    expect(p.stdout()).not.toContain('"listening"');
    await expect(get(port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
  }, 15_000);

  test('SIGTERM: the in-flight request completes, then the process exits 0', async () => {
    // The fault makes GET /api/products/:id take 1 s: a request still in flight at SIGTERM.
    const { port, p } = await startCatalog({
      FAULT_LATENCY_MS: '1000',
      FAULT_ROUTES: 'GET /api/products/:id',
    });
    const inFlight = get(port, '/api/products/not-an-id');
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    p.child.kill('SIGTERM');
    const response = await inFlight;
    const { code } = await p.exited;
    const stopMs = Date.now() - signalled;
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.field).toBe('params.id');
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(2_000);
    const logs = p
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.find((l) => l.msg === 'stopped')).toMatchObject({ how: 'drained' });
    // The request finished after shutdown began and was still logged.
    const order = logs.map((l) => l.msg);
    expect(order.indexOf('shutting down')).toBeLessThan(order.lastIndexOf('request'));
    // New connections are refused once shutdown starts.
    await expect(get(port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
  }, 20_000);

  test('an idle keep-alive connection does not hold up shutdown', async () => {
    const { port, p } = await startCatalog();
    const agent = new http.Agent({ keepAlive: true });
    expect((await get(port, '/healthz', agent)).status).toBe(200);
    const signalled = Date.now();
    p.child.kill('SIGTERM');
    const { code } = await p.exited;
    agent.destroy();
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(1_500);
  }, 20_000);
});
