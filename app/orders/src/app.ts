// Builds the orders service's Express app; dependencies are passed in (see catalog's app.ts).
import { createServiceApp, type ServiceContext } from '@cicd-lab/service-kit';
import { Router, type Express } from 'express';
import { CatalogClient } from './clients/catalog.js';
import type { OrdersConfig } from './config.js';
import { orderRoutes } from './routes/orders.js';
import { OrderService } from './services/orders.js';

export const SERVICE = 'orders';

export interface OrdersAppOptions extends Omit<ServiceContext<OrdersConfig>, 'faults'> {
  faults?: ServiceContext<OrdersConfig>['faults'];
  orders?: OrderService;
  instrument?: boolean;
}

export function createOrdersApp(opts: OrdersAppOptions): Express {
  const { config } = opts;
  const orders =
    opts.orders ??
    new OrderService(
      new CatalogClient({
        baseUrl: config.CATALOG_URL,
        timeoutMs: config.CATALOG_TIMEOUT_MS,
        retries: config.CATALOG_RETRIES,
        retryDelayMs: config.CATALOG_RETRY_DELAY_MS,
      }),
    );
  const api = Router();
  api.use('/api/orders', orderRoutes(orders));
  return createServiceApp({ ...opts, api });
}
