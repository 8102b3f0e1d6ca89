// Idempotent seed: `node dist/seed.js` (or `npm run seed`). Upserts ~1,000 deterministic
// products by SKU; a rerun matches them all and modifies none.
import { pathToFileURL } from 'node:url';
import { runSeed, sampleProducts } from '@cicd-lab/service-kit';
import { ProductModel } from './models/product.js';

export async function seedProducts(count = 1000) {
  await ProductModel.createIndexes();
  const now = new Date();
  const result = await ProductModel.bulkWrite(
    sampleProducts(count).map((p) => ({
      updateOne: {
        filter: { sku: p.sku },
        update: { $set: p, $setOnInsert: { createdAt: now, updatedAt: now } },
        upsert: true,
      },
    })),
    { ordered: false, timestamps: false },
  );
  return {
    products: count,
    inserted: result.upsertedCount,
    modified: result.modifiedCount,
    unchanged: result.matchedCount - result.modifiedCount,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runSeed('catalog', () => seedProducts(Number(process.env.SEED_PRODUCTS ?? 1000)));
}
