// Order rules: every line's product must exist in the catalog with enough stock; prices come
// from the catalog (never from the client); totals are computed in cents.
import { HttpError, NotFoundError } from '@cicd-lab/service-kit';
import type { CatalogClient, CatalogProduct } from '../clients/catalog.js';
import { OrderModel } from '../models/order.js';

export interface OrderRequest {
  customer: string;
  lines: { sku: string; quantity: number }[];
}

export type OrderView = {
  id: string;
  customer: string;
  lines: { sku: string; name: string; unitPrice: number; quantity: number; lineTotal: number }[];
  total: number;
  currency: string;
  status: string;
};

const cents = (amount: number) => Math.round(amount * 100);

export class OrderService {
  constructor(
    private readonly catalog: CatalogClient,
    private readonly model = OrderModel,
  ) {}

  async place(order: OrderRequest, requestId?: string): Promise<OrderView> {
    const products = await Promise.all(
      order.lines.map((l) => this.catalog.productBySku(l.sku, requestId)),
    );
    const lines = order.lines.map((line, i) => {
      const product = products[i] as CatalogProduct | null;
      if (!product) {
        throw new HttpError(
          422,
          'unknown_product',
          `body.lines[${i}].sku: no product ${line.sku} in the catalog`,
          {
            field: `body.lines[${i}].sku`,
          },
        );
      }
      if (product.stock < line.quantity) {
        throw new HttpError(
          409,
          'insufficient_stock',
          `body.lines[${i}].quantity: only ${product.stock} of ${line.sku} in stock`,
          {
            field: `body.lines[${i}].quantity`,
          },
        );
      }
      const unit = cents(product.price);
      return {
        sku: product.sku,
        name: product.name,
        unitPrice: unit / 100,
        quantity: line.quantity,
        lineTotal: (unit * line.quantity) / 100,
      };
    });
    const total = lines.reduce((sum, l) => sum + cents(l.lineTotal), 0) / 100;
    const doc = await this.model.create({ customer: order.customer, lines, total });
    return doc.toJSON() as unknown as OrderView;
  }

  async list(page: number, limit: number) {
    const [items, total] = await Promise.all([
      this.model
        .find()
        .sort({ createdAt: -1, _id: -1 })
        .skip((page - 1) * limit)
        .limit(limit),
      this.model.countDocuments(),
    ]);
    return { items: items.map((d) => d.toJSON() as unknown as OrderView), page, limit, total };
  }

  async get(id: string): Promise<OrderView> {
    const doc = await this.model.findById(id);
    if (!doc) throw new NotFoundError(`order ${id}`);
    return doc.toJSON() as unknown as OrderView;
  }
}
