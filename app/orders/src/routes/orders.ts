import { handle } from '@cicd-lab/service-kit';
import { Router } from 'express';
import { orderController } from '../controllers/orders.js';
import type { OrderService } from '../services/orders.js';

export function orderRoutes(orders: OrderService): Router {
  const c = orderController(orders);
  const router = Router();
  router.post('/', handle(c.create));
  router.get('/', handle(c.list));
  router.get('/:id', handle(c.get));
  return router;
}
