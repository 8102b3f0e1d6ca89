// Builds a service's Express app around its API routes, in a fixed order: request id →
// metrics and access log → operational endpoints → JSON body → API → 404 → error middleware.
import express, {
  type Express,
  type NextFunction,
  type Request,
  type Response,
  type Router,
} from 'express';
import type { FaultInjector } from './faults.js';
import { errorHandler, notFound, observeRequests, requestId } from './http.js';
import type { Logger } from './logger.js';
import type { HttpMetrics } from './metrics.js';
import { asDatabaseUnavailable } from './mongo.js';
import { opsRouter, type BuildInfo, type Readiness } from './ops.js';

export interface ServiceAppOptions {
  build: BuildInfo;
  logger: Logger;
  metrics: HttpMetrics;
  readiness: Readiness;
  api: Router;
  faults?: FaultInjector;
  /** The benchmark turns this off to measure what metrics + logging cost. Default true. */
  instrument?: boolean;
}

export function createServiceApp(opts: ServiceAppOptions): Express {
  const { build, logger, metrics } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.locals.faults = opts.faults;
  app.use(requestId());
  if (opts.instrument !== false) {
    app.use(observeRequests(metrics, logger, build.service, build.version));
  }
  app.use(opsRouter(build, opts.readiness, metrics));
  app.use(express.json({ limit: '100kb' }));
  app.use(opts.api);
  app.use(notFound());
  app.use((err: unknown, _req: Request, _res: Response, next: NextFunction) =>
    next(asDatabaseUnavailable(err)),
  );
  app.use(errorHandler(logger));
  return app;
}
