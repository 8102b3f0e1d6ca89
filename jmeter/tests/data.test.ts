// The shopper data of the plans against the app's own seed catalogue: every SKU the load test
// views and orders exists after `npm run seed`, with stock for the quantity ordered (orders do
// not decrement stock, so a long run cannot exhaust it), and the search terms find products.
import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sampleProducts } from '../../app/shared/src/sample-data.js';

const SEED_PRODUCTS = 1000; // app/catalog/src/seed.ts default (SEED_PRODUCTS)
const rows = readFileSync(path.resolve(import.meta.dirname, '../data/baseline.csv'), 'utf8')
  .trimEnd()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [term, sku, quantity, customer] = line.split(',');
    return { term: term!, sku: sku!, quantity: Number(quantity), customer: customer! };
  });

test('every SKU in the data file is in the seed catalogue with enough stock', () => {
  const bySku = new Map(sampleProducts(SEED_PRODUCTS).map((p) => [p.sku, p]));
  const problems = rows.filter(
    (r) => !bySku.has(r.sku) || bySku.get(r.sku)!.stock < r.quantity * 10,
  );
  expect(problems).toEqual([]);
});

test('every search term finds at least one seeded product', () => {
  const haystack = sampleProducts(SEED_PRODUCTS).map((p) =>
    `${p.name} ${p.description} ${p.tags.join(' ')}`.toLowerCase(),
  );
  const terms = [...new Set(rows.map((r) => r.term))];
  expect(
    terms.filter((t) => !haystack.some((h) => t.split(' ').every((word) => h.includes(word)))),
  ).toEqual([]);
});
