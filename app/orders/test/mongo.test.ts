// Orders against a real MongoDB and a real stand-in catalog server. Skips (one line) where no
// MongoDB server exists; nothing is faked.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import request from 'supertest';
import { sampleProducts } from '@cicd-lab/service-kit';
import { createOrdersApp } from '../src/app.js';
import { ordersConfigSchema } from '../src/config.js';
import { OrderModel } from '../src/models/order.js';
import { seedOrders } from '../src/seed.js';
import { startMongo, testContext } from '../../shared/test/support.js';
import { describeWithTools } from '../../../test/support/tools.js';

describeWithTools(['mongod'], 'orders against a real MongoDB', () => {
  const products = new Map(sampleProducts(20).map((p) => [p.sku, { id: p.sku, ...p }]));
  const catalog = http.createServer((req, res) => {
    const product = products.get(
      decodeURIComponent((req.url ?? '').replace('/api/products/sku/', '')),
    );
    res.writeHead(product ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(product ?? { error: { code: 'not_found' } }));
  });
  let catalogUrl = '';
  let stopMongo: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    await new Promise<void>((r) => catalog.listen(0, '127.0.0.1', r));
    catalogUrl = `http://127.0.0.1:${(catalog.address() as AddressInfo).port}`;
    const mongo = await startMongo();
    stopMongo = mongo.stop;
    await mongoose.connect(mongo.uri, { dbName: `orders_test_${randomBytes(4).toString('hex')}` });
  }, 120_000);

  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    await stopMongo();
    await new Promise<void>((r) => catalog.close(() => r()));
  }, 60_000);

  const app = () =>
    createOrdersApp(testContext('orders', ordersConfigSchema, { CATALOG_URL: catalogUrl }).ctx);

  test('places an order priced by the catalog, then reads it back', async () => {
    const a = products.get('SKU-000001')!;
    const b = products.get('SKU-000002')!;
    const res = await request(app())
      .post('/api/orders')
      .send({
        customer: 'ada@example.com',
        lines: [
          { sku: a.sku, quantity: 2 },
          { sku: b.sku, quantity: 1 },
        ],
      });
    expect(res.status).toBe(201);
    const expected = Math.round(a.price * 100) * 2 + Math.round(b.price * 100);
    expect(Math.round(res.body.total * 100)).toBe(expected);
    expect(res.body.lines[0]).toMatchObject({
      sku: a.sku,
      name: a.name,
      unitPrice: a.price,
      quantity: 2,
    });
    const read = await request(app()).get(`/api/orders/${res.body.id}`);
    expect(read.body).toEqual(res.body);
    const list = await request(app()).get('/api/orders?limit=1');
    expect(list.body.items[0].id).toBe(res.body.id);
    expect((await request(app()).get('/api/orders/5eed0000000000000000dead')).status).toBe(404);
  });

  test('seeding orders twice changes nothing', async () => {
    const first = await seedOrders();
    expect(first.inserted).toBe(first.orders);
    const before = await OrderModel.find({ customer: /@example\.com$/ })
      .sort({ _id: 1 })
      .lean();
    expect(await seedOrders()).toEqual({
      orders: first.orders,
      inserted: 0,
      modified: 0,
      unchanged: first.orders,
    });
    expect(
      await OrderModel.find({ customer: /@example\.com$/ })
        .sort({ _id: 1 })
        .lean(),
    ).toEqual(before);
  });
});
