// The operational endpoints every service exposes: liveness, readiness, version, metrics.
import { Router } from 'express';
import { handle } from './http.js';
import type { HttpMetrics } from './metrics.js';

export interface BuildInfo {
  service: string;
  version: string;
  gitSha: string;
  buildTime: string;
}

export interface Readiness {
  /** Null when ready, else why not (shown in the /readyz body). */
  notReadyReason(): string | null;
}

export function opsRouter(build: BuildInfo, readiness: Readiness, metrics: HttpMetrics): Router {
  const router = Router();
  // Liveness depends on nothing external: a database outage must not get the process killed.
  router.get(
    '/healthz',
    handle((_req, res) => {
      res.json({ status: 'ok' });
    }),
  );
  router.get(
    '/readyz',
    handle((_req, res) => {
      const reason = readiness.notReadyReason();
      if (reason) res.status(503).json({ status: 'not ready', reason });
      else res.json({ status: 'ready' });
    }),
  );
  router.get(
    '/version',
    handle((_req, res) => {
      res.json(build);
    }),
  );
  router.get(
    '/metrics',
    handle(async (_req, res) => {
      const body = await metrics.registry.metrics();
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.send(body);
    }),
  );
  return router;
}
