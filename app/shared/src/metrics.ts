// RED metrics for every request, labelled by the route TEMPLATE (`/api/products/:id`), never
// the raw URL, so label cardinality stays bounded: requests that match no route share one label.
import type { Response } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const UNMATCHED_ROUTE = 'unmatched';

/** Buckets dense enough to resolve a p95 anywhere between 5 ms and 2 s. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5,
];

export interface HttpMetrics {
  registry: Registry;
  requests: Counter<'service' | 'method' | 'route' | 'status' | 'version'>;
  duration: Histogram<'service' | 'method' | 'route' | 'status' | 'version'>;
}

export function createMetrics({ defaults = true }: { defaults?: boolean } = {}): HttpMetrics {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry });
  const labelNames = ['service', 'method', 'route', 'status', 'version'] as const;
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by route template and status.',
    labelNames,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  // The request counter is the histogram's count, copied at scrape time: one label lookup per
  // request instead of two, and the two series can never disagree.
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests handled, by route template and status.',
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      for (const v of (await duration.get()).values) {
        if (v.metricName === 'http_request_duration_seconds_count') this.inc(v.labels, v.value);
      }
    },
  });
  return { registry, requests, duration };
}

/** Where route handlers record their template (see `route()` in routing.ts). */
export function routeTemplate(res: Response): string {
  return (res.locals.routeTemplate as string | undefined) ?? UNMATCHED_ROUTE;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Bounded method label: anything unusual is OTHER. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}
