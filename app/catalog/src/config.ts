import { z } from 'zod';
import { baseConfigShape } from '@cicd-lab/service-kit';

export const catalogConfigSchema = z.object({
  ...baseConfigShape,
  /**
   * `text` (default): search uses the text index. `regex`: an unanchored, case-insensitive
   * regex over name and description, which no index can serve: a collection scan per search.
   * The walkthrough ships `regex` as its "bad release".
   */
  CATALOG_SEARCH_MODE: z
    .enum(['text', 'regex'], { error: 'must be text or regex' })
    .default('text'),
});

export type CatalogConfig = z.output<typeof catalogConfigSchema>;
