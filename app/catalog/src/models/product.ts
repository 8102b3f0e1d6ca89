import { apiJson } from '@cicd-lab/service-kit';
import mongoose, { type InferSchemaType } from 'mongoose';

const productSchema = new mongoose.Schema(
  {
    sku: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    category: { type: String, required: true, index: true },
    price: { type: Number, required: true, min: 0 },
    stock: { type: Number, required: true, min: 0 },
    description: { type: String, default: '' },
    tags: { type: [String], default: [] },
  },
  {
    timestamps: true,
    toJSON: apiJson,
  },
);

// The search fast path: one text index over the fields people search.
productSchema.index(
  { name: 'text', description: 'text', tags: 'text' },
  { name: 'product_text', weights: { name: 10, tags: 5, description: 1 } },
);
productSchema.index({ category: 1, sku: 1 });

export type Product = InferSchemaType<typeof productSchema>;
export const ProductModel = mongoose.model('Product', productSchema, 'products');
