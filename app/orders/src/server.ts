// Entry point: `node dist/server.js`. Reads config, listens on PORT, connects to MongoDB.
import { runService } from '@cicd-lab/service-kit';
import { createOrdersApp, SERVICE } from './app.js';
import { ordersConfigSchema } from './config.js';

await runService({
  service: SERVICE,
  schema: ordersConfigSchema,
  createApp: (ctx) => createOrdersApp(ctx),
});
