// Builds the catalog's Express app. Everything it needs is passed in, so tests build the real
// app with their own logger sink, metrics registry and readiness.
import { createServiceApp, type ServiceContext } from '@cicd-lab/service-kit';
import { Router, type Express } from 'express';
import type { CatalogConfig } from './config.js';
import { productRoutes } from './routes/products.js';
import { ProductService } from './services/products.js';

export const SERVICE = 'catalog';

export interface CatalogAppOptions extends Omit<ServiceContext<CatalogConfig>, 'faults'> {
  faults?: ServiceContext<CatalogConfig>['faults'];
  products?: ProductService;
  instrument?: boolean;
}

export function createCatalogApp(opts: CatalogAppOptions): Express {
  const products = opts.products ?? new ProductService(opts.config.CATALOG_SEARCH_MODE);
  const api = Router();
  api.use('/api/products', productRoutes(products));
  return createServiceApp({ ...opts, api });
}
