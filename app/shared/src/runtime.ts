// The process around a service's app: validated config, listen, connect to MongoDB in the
// background (live at once, ready when connected), fault start-up, and graceful shutdown on
// SIGTERM/SIGINT (readiness false → stop accepting → in-flight requests finish, bounded →
// server and mongoose closed → exit 0).
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { z } from 'zod';
import { ConfigError, loadConfig, type BaseConfig } from './config.js';
import { FaultInjector } from './faults.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type HttpMetrics } from './metrics.js';
import { connectMongo, disconnectMongo, mongoConnected } from './mongo.js';
import type { BuildInfo, Readiness } from './ops.js';

export interface ServiceContext<C extends BaseConfig> {
  config: C;
  build: BuildInfo;
  logger: Logger;
  metrics: HttpMetrics;
  readiness: Readiness;
  faults: FaultInjector;
}

export interface ServiceDefinition<C extends BaseConfig> {
  service: string;
  schema: z.ZodType<C>;
  createApp(ctx: ServiceContext<C>): Express;
}

/** Readiness of a running service: Mongo connected and not shutting down. */
export class Lifecycle implements Readiness {
  shuttingDown = false;
  constructor(private readonly dbConnected: () => boolean = mongoConnected) {}
  notReadyReason(): string | null {
    if (this.shuttingDown) return 'shutting down';
    if (!this.dbConnected()) return 'mongodb not connected';
    return null;
  }
}

export function buildInfo(service: string, config: BaseConfig): BuildInfo {
  return {
    service,
    version: config.APP_VERSION,
    gitSha: config.GIT_SHA,
    buildTime: config.BUILD_TIME,
  };
}

/** Closes the server: idle keep-alive sockets at once, busy ones when their response is done, all at the deadline. */
export function closeServer(server: Server, timeoutMs: number): Promise<'drained' | 'forced'> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (how: 'drained' | 'forced') => {
      if (settled) return;
      settled = true;
      clearInterval(sweeper);
      clearTimeout(deadline);
      resolve(how);
    };
    server.close(() => finish('drained'));
    server.closeIdleConnections();
    // A socket that finishes its last response after close() becomes idle; sweep it shortly after.
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      finish('forced');
    }, timeoutMs);
  });
}

export async function runService<C extends BaseConfig>(
  def: ServiceDefinition<C>,
  env = process.env,
): Promise<void> {
  let config: C;
  try {
    config = loadConfig(def.service, def.schema, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  const build = buildInfo(def.service, config);
  const logger = createLogger({
    service: def.service,
    version: config.APP_VERSION,
    level: config.LOG_LEVEL,
  });
  if (config.FAULT_CRASH_AT_START) {
    logger.error('crashing at start on purpose (FAULT_CRASH_AT_START=true)');
    process.exitCode = 1;
    return;
  }
  const lifecycle = new Lifecycle();
  const metrics = createMetrics();
  const faults = new FaultInjector(config);
  const app = def.createApp({ config, build, logger, metrics, readiness: lifecycle, faults });
  const server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch((err: Error) => {
    logger.error('cannot listen', { port: config.PORT, error: err.message });
    process.exit(1);
  });
  logger.info('listening', { port: config.PORT, gitSha: config.GIT_SHA });
  faults.start(logger);

  const connecting = new AbortController();
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    lifecycle.shuttingDown = true;
    const started = Date.now();
    logger.info('shutting down', { reason, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
    connecting.abort();
    faults.stop();
    const how = await closeServer(server, config.SHUTDOWN_TIMEOUT_MS);
    // A connected client closes in milliseconds; a connection attempt still in progress is
    // abandoned (exit ends it) rather than awaited, so stop stays well under 2 s.
    const closing = disconnectMongo().catch(() => undefined);
    if (mongoConnected()) await Promise.race([closing, new Promise((r) => setTimeout(r, 1_000))]);
    logger.info('stopped', { how, durationMs: Date.now() - started });
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('uncaughtException', (err) => {
    logger.error('uncaught exception', { error: err.message, stack: err.stack });
    void shutdown('uncaught exception', 1);
  });
  process.on('unhandledRejection', (err) => {
    logger.error('unhandled rejection', {
      error: err instanceof Error ? err.message : String(err),
    });
    void shutdown('unhandled rejection', 1);
  });

  connectMongo(config.MONGODB_URI, {
    attempts: config.MONGODB_CONNECT_ATTEMPTS,
    logger,
    signal: connecting.signal,
  }).catch((err: Error) => {
    logger.error('giving up on MongoDB', { error: err.message });
    void shutdown('mongodb unreachable', 1);
  });
}
