// Idempotent seed: `node dist/seed.js` (or `npm run seed`). A few orders with fixed ids, priced
// from the same deterministic sample products the catalog seeds; a rerun changes nothing.
import { pathToFileURL } from 'node:url';
import { runSeed, sampleProducts } from '@cicd-lab/service-kit';
import mongoose from 'mongoose';
import { OrderModel } from './models/order.js';

const CUSTOMERS = [
  'ada@example.com',
  'grace@example.com',
  'linus@example.com',
  'margaret@example.com',
  'ken@example.com',
];

export function sampleOrders() {
  const products = sampleProducts(50);
  return CUSTOMERS.map((customer, i) => {
    const picked = [products[i * 3], products[i * 3 + 7]].filter((p) => p !== undefined);
    const lines = picked.map((p, j) => {
      const quantity = ((i + j) % 3) + 1;
      return {
        sku: p.sku,
        name: p.name,
        unitPrice: p.price,
        quantity,
        lineTotal: Math.round(p.price * 100 * quantity) / 100,
      };
    });
    const total = lines.reduce((s, l) => s + Math.round(l.lineTotal * 100), 0) / 100;
    const at = new Date(Date.UTC(2025, 0, 10 + i, 9, 30));
    return {
      _id: new mongoose.Types.ObjectId(`5eed0000000000000000000${i + 1}`),
      customer,
      lines,
      total,
      currency: 'USD',
      status: 'placed',
      createdAt: at,
      updatedAt: at,
    };
  });
}

export async function seedOrders() {
  await OrderModel.createIndexes();
  const orders = sampleOrders();
  const result = await OrderModel.bulkWrite(
    orders.map(({ _id, ...order }) => ({
      updateOne: { filter: { _id }, update: { $setOnInsert: order }, upsert: true },
    })),
    { ordered: false, timestamps: false },
  );
  return {
    orders: orders.length,
    inserted: result.upsertedCount,
    modified: result.modifiedCount,
    unchanged: result.matchedCount - result.modifiedCount,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runSeed('orders', seedOrders);
}
