// The real catalog app over HTTP (supertest), without a database: everything here is decided
// before MongoDB would be reached, or is about MongoDB being unreachable.
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { createCatalogApp } from '../src/app.js';
import { catalogConfigSchema } from '../src/config.js';
import { testContext } from '../../shared/test/support.js';

function catalog(env: Record<string, string> = {}, dbConnected = () => false) {
  const t = testContext(
    'catalog',
    catalogConfigSchema,
    { APP_VERSION: '1.2.3', GIT_SHA: 'abc123', ...env },
    dbConnected,
  );
  return { ...t, app: createCatalogApp(t.ctx) };
}

describe('catalog API without a database', () => {
  test('validation errors are 400s that name the bad field', async () => {
    const { app } = catalog();
    const cases: [string, string][] = [
      ['/api/products?limit=0', 'query.limit'],
      ['/api/products?limit=101', 'query.limit'],
      ['/api/products?limit=ten', 'query.limit'],
      ['/api/products?page=0', 'query.page'],
      ['/api/products?page=1.5', 'query.page'],
      ['/api/products?category=Not%20A%20Category', 'query.category'],
      ['/api/products?q=', 'query.q'],
      ['/api/products/not-an-id', 'params.id'],
      ['/api/products/sku/123', 'params.sku'],
    ];
    for (const [url, field] of cases) {
      const res = await request(app).get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toMatch(new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}: `));
    }
  });

  test('pagination bounds are stated in the message', async () => {
    const { app } = catalog();
    const res = await request(app).get('/api/products?limit=1000');
    expect(res.body.error.message).toBe('query.limit: must be at most 100');
  });

  test('create/update bodies are validated field by field', async () => {
    const { app } = catalog();
    const good = { sku: 'SKU-000001', name: 'Kettle', category: 'kitchen', price: 19.99, stock: 3 };
    const bad: [Record<string, unknown>, string][] = [
      [{ ...good, sku: 'nope' }, 'body.sku'],
      [{ ...good, name: undefined }, 'body.name'],
      [{ ...good, price: -1 }, 'body.price'],
      [{ ...good, price: 1.234 }, 'body.price'],
      [{ ...good, stock: 2.5 }, 'body.stock'],
      [{ ...good, tags: 'x' }, 'body.tags'],
      [{ ...good, colour: 'red' }, 'body'],
    ];
    for (const [body, field] of bad) {
      const res = await request(app).post('/api/products').send(body);
      expect({ body, status: res.status, field: res.body.error.field }).toEqual({
        body,
        status: 400,
        field,
      });
    }
    const empty = await request(app).put('/api/products/5eed00000000000000000001').send({});
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/at least one field/);
  });

  test('malformed JSON is a 400, not a 500', async () => {
    const { app } = catalog();
    const res = await request(app)
      .post('/api/products')
      .set('Content-Type', 'application/json')
      .send('{"sku":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  test('unknown routes are JSON 404s', async () => {
    const { app } = catalog();
    const res = await request(app).get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({
      code: 'not_found',
      message: 'no route for GET /api/nothing-here',
    });
  });

  test('a database outage is a quick 503 that leaks no internals', async () => {
    const { app, sink } = catalog();
    const started = Date.now();
    const res = await request(app).get('/api/products');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('database_unavailable');
    expect(JSON.stringify(res.body)).not.toMatch(/mongo|stack|at /i);
    expect(sink.records().some((r) => r.msg === 'request' && r.status === 503)).toBe(true);
  });

  test('every response carries a request id; a sane incoming one is kept', async () => {
    const { app, sink } = catalog();
    const generated = await request(app).get('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await request(app).get('/healthz').set('X-Request-Id', 'trace-42');
    expect(kept.headers['x-request-id']).toBe('trace-42');
    const hostile = await request(app).get('/healthz').set('X-Request-Id', 'a b\tc"<script>');
    expect(hostile.headers['x-request-id']).not.toContain('script');
    const ids = sink
      .records()
      .filter((r) => r.msg === 'request')
      .map((r) => r.requestId);
    expect(ids).toEqual([
      generated.headers['x-request-id'],
      'trace-42',
      hostile.headers['x-request-id'],
    ]);
  });

  test('one JSON log line per request, with route template, status and duration', async () => {
    const { app, sink } = catalog();
    await request(app).get('/api/products/sku/bad');
    const lines = sink.records().filter((r) => r.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      service: 'catalog',
      method: 'GET',
      path: '/api/products/sku/bad',
      route: '/api/products/sku/:sku',
      status: 400,
    });
    expect(typeof lines[0]!.durationMs).toBe('number');
  });

  test('liveness, readiness and version', async () => {
    let connected = false;
    const { app, lifecycle } = catalog({ BUILD_TIME: '2026-01-01T00:00:00Z' }, () => connected);
    expect((await request(app).get('/healthz')).status).toBe(200);
    const notReady = await request(app).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body.reason).toBe('mongodb not connected');
    connected = true;
    expect((await request(app).get('/readyz')).status).toBe(200);
    lifecycle.shuttingDown = true;
    expect((await request(app).get('/readyz')).body).toEqual({
      status: 'not ready',
      reason: 'shutting down',
    });
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await request(app).get('/version')).body).toEqual({
      service: 'catalog',
      version: '1.2.3',
      gitSha: 'abc123',
      buildTime: '2026-01-01T00:00:00Z',
    });
  });
});

describe('catalog metrics', () => {
  test('routes are labelled by template; unmatched URLs share one label', async () => {
    const { app } = catalog();
    for (let i = 0; i < 5; i++) await request(app).get(`/api/products/bad-id-${i}`);
    for (let i = 0; i < 5; i++) await request(app).get(`/random/path/${i}`);
    await request(app).get('/api/products/sku/SKU-12');
    await request(app).get('/api/products?limit=0');
    const text = (await request(app).get('/metrics')).text;
    const routes = new Set(
      [...text.matchAll(/http_requests_total\{[^}]*route="([^"]*)"/g)].map((m) => m[1]),
    );
    expect([...routes].sort()).toEqual([
      '/api/products',
      '/api/products/:id',
      '/api/products/sku/:sku',
      'unmatched',
    ]);
    expect(text).toContain(
      'http_requests_total{service="catalog",version="1.2.3",method="GET",route="/api/products/:id",status="400"} 5',
    );
    expect(text).toContain(
      'http_requests_total{service="catalog",version="1.2.3",method="GET",route="unmatched",status="404"} 5',
    );
    expect(text).not.toMatch(/bad-id|random\/path/);
    // Buckets resolve a p95 anywhere from 5 ms to 2 s.
    const buckets = [
      ...text.matchAll(
        /http_request_duration_seconds_bucket\{le="([^"]+)"[^}]*route="\/api\/products\/:id"/g,
      ),
    ].map((m) => m[1]);
    expect(buckets).toEqual(
      expect.arrayContaining(['0.005', '0.01', '0.05', '0.1', '0.5', '1', '2']),
    );
  });

  test('exposition includes prom-client default metrics when enabled', async () => {
    const t = testContext('catalog', catalogConfigSchema, {});
    const { createMetrics } = await import('@cicd-lab/service-kit');
    const app = createCatalogApp({ ...t.ctx, metrics: createMetrics() });
    const text = (await request(app).get('/metrics')).text;
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('catalog fault injection', () => {
  test('error rate 1 on one route fails that route only; probes stay healthy', async () => {
    const { app } = catalog({ FAULT_ERROR_RATE: '1', FAULT_ROUTES: 'GET /api/products/:id' });
    const hit = await request(app).get('/api/products/5eed00000000000000000001');
    expect(hit.status).toBe(500);
    expect(hit.body.error.code).toBe('injected_fault');
    expect((await request(app).get('/api/products?limit=0')).status).toBe(400);
    expect((await request(app).get('/healthz')).status).toBe(200);
  });

  test('added latency delays the matched route', async () => {
    const { app } = catalog({ FAULT_LATENCY_MS: '300', FAULT_ROUTES: '/api/products*' });
    let started = Date.now();
    await request(app).get('/api/products/x');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    await request(app).get('/healthz');
    expect(Date.now() - started).toBeLessThan(250);
  });

  test('fault settings are validated at boot', () => {
    expect(() => testContext('catalog', catalogConfigSchema, { FAULT_ERROR_RATE: '1.5' })).toThrow(
      /FAULT_ERROR_RATE: must be between 0 and 1/,
    );
  });
});
