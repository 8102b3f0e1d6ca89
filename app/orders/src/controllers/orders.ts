import { intParam, validate } from '@cicd-lab/service-kit';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { OrderService } from '../services/orders.js';

const listQuery = z.object({ page: intParam(1, 10_000, 1), limit: intParam(1, 100, 20) });
const idParams = z.object({
  id: z.string().regex(/^[a-f0-9]{24}$/i, { error: 'must be a 24-character hex id' }),
});

const orderBody = z
  .strictObject(
    {
      customer: z
        .email({ error: 'must be an email address' })
        .max(254, { error: 'must be at most 254 characters' }),
      lines: z
        .array(
          z.strictObject({
            sku: z
              .string({ error: 'is required' })
              .regex(/^SKU-\d{6}$/, { error: 'must look like SKU-000123' }),
            quantity: z
              .number({ error: 'must be a number' })
              .int({ error: 'must be a whole number' })
              .min(1, { error: 'must be at least 1' })
              .max(100, { error: 'must be at most 100' }),
          }),
          { error: 'must be a list of { sku, quantity }' },
        )
        .min(1, { error: 'must contain at least one line' })
        .max(50, { error: 'must contain at most 50 lines' }),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field(s): ${issue.keys.join(', ')}`
          : 'must be a JSON object',
    },
  )
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.lines.forEach((line, i) => {
      if (seen.has(line.sku))
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'sku'],
          message: 'appears twice; use one line per SKU',
        });
      seen.add(line.sku);
    });
  });

export function orderController(orders: OrderService) {
  return {
    create: async (req: Request, res: Response) => {
      const body = validate('body', orderBody, req.body);
      const order = await orders.place(body, res.locals.requestId as string);
      res.status(201).location(`/api/orders/${order.id}`).json(order);
    },
    list: async (req: Request, res: Response) => {
      const { page, limit } = validate('query', listQuery, req.query);
      res.json(await orders.list(page, limit));
    },
    get: async (req: Request, res: Response) => {
      const { id } = validate('params', idParams, req.params);
      res.json(await orders.get(id));
    },
  };
}
