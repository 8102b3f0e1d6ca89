// MongoDB connection handling shared by the services. Queries fail fast while disconnected
// (no buffering), so a database outage turns into quick 503s instead of hanging requests.
import mongoose from 'mongoose';
import type { Logger } from './logger.js';
import { ServiceUnavailableError } from './errors.js';

mongoose.set('bufferCommands', false);

/** How documents look in API responses: `id` instead of `_id`, no version key. */
export const apiJson = {
  versionKey: false,
  transform: (_doc: unknown, ret: Record<string, unknown>) => {
    ret.id = String(ret._id);
    delete ret._id;
    return ret;
  },
} as const;

export function mongoConnected(): boolean {
  return mongoose.connection.readyState === mongoose.ConnectionStates.connected;
}

/** Strips credentials before a URI is logged. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * Connects, retrying a bounded number of times (the process stays alive and live meanwhile,
 * just not ready). Resolves false when aborted by shutdown.
 */
export async function connectMongo(
  uri: string,
  {
    attempts,
    logger,
    signal,
    retryDelayMs = 2_000,
  }: { attempts: number; logger: Logger; signal?: AbortSignal; retryDelayMs?: number },
): Promise<boolean> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (signal?.aborted) return false;
    try {
      await mongoose.connect(uri, { serverSelectionTimeoutMS: 3_000, maxPoolSize: 20 });
      logger.info('mongodb connected', { uri: redactUri(uri), attempt });
      return true;
    } catch (err) {
      logger.warn('mongodb connection failed', {
        uri: redactUri(uri),
        attempt,
        attempts,
        error: err instanceof Error ? err.message : String(err),
      });
      if (attempt === attempts)
        throw new Error(`could not connect to MongoDB after ${attempts} attempts`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, retryDelayMs);
        signal?.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
  return false;
}

export async function disconnectMongo(): Promise<void> {
  await mongoose.disconnect();
}

const CONNECTION_ERRORS = new Set([
  'MongoNotConnectedError',
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/** Maps "the database is not reachable" errors to a 503; other errors pass through unchanged. */
export function asDatabaseUnavailable(err: unknown): unknown {
  const e = err as { name?: string; message?: string };
  if (
    CONNECTION_ERRORS.has(e?.name ?? '') ||
    (e?.name === 'MongooseError' &&
      /before initial connection|bufferCommands|not connected/i.test(e.message ?? ''))
  ) {
    return new ServiceUnavailableError(
      'database_unavailable',
      'the database is unavailable; try again later',
    );
  }
  return err;
}
