// Express plumbing shared by the services: request ids, the access log, route handlers that
// record their template (for metrics and logs) and pass through fault injection, the 404 and
// the single error middleware.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpError } from './errors.js';
import type { FaultInjector } from './faults.js';
import type { Logger } from './logger.js';
import { methodLabel, routeTemplate, type HttpMetrics } from './metrics.js';

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reuses a well-formed incoming X-Request-Id (so a trace spans services), else makes one. */
export function requestId() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.get('x-request-id');
    const id = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

/**
 * Metrics and the access log, observed once per request when the response closes (finished,
 * or abandoned by the client): one listener, one clock read, one label set.
 */
export function observeRequests(
  metrics: HttpMetrics,
  logger: Logger,
  service: string,
  version: string,
) {
  // One histogram child per (method, route, status), made once: no label object is built and
  // checked per request. The key space is bounded like the labels themselves.
  const children = new Map<string, ReturnType<HttpMetrics['duration']['labels']>>();
  const child = (method: string, route: string, status: number) => {
    const key = `${method} ${status} ${route}`;
    let c = children.get(key);
    if (!c) {
      c = metrics.duration.labels({ service, version, method, route, status: String(status) });
      children.set(key, c);
    }
    return c;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const aborted = !res.writableFinished;
      const route = routeTemplate(res);
      const status = aborted ? 499 : res.statusCode;
      child(methodLabel(req.method), route, status).observe(seconds); // also counts http_requests_total
      const fields = {
        requestId: res.locals.requestId as string | undefined,
        method: req.method,
        path: req.path,
        route,
        status,
        durationMs: Math.round(seconds * 1e5) / 100,
        bytes: Number(res.getHeader('content-length') ?? 0),
      };
      if (aborted) logger.warn('request aborted by client', fields);
      else if (status >= 500) logger.error('request', fields);
      else logger.info('request', fields);
    });
    next();
  };
}

/**
 * Wraps a route handler: records the route template, applies any configured fault, and hands
 * async errors to the error middleware.
 */
export function handle(fn: (req: Request, res: Response) => unknown): RequestHandler {
  return async (req, res, next) => {
    const routePath =
      typeof req.route?.path === 'string' && req.route.path !== '/' ? req.route.path : '';
    const template = `${req.baseUrl}${routePath}` || '/';
    res.locals.routeTemplate = template;
    try {
      const faults = req.app.locals.faults as FaultInjector | undefined;
      if (faults) await faults.beforeHandler(req.method, template);
      await fn(req, res);
    } catch (err) {
      next(err);
    }
  };
}

export function notFound() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
  };
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** The one error middleware: client-safe bodies; internal errors logged, never leaked. */
export function errorHandler(logger: Logger) {
  // Express recognises error middleware by its four parameters.
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const requestId = res.locals.requestId as string | undefined;
    let status = 500;
    let body: Record<string, unknown> = { code: 'internal', message: 'internal server error' };
    const parserError = err as BodyParserError;
    if (err instanceof HttpError) {
      status = err.status;
      body = { code: err.code, message: err.message, ...err.details };
    } else if (parserError?.type === 'entity.parse.failed') {
      status = 400;
      body = { code: 'invalid_json', message: 'body: is not valid JSON' };
    } else if (parserError?.type === 'entity.too.large') {
      status = 413;
      body = { code: 'payload_too_large', message: 'body: is too large' };
    } else if (
      typeof parserError?.status === 'number' &&
      parserError.status >= 400 &&
      parserError.status < 500
    ) {
      status = parserError.status;
      body = { code: 'bad_request', message: 'the request could not be read' };
    }
    if (status >= 500 && !(err instanceof HttpError)) {
      const e = err instanceof Error ? err : new Error(String(err));
      logger.error('unhandled error', {
        requestId,
        method: req.method,
        path: req.path,
        error: e.message,
        stack: e.stack,
      });
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status).json({ error: { ...body, requestId } });
  };
}
