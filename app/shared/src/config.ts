// Configuration is read from the environment once, at boot, and validated as a whole: a bad
// or missing value stops the service with one clear message per problem (no stack trace).
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Environment values that are set but empty count as unset, so defaults apply. */
function withoutEmpty(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}

/** Parses `env` with `schema` (keys are variable names) or throws a ConfigError listing every problem. */
export function loadConfig<S extends z.ZodType>(service: string, schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(withoutEmpty(env));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
    return value === undefined || issue.code === 'too_big' || /SECRET|PASSWORD|URI/.test(name)
      ? `${name}: ${issue.message}`
      : `${name}: ${issue.message} (got ${JSON.stringify(value)})`;
  });
  throw new ConfigError(service, problems);
}

/** Reusable field parsers for environment variables (all values arrive as strings). */
export const env = {
  int: (min: number, max: number, fallback: number) =>
    z.coerce
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .default(fallback),
  ratio: (fallback: number) =>
    z.coerce
      .number({ error: 'must be a number' })
      .min(0, { error: 'must be between 0 and 1' })
      .max(1, { error: 'must be between 0 and 1' })
      .default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  mongoUri: () =>
    z
      .string({ error: 'is required (for example mongodb://user:pass@host:27017/db)' })
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, { error: 'must be a mongodb:// or mongodb+srv:// URI' }),
  httpUrl: () =>
    z
      .string({ error: 'is required (for example http://catalog:3000)' })
      .url({ error: 'must be an http(s) URL' })
      .refine((u) => /^https?:\/\//.test(u), { error: 'must be an http(s) URL' })
      .transform((u) => u.replace(/\/+$/, '')),
};

/** The settings every service shares; each service extends this schema with its own. */
export const baseConfigShape = {
  PORT: env.int(1, 65535, 3000),
  HOST: z.string().default('0.0.0.0'),
  MONGODB_URI: env.mongoUri(),
  MONGODB_CONNECT_ATTEMPTS: env.int(1, 1000, 60),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error', 'silent'], {
      error: 'must be one of debug, info, warn, error, silent',
    })
    .default('info'),
  SHUTDOWN_TIMEOUT_MS: env.int(0, 60_000, 5_000),
  APP_VERSION: z.string().default('0.0.0-dev'),
  GIT_SHA: z.string().default('unknown'),
  BUILD_TIME: z.string().default('unknown'),
  FAULT_LATENCY_MS: env.int(0, 60_000, 0),
  FAULT_LATENCY_JITTER_MS: env.int(0, 60_000, 0),
  FAULT_ROUTES: z.string().default(''),
  FAULT_ERROR_RATE: env.ratio(0),
  FAULT_CRASH_AT_START: env.bool(false),
  FAULT_MEMORY_LEAK_MB_PER_MIN: env.int(0, 1024, 0),
  FAULT_MEMORY_LEAK_MAX_MB: env.int(1, 8192, 256),
  FAULT_CPU_BURN_PERCENT: env.int(0, 95, 0),
};

export const baseConfigSchema = z.object(baseConfigShape);
export type BaseConfig = z.output<typeof baseConfigSchema>;
