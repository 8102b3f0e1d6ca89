// Entry point: `node dist/server.js`. Reads config, listens on PORT, connects to MongoDB.
import { runService } from '@cicd-lab/service-kit';
import { createCatalogApp, SERVICE } from './app.js';
import { catalogConfigSchema } from './config.js';

await runService({
  service: SERVICE,
  schema: catalogConfigSchema,
  createApp: (ctx) => createCatalogApp(ctx),
});
