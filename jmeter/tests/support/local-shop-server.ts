// A real HTTP server on loopback that answers the shop's public API the way the lab's Nginx
// does (catalog and orders behind one port), for JMeter runs in tests: the app itself needs
// MongoDB, which cannot run here. Latency and error rate are controllable so that a real JMeter
// run produces results that pass or fail the gate on purpose. It is strict about requests: a
// request the real API would reject is answered 400/404 and recorded in `rejected`, so a plan
// that sends the wrong thing fails its assertions instead of passing against a lenient double.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleProducts, type SampleProduct } from '../../../app/shared/src/sample-data.js';

export type RouteKey =
  | 'healthz_catalog'
  | 'healthz_orders'
  | 'list_products'
  | 'search_products'
  | 'product_by_sku'
  | 'product_by_id'
  | 'create_order'
  | 'list_orders';

export interface ShopBehaviour {
  /** Delay added before every answer, in milliseconds. */
  latencyMs: number;
  /** Extra delay for some routes only (added to latencyMs). */
  routeLatencyMs: Partial<Record<RouteKey, number>>;
  /**
   * Fraction (0..1) of /api requests answered 500. Spread evenly (every 1/rate-th request),
   * not at random, so a test run gets the same error share every time.
   */
  errorRate: number;
}

export interface RejectedRequest {
  method: string;
  url: string;
  status: number;
  reason: string;
}

export interface LocalShop {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  host: string;
  port: number;
  /** Requests answered per route (including injected errors). */
  counts: Record<RouteKey, number>;
  /** Requests the real API would reject (bad route, bad query, bad body). */
  rejected: RejectedRequest[];
  /** Injected 500s so far. */
  injectedErrors: number;
  set: (behaviour: Partial<ShopBehaviour>) => void;
  close: () => Promise<void>;
}

// The catalogue the app seeds (app/shared sample data): the SKUs and search terms of the plans'
// data file find the same products here as on a seeded staging host.
const SEED_PRODUCTS = 1000;
const SKU = /^SKU-\d{6}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Product extends SampleProduct {
  id: string;
}

const makeProducts = (): Product[] =>
  sampleProducts(SEED_PRODUCTS).map((p, i) => ({
    id: (i + 1).toString(16).padStart(24, '0'),
    ...p,
  }));

const ROUTE_KEYS: RouteKey[] = [
  'healthz_catalog',
  'healthz_orders',
  'list_products',
  'search_products',
  'product_by_sku',
  'product_by_id',
  'create_order',
  'list_orders',
];

/** Whole number in [min, max] or undefined when absent; NaN when malformed. */
function intParam(value: string | null, min: number, max: number): number | undefined {
  if (value === null) return undefined;
  if (!/^\d+$/.test(value)) return Number.NaN;
  const n = Number(value);
  return n >= min && n <= max ? n : Number.NaN;
}

export async function startLocalShop(initial: Partial<ShopBehaviour> = {}): Promise<LocalShop> {
  const behaviour: ShopBehaviour = { latencyMs: 0, routeLatencyMs: {}, errorRate: 0, ...initial };
  const products = makeProducts();
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const byId = new Map(products.map((p) => [p.id, p]));
  let orderSeq = 0;
  let apiRequests = 0;
  const counts = Object.fromEntries(ROUTE_KEYS.map((k) => [k, 0])) as Record<RouteKey, number>;
  const rejected: RejectedRequest[] = [];
  const shop = { injectedErrors: 0 };
  // Delayed answers not sent yet: close() drops them (a test may end while requests hang).
  const pending = new Set<NodeJS.Timeout>();

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  const reject = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    reason: string,
  ) => {
    if (rejected.length < 1000)
      rejected.push({ method: req.method ?? '?', url: req.url ?? '?', status, reason });
    send(res, status, {
      error: { code: status === 404 ? 'not_found' : 'validation_failed', message: reason },
    });
  };

  const readBody = (req: http.IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 100_000) reject(new Error('body too large'));
        else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  /** Which route a request is for, or null (404). */
  const routeOf = (method: string, url: URL): RouteKey | null => {
    const p = url.pathname;
    if (method === 'GET' && p === '/catalog/healthz') return 'healthz_catalog';
    if (method === 'GET' && p === '/orders/healthz') return 'healthz_orders';
    if (method === 'GET' && p === '/api/products')
      return url.searchParams.has('q') ? 'search_products' : 'list_products';
    if (method === 'GET' && p.startsWith('/api/products/sku/')) return 'product_by_sku';
    if (method === 'GET' && /^\/api\/products\/[^/]+$/.test(p)) return 'product_by_id';
    if (method === 'POST' && p === '/api/orders') return 'create_order';
    if (method === 'GET' && p === '/api/orders') return 'list_orders';
    return null;
  };

  const answer = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: RouteKey,
    url: URL,
  ) => {
    const q = url.searchParams;
    switch (route) {
      case 'healthz_catalog':
      case 'healthz_orders':
        return send(res, 200, { status: 'ok' });
      case 'list_products':
      case 'search_products': {
        const page = intParam(q.get('page'), 1, 10_000) ?? 1;
        const limit = intParam(q.get('limit'), 1, 100) ?? 20;
        if (Number.isNaN(page) || Number.isNaN(limit))
          return reject(req, res, 400, 'page/limit out of range');
        const term = q.get('q');
        if (term !== null && (term.trim() === '' || term.length > 100))
          return reject(req, res, 400, 'q must not be empty');
        const category = q.get('category');
        let found = products;
        if (category) found = found.filter((p) => p.category === category);
        if (term) {
          const needle = term.trim().toLowerCase();
          found = found.filter(
            (p) =>
              p.name.toLowerCase().includes(needle) || p.description.toLowerCase().includes(needle),
          );
        }
        const items = found.slice((page - 1) * limit, page * limit);
        return send(res, 200, { items, page, limit, total: found.length });
      }
      case 'product_by_sku': {
        const sku = decodeURIComponent(url.pathname.slice('/api/products/sku/'.length));
        if (!SKU.test(sku)) return reject(req, res, 400, `sku ${sku} must look like SKU-000123`);
        const product = bySku.get(sku);
        return product ? send(res, 200, product) : reject(req, res, 404, `product ${sku}`);
      }
      case 'product_by_id': {
        const id = url.pathname.slice('/api/products/'.length);
        const product = byId.get(id);
        return product ? send(res, 200, product) : reject(req, res, 404, `product ${id}`);
      }
      case 'list_orders':
        return send(res, 200, { items: [], page: 1, limit: 20, total: 0 });
      case 'create_order': {
        if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
          return reject(req, res, 415, 'content-type must be application/json');
        }
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req));
        } catch {
          return reject(req, res, 400, 'body is not valid JSON');
        }
        const order = body as { customer?: unknown; lines?: unknown };
        // Like the orders service: a strict object, one line per SKU.
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          return reject(req, res, 400, 'body must be a JSON object');
        const unknown = Object.keys(order).filter((k) => k !== 'customer' && k !== 'lines');
        if (unknown.length > 0)
          return reject(req, res, 400, `unknown field(s): ${unknown.join(', ')}`);
        if (typeof order.customer !== 'string' || !EMAIL.test(order.customer)) {
          return reject(req, res, 400, 'customer must be an email address');
        }
        if (!Array.isArray(order.lines) || order.lines.length === 0)
          return reject(req, res, 400, 'lines must be a non-empty list');
        const lines: { sku: string; quantity: number; price: number }[] = [];
        for (const line of order.lines as { sku?: unknown; quantity?: unknown }[]) {
          if (
            typeof line !== 'object' ||
            line === null ||
            Object.keys(line).some((k) => k !== 'sku' && k !== 'quantity')
          ) {
            return reject(req, res, 400, 'each line must be { sku, quantity }');
          }
          if (lines.some((l) => l.sku === line.sku))
            return reject(req, res, 400, `sku ${String(line.sku)} appears twice`);
          const product = typeof line?.sku === 'string' ? bySku.get(line.sku) : undefined;
          if (!product) return reject(req, res, 422, `unknown sku ${String(line?.sku)}`);
          if (
            !Number.isInteger(line.quantity) ||
            (line.quantity as number) < 1 ||
            (line.quantity as number) > 100
          ) {
            return reject(req, res, 400, 'quantity must be a whole number 1..100');
          }
          if (product.stock < (line.quantity as number)) {
            return reject(req, res, 409, `only ${product.stock} of ${product.sku} in stock`);
          }
          lines.push({ sku: product.sku, quantity: line.quantity as number, price: product.price });
        }
        orderSeq++;
        const total = Math.round(lines.reduce((s, l) => s + l.price * l.quantity, 0) * 100) / 100;
        return send(res, 201, {
          id: orderSeq.toString(16).padStart(24, 'a'),
          customer: order.customer,
          lines,
          total,
          status: 'placed',
        });
      }
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local-shop');
    const route = routeOf(req.method ?? 'GET', url);
    if (!route) {
      reject(req, res, 404, `no route for ${req.method} ${url.pathname}`);
      return;
    }
    counts[route]++;
    let fail = false;
    if (url.pathname.startsWith('/api/')) {
      const rate = Math.min(Math.max(behaviour.errorRate, 0), 1);
      fail = Math.floor((apiRequests + 1) * rate) > Math.floor(apiRequests * rate);
      apiRequests++;
    }
    const delay = behaviour.latencyMs + (behaviour.routeLatencyMs[route] ?? 0);
    const go = () => {
      if (fail) {
        shop.injectedErrors++;
        // Drain the body first so that the connection stays usable for keep-alive.
        req.resume();
        send(res, 500, { error: { code: 'internal', message: 'injected failure' } });
        return;
      }
      answer(req, res, route, url).catch(() =>
        send(res, 500, { error: { code: 'internal', message: 'test server bug' } }),
      );
    };
    if (delay > 0) {
      const timer = setTimeout(() => {
        pending.delete(timer);
        go();
      }, delay);
      pending.add(timer);
    } else go();
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    counts,
    rejected,
    get injectedErrors() {
      return shop.injectedErrors;
    },
    set: (b) => Object.assign(behaviour, b),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pending) clearTimeout(timer);
        pending.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
