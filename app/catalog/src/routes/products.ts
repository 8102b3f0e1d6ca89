import { handle } from '@cicd-lab/service-kit';
import { Router } from 'express';
import { productController } from '../controllers/products.js';
import type { ProductService } from '../services/products.js';

export function productRoutes(products: ProductService): Router {
  const c = productController(products);
  const router = Router();
  router.get('/', handle(c.list));
  router.post('/', handle(c.create));
  router.get('/sku/:sku', handle(c.getBySku));
  router.get('/:id', handle(c.getById));
  router.put('/:id', handle(c.update));
  router.delete('/:id', handle(c.remove));
  return router;
}
