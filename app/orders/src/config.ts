import { z } from 'zod';
import { baseConfigShape, env } from '@cicd-lab/service-kit';

export const ordersConfigSchema = z.object({
  ...baseConfigShape,
  /** Base URL of the catalog service, e.g. http://catalog:3000 (no trailing path). */
  CATALOG_URL: env.httpUrl(),
  /** Per-attempt timeout of a catalog call. */
  CATALOG_TIMEOUT_MS: env.int(50, 30_000, 2_000),
  /** Extra attempts for idempotent catalog calls that failed on the network, a timeout or a 5xx. */
  CATALOG_RETRIES: env.int(0, 5, 2),
  CATALOG_RETRY_DELAY_MS: env.int(0, 5_000, 100),
});

export type OrdersConfig = z.output<typeof ordersConfigSchema>;
