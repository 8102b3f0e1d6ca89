// The catalog against a real MongoDB (mongodb-memory-server on a system mongod, or MONGODB_URI).
// Where no MongoDB server exists these suites skip with one line; nothing here is faked.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { createCatalogApp } from '../src/app.js';
import { catalogConfigSchema } from '../src/config.js';
import { ProductModel } from '../src/models/product.js';
import { seedProducts } from '../src/seed.js';
import { ProductService } from '../src/services/products.js';
import { startMongo, testContext } from '../../shared/test/support.js';
import { describeWithTools } from '../../../test/support/tools.js';

const SEEDED = 300;

describeWithTools(['mongod'], 'catalog against a real MongoDB', () => {
  let stopMongo: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const mongo = await startMongo();
    stopMongo = mongo.stop;
    await mongoose.connect(mongo.uri, { dbName: `catalog_test_${randomBytes(4).toString('hex')}` });
    await seedProducts(SEEDED);
  }, 120_000);

  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    await stopMongo();
  }, 60_000);

  const app = (mode: 'text' | 'regex' = 'text') => {
    const t = testContext(
      'catalog',
      catalogConfigSchema,
      { CATALOG_SEARCH_MODE: mode },
      () => mongoose.connection.readyState === 1,
    );
    return createCatalogApp(t.ctx);
  };

  test('seeding again changes nothing', async () => {
    const before = await ProductModel.find().sort({ sku: 1 }).lean();
    const again = await seedProducts(SEEDED);
    expect(again).toEqual({ products: SEEDED, inserted: 0, modified: 0, unchanged: SEEDED });
    const after = await ProductModel.find().sort({ sku: 1 }).lean();
    expect(after).toEqual(before);
  });

  test('ready when connected', async () => {
    expect((await request(app()).get('/readyz')).body).toEqual({ status: 'ready' });
  });

  test('pagination: pages are disjoint, ordered by SKU, with the total', async () => {
    const p1 = await request(app()).get('/api/products?page=1&limit=5');
    const p2 = await request(app()).get('/api/products?page=2&limit=5');
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ page: 1, limit: 5, total: SEEDED });
    expect(p1.body.items.map((p: { sku: string }) => p.sku)).toEqual([
      'SKU-000001',
      'SKU-000002',
      'SKU-000003',
      'SKU-000004',
      'SKU-000005',
    ]);
    expect(p2.body.items[0].sku).toBe('SKU-000006');
    const last = await request(app()).get(`/api/products?page=${SEEDED / 5 + 1}&limit=5`);
    expect(last.body.items).toEqual([]);
  });

  test('category filter', async () => {
    const res = await request(app()).get('/api/products?category=kitchen&limit=100');
    expect(res.body.total).toBeGreaterThan(0);
    expect(res.body.items.every((p: { category: string }) => p.category === 'kitchen')).toBe(true);
  });

  test('text and regex search find the same product; only regex examines every document', async () => {
    const kettle = await ProductModel.findOne({ name: /Kettle$/ }).lean();
    expect(kettle).not.toBeNull();
    for (const mode of ['text', 'regex'] as const) {
      const res = await request(app(mode)).get('/api/products?q=kettle&limit=100');
      expect(res.status).toBe(200);
      expect(res.body.items.map((p: { sku: string }) => p.sku)).toContain(kettle!.sku);
    }
    const examined = async (mode: 'text' | 'regex') => {
      const { filter, sort, projection } = new ProductService(mode).query({ q: 'kettle' });
      const plan = (await ProductModel.find(filter, projection)
        .sort(sort)
        .limit(20)
        .explain('executionStats')) as unknown as {
        executionStats: { totalDocsExamined: number };
      };
      return plan.executionStats.totalDocsExamined;
    };
    expect(await examined('regex')).toBe(SEEDED);
    expect(await examined('text')).toBeLessThan(SEEDED / 4);
  });

  test('create, read by id and SKU, update, delete; 404s and 409s', async () => {
    const a = app();
    const body = {
      sku: 'SKU-900001',
      name: 'Test Lantern',
      category: 'lighting',
      price: 24.5,
      stock: 7,
    };
    const created = await request(a).post('/api/products').send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, description: '', tags: [] });
    expect(created.headers.location).toBe(`/api/products/${created.body.id}`);
    expect((await request(a).post('/api/products').send(body)).status).toBe(409);
    expect((await request(a).get(`/api/products/${created.body.id}`)).body.name).toBe(
      'Test Lantern',
    );
    expect((await request(a).get('/api/products/sku/SKU-900001')).body.id).toBe(created.body.id);
    const updated = await request(a)
      .put(`/api/products/${created.body.id}`)
      .send({ price: 19.99, stock: 3 });
    expect(updated.body).toMatchObject({ price: 19.99, stock: 3, name: 'Test Lantern' });
    expect((await request(a).delete(`/api/products/${created.body.id}`)).status).toBe(204);
    expect((await request(a).get(`/api/products/${created.body.id}`)).status).toBe(404);
    expect((await request(a).delete(`/api/products/${created.body.id}`)).status).toBe(404);
    expect((await request(a).get('/api/products/sku/SKU-999998')).status).toBe(404);
  });
});

describe('sample data', () => {
  test('is deterministic and realistic', async () => {
    const { sampleProducts } = await import('@cicd-lab/service-kit');
    const a = sampleProducts(1000);
    expect(a).toHaveLength(1000);
    expect(sampleProducts(1000)).toEqual(a);
    expect(sampleProducts(10)).toEqual(a.slice(0, 10));
    expect(new Set(a.map((p) => p.sku)).size).toBe(1000);
    expect(new Set(a.map((p) => p.category)).size).toBeGreaterThanOrEqual(8);
    for (const p of a) {
      expect(p.sku).toMatch(/^SKU-\d{6}$/);
      expect(p.price).toBeGreaterThan(0);
      expect(Math.round(p.price * 100)).toBeCloseTo(p.price * 100, 6);
    }
  });
});
