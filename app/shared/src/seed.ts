// The frame of a seed command (`node dist/seed.js`): validated config, connect, run, report
// counts as one JSON line, disconnect; exit 1 with a clear message on any failure.
import { z } from 'zod';
import { ConfigError, env, loadConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { connectMongo, disconnectMongo, redactUri } from './mongo.js';

const seedConfigSchema = z.object({
  MONGODB_URI: env.mongoUri(),
  MONGODB_CONNECT_ATTEMPTS: env.int(1, 100, 5),
});

export async function runSeed(
  service: string,
  task: (logger: Logger) => Promise<Record<string, number>>,
  environment = process.env,
): Promise<void> {
  const logger = createLogger({ service, version: environment.APP_VERSION ?? '0.0.0-dev' });
  try {
    const config = loadConfig(`${service} seed`, seedConfigSchema, environment);
    await connectMongo(config.MONGODB_URI, {
      attempts: config.MONGODB_CONNECT_ATTEMPTS,
      logger,
      retryDelayMs: 1_000,
    });
    const counts = await task(logger);
    logger.info('seed complete', { uri: redactUri(config.MONGODB_URI), ...counts });
  } catch (err) {
    process.stderr.write(
      `${err instanceof ConfigError ? err.message : `${service} seed failed: ${(err as Error).message}`}\n`,
    );
    process.exitCode = 1;
  } finally {
    await disconnectMongo().catch(() => undefined);
  }
}
