// Product rules: listing, the two search strategies, CRUD. Knows nothing about HTTP.
import { ConflictError, NotFoundError } from '@cicd-lab/service-kit';
import type { QueryFilter, SortOrder } from 'mongoose';
import { ProductModel, type Product } from '../models/product.js';

export type SearchMode = 'text' | 'regex';

export interface ListQuery {
  page: number;
  limit: number;
  category?: string;
  q?: string;
}

export type ProductInput = Omit<Product, 'createdAt' | 'updatedAt'>;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type ProductView = ProductInput & { id: string; createdAt?: Date; updatedAt?: Date };

function view(doc: { toJSON(): unknown }): ProductView {
  return doc.toJSON() as ProductView;
}

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number })?.code === 11000;
}

export class ProductService {
  constructor(
    private readonly searchMode: SearchMode,
    private readonly model = ProductModel,
  ) {}

  /** The query a listing runs: the text index fast path, or the regex scan in `regex` mode. */
  query({ category, q }: Pick<ListQuery, 'category' | 'q'>) {
    const filter: QueryFilter<Product> = {};
    if (category) filter.category = category;
    let sort: Record<string, SortOrder | { $meta: 'textScore' }> = { sku: 1 };
    let projection: Record<string, unknown> | undefined;
    if (q && this.searchMode === 'text') {
      filter.$text = { $search: q };
      projection = { score: { $meta: 'textScore' } };
      sort = { score: { $meta: 'textScore' }, sku: 1 };
    } else if (q) {
      // The slow path: no index can answer an unanchored case-insensitive regex.
      const re = new RegExp(escapeRegex(q), 'i');
      filter.$or = [{ name: re }, { description: re }];
    }
    return { filter, sort, projection };
  }

  async list({ page, limit, category, q }: ListQuery) {
    const { filter, sort, projection } = this.query({ category, q });
    const [items, total] = await Promise.all([
      this.model
        .find(filter, projection)
        .sort(sort)
        .skip((page - 1) * limit)
        .limit(limit),
      this.model.countDocuments(filter),
    ]);
    return { items: items.map((d) => view(d)), page, limit, total };
  }

  async getById(id: string) {
    const doc = await this.model.findById(id);
    if (!doc) throw new NotFoundError(`product ${id}`);
    return view(doc);
  }

  async getBySku(sku: string) {
    const doc = await this.model.findOne({ sku });
    if (!doc) throw new NotFoundError(`product ${sku}`);
    return view(doc);
  }

  async create(input: ProductInput) {
    try {
      const doc = await this.model.create(input);
      return view(doc);
    } catch (err) {
      if (isDuplicateKey(err))
        throw new ConflictError(`body.sku: ${input.sku} already exists`, { field: 'body.sku' });
      throw err;
    }
  }

  async update(id: string, changes: Partial<ProductInput>) {
    try {
      const doc = await this.model.findByIdAndUpdate(
        id,
        { $set: changes },
        { new: true, runValidators: true },
      );
      if (!doc) throw new NotFoundError(`product ${id}`);
      return view(doc);
    } catch (err) {
      if (isDuplicateKey(err))
        throw new ConflictError(`body.sku: ${changes.sku} already exists`, { field: 'body.sku' });
      throw err;
    }
  }

  async remove(id: string): Promise<void> {
    const doc = await this.model.findByIdAndDelete(id);
    if (!doc) throw new NotFoundError(`product ${id}`);
  }
}
