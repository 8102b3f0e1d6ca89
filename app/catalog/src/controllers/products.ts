// HTTP only: validate the request, call the service, shape the response.
import { intParam, validate } from '@cicd-lab/service-kit';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ProductService } from '../services/products.js';

const SKU = /^SKU-\d{6}$/;

export const listQuery = z.object({
  page: intParam(1, 10_000, 1),
  limit: intParam(1, 100, 20),
  category: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, { error: 'must be a lowercase category name' })
    .optional(),
  q: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(100, { error: 'must be at most 100 characters' })
    .optional(),
});

const idParams = z.object({
  id: z.string().regex(/^[a-f0-9]{24}$/i, { error: 'must be a 24-character hex id' }),
});
const skuParams = z.object({ sku: z.string().regex(SKU, { error: 'must look like SKU-000123' }) });

const productFields = {
  sku: z.string({ error: 'is required' }).regex(SKU, { error: 'must look like SKU-000123' }),
  name: z
    .string({ error: 'is required' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'must be at most 200 characters' }),
  category: z
    .string({ error: 'is required' })
    .regex(/^[a-z][a-z0-9-]{0,39}$/, { error: 'must be a lowercase category name' }),
  price: z
    .number({ error: 'must be a number' })
    .positive({ error: 'must be greater than 0' })
    .max(1_000_000, { error: 'must be at most 1000000' })
    .refine(
      (p) =>
        Number.isInteger(Math.round(p * 100)) && Math.abs(p * 100 - Math.round(p * 100)) < 1e-6,
      {
        error: 'must have at most two decimals',
      },
    ),
  stock: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be at least 0' })
    .max(1_000_000, { error: 'must be at most 1000000' }),
  description: z
    .string({ error: 'must be a string' })
    .max(2000, { error: 'must be at most 2000 characters' }),
  tags: z
    .array(z.string().min(1).max(40), { error: 'must be a list of strings' })
    .max(20, { error: 'must have at most 20 tags' }),
};

const createBody = z.strictObject(
  {
    ...productFields,
    description: productFields.description.default(''),
    tags: productFields.tags.default([]),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s): ${issue.keys.join(', ')}`
        : 'must be a JSON object',
  },
);
const updateBody = z
  .strictObject(
    {
      sku: productFields.sku.optional(),
      name: productFields.name.optional(),
      category: productFields.category.optional(),
      price: productFields.price.optional(),
      stock: productFields.stock.optional(),
      description: productFields.description.optional(),
      tags: productFields.tags.optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field(s): ${issue.keys.join(', ')}`
          : 'must be a JSON object',
    },
  )
  .refine((b) => Object.keys(b).length > 0, { error: 'must change at least one field' });

export function productController(products: ProductService) {
  return {
    list: async (req: Request, res: Response) => {
      res.json(await products.list(validate('query', listQuery, req.query)));
    },
    getById: async (req: Request, res: Response) => {
      const { id } = validate('params', idParams, req.params);
      res.json(await products.getById(id));
    },
    getBySku: async (req: Request, res: Response) => {
      const { sku } = validate('params', skuParams, req.params);
      res.json(await products.getBySku(sku));
    },
    create: async (req: Request, res: Response) => {
      const body = validate('body', createBody, req.body);
      const created = await products.create(body);
      res
        .status(201)
        .location(`/api/products/${String(created.id)}`)
        .json(created);
    },
    update: async (req: Request, res: Response) => {
      const { id } = validate('params', idParams, req.params);
      const body = validate('body', updateBody, req.body);
      res.json(await products.update(id, body));
    },
    remove: async (req: Request, res: Response) => {
      const { id } = validate('params', idParams, req.params);
      await products.remove(id);
      res.status(204).end();
    },
  };
}
