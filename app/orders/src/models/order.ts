import { apiJson } from '@cicd-lab/service-kit';
import mongoose, { type InferSchemaType } from 'mongoose';

const lineSchema = new mongoose.Schema(
  {
    sku: { type: String, required: true },
    name: { type: String, required: true },
    unitPrice: { type: Number, required: true, min: 0 },
    quantity: { type: Number, required: true, min: 1 },
    lineTotal: { type: Number, required: true, min: 0 },
  },
  { _id: false },
);

const orderSchema = new mongoose.Schema(
  {
    customer: { type: String, required: true, index: true },
    lines: { type: [lineSchema], required: true },
    total: { type: Number, required: true, min: 0 },
    currency: { type: String, required: true, default: 'USD' },
    status: { type: String, required: true, default: 'placed' },
  },
  {
    timestamps: true,
    toJSON: apiJson,
  },
);
orderSchema.index({ createdAt: -1 });

export type Order = InferSchemaType<typeof orderSchema>;
export const OrderModel = mongoose.model('Order', orderSchema, 'orders');
