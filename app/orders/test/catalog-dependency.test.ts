// The real orders app against a real HTTP server standing in for the catalog (healthy, slow,
// failing, gone). No database: every case here is decided before an order would be stored.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createOrdersApp } from '../src/app.js';
import { ordersConfigSchema } from '../src/config.js';
import { testContext } from '../../shared/test/support.js';
import { freePort } from '../../../test/support/net.js';

type Mode = 'ok' | 'slow' | 'error' | 'flaky';

/** A stand-in catalog: GET /api/products/sku/:sku, behaviour switched per test. */
class StandInCatalog {
  mode: Mode = 'ok';
  hits = 0;
  requestIds: string[] = [];
  private readonly server = http.createServer((req, res) => {
    this.hits++;
    this.requestIds.push(String(req.headers['x-request-id'] ?? ''));
    const sku = /^\/api\/products\/sku\/(SKU-\d{6})$/.exec(req.url ?? '')?.[1];
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.mode === 'slow') {
      const t = setTimeout(() => reply(200, {}), 5_000);
      res.on('close', () => clearTimeout(t));
      return;
    }
    if (this.mode === 'error' || (this.mode === 'flaky' && this.hits === 1))
      return reply(500, { error: { code: 'internal' } });
    if (!sku || sku === 'SKU-999999') return reply(404, { error: { code: 'not_found' } });
    reply(200, {
      id: 'x',
      sku,
      name: `Product ${sku}`,
      price: 12.5,
      stock: sku === 'SKU-000002' ? 1 : 100,
    });
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

const catalog = new StandInCatalog();
beforeAll(() => catalog.start());
afterAll(() => catalog.stop());
afterEach(() => {
  catalog.mode = 'ok';
  catalog.hits = 0;
  catalog.requestIds = [];
});

function orders(env: Record<string, string> = {}) {
  const t = testContext('orders', ordersConfigSchema, {
    CATALOG_URL: catalog.url,
    CATALOG_TIMEOUT_MS: '300',
    CATALOG_RETRIES: '2',
    CATALOG_RETRY_DELAY_MS: '20',
    ...env,
  });
  return { ...t, app: createOrdersApp(t.ctx) };
}

const order = (lines: { sku: string; quantity: number }[]) => ({
  customer: 'ada@example.com',
  lines,
});

describe('orders request validation', () => {
  test.each([
    [{ customer: 'not-an-email', lines: [{ sku: 'SKU-000001', quantity: 1 }] }, 'body.customer'],
    [{ customer: 'ada@example.com', lines: [] }, 'body.lines'],
    [{ customer: 'ada@example.com', lines: [{ sku: 'SKU-1', quantity: 1 }] }, 'body.lines[0].sku'],
    [
      { customer: 'ada@example.com', lines: [{ sku: 'SKU-000001', quantity: 0 }] },
      'body.lines[0].quantity',
    ],
    [
      {
        customer: 'ada@example.com',
        lines: [
          { sku: 'SKU-000001', quantity: 1 },
          { sku: 'SKU-000001', quantity: 2 },
        ],
      },
      'body.lines[1].sku',
    ],
    [
      { customer: 'ada@example.com', lines: [{ sku: 'SKU-000001', quantity: 1, price: 0.01 }] },
      'body.lines[0]',
    ],
  ])('%j → 400 naming %s', async (body, field) => {
    const { app } = orders();
    const res = await request(app).post('/api/orders').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
    expect(catalog.hits).toBe(0);
  });

  test('list pagination bounds and id format', async () => {
    const { app } = orders();
    expect((await request(app).get('/api/orders?limit=500')).body.error.message).toBe(
      'query.limit: must be at most 100',
    );
    expect((await request(app).get('/api/orders?page=0')).body.error.field).toBe('query.page');
    expect((await request(app).get('/api/orders/42')).body.error.field).toBe('params.id');
  });
});

describe('orders when the catalog misbehaves', () => {
  test('catalog down: 503 with a clear body, quickly, after bounded retries', async () => {
    const port = await freePort();
    const { app } = orders({ CATALOG_URL: `http://127.0.0.1:${port}` });
    const started = Date.now();
    const res = await request(app)
      .post('/api/orders')
      .send(order([{ sku: 'SKU-000001', quantity: 1 }]));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({
      code: 'catalog_unavailable',
      message: 'the catalog service is unavailable; the order was not placed, try again later',
      reason: 'catalog unreachable (ECONNREFUSED)',
    });
  });

  test('catalog slow: every attempt times out, the client gets a 503 within the bound', async () => {
    catalog.mode = 'slow';
    const { app } = orders();
    const started = Date.now();
    const res = await request(app)
      .post('/api/orders')
      .send(order([{ sku: 'SKU-000001', quantity: 1 }]));
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.body.error.reason).toBe('catalog timed out');
    expect(catalog.hits).toBe(3);
    // 3 attempts × 300 ms + backoff 20 + 40 ms, plus slack; never the catalog's 5 s.
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2_500);
  });

  test('catalog failing with 5xx: retried exactly CATALOG_RETRIES times', async () => {
    catalog.mode = 'error';
    const { app } = orders({ CATALOG_RETRIES: '1' });
    const res = await request(app)
      .post('/api/orders')
      .send(order([{ sku: 'SKU-000001', quantity: 1 }]));
    expect(res.status).toBe(503);
    expect(res.body.error.reason).toBe('catalog answered 500');
    expect(catalog.hits).toBe(2);
  });

  test('a transient 5xx is absorbed by the retry; the request id is forwarded', async () => {
    catalog.mode = 'flaky';
    const { app } = orders();
    const res = await request(app)
      .post('/api/orders')
      .set('X-Request-Id', 'order-trace-1')
      .send(order([{ sku: 'SKU-000002', quantity: 5 }]));
    // The second attempt succeeds; the stock check then rejects the order (no DB involved).
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'insufficient_stock',
      field: 'body.lines[0].quantity',
    });
    expect(catalog.hits).toBe(2);
    expect(catalog.requestIds).toEqual(['order-trace-1', 'order-trace-1']);
  });

  test('unknown product: 422 naming the line, no retry of a 404', async () => {
    const { app } = orders();
    const res = await request(app)
      .post('/api/orders')
      .send(
        order([
          { sku: 'SKU-000001', quantity: 1 },
          { sku: 'SKU-999999', quantity: 1 },
        ]),
      );
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unknown_product', field: 'body.lines[1].sku' });
    expect(catalog.hits).toBe(2);
  });

  test('catalog fine but database down: 503 database_unavailable, not a hang', async () => {
    const { app } = orders();
    const started = Date.now();
    const res = await request(app)
      .post('/api/orders')
      .send(order([{ sku: 'SKU-000001', quantity: 2 }]));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('database_unavailable');
  });

  test('metrics label the order route by template', async () => {
    const { app } = orders();
    await request(app).get('/api/orders/5eed00000000000000000001');
    const text = (await request(app).get('/metrics')).text;
    expect(text).toMatch(
      /http_requests_total\{service="orders",version="0\.0\.0-dev",method="GET",route="\/api\/orders\/:id",status="503"\} 1/,
    );
  });
});

describe('orders config', () => {
  test('CATALOG_URL is required and must be http(s)', () => {
    expect(() => testContext('orders', ordersConfigSchema, {})).toThrow(/CATALOG_URL: is required/);
    expect(() => testContext('orders', ordersConfigSchema, { CATALOG_URL: 'ftp://x' })).toThrow(
      /CATALOG_URL: must be an http\(s\) URL/,
    );
  });
});
