// Test helpers shared by the app test suites: a log sink that keeps lines, a service context
// built from real config parsing, a real MongoDB when one can be had, child-process helpers.
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import {
  FaultInjector,
  Lifecycle,
  buildInfo,
  createLogger,
  createMetrics,
  loadConfig,
  type BaseConfig,
  type LogSink,
} from '@cicd-lab/service-kit';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export class MemorySink implements LogSink {
  lines: string[] = [];
  write(line: string): boolean {
    this.lines.push(line);
    return true;
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** A service context as runService would build it, with a kept log and a controllable readiness. */
export function testContext<C extends BaseConfig>(
  service: string,
  schema: z.ZodType<C>,
  env: Record<string, string>,
  dbConnected: () => boolean = () => false,
) {
  const config = loadConfig(service, schema, {
    MONGODB_URI: 'mongodb://127.0.0.1:1/unused',
    ...env,
  });
  const sink = new MemorySink();
  const logger = createLogger({ service, version: config.APP_VERSION, level: 'debug', sink });
  const lifecycle = new Lifecycle(dbConnected);
  return {
    ctx: {
      config,
      build: buildInfo(service, config),
      logger,
      metrics: createMetrics({ defaults: false }),
      readiness: lifecycle,
      faults: new FaultInjector(config),
    },
    sink,
    lifecycle,
  };
}

/** A MongoDB to test against: MONGODB_URI when set, else mongodb-memory-server on a system mongod. */
export async function startMongo(): Promise<{ uri: string; stop: () => Promise<void> }> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, stop: async () => undefined };
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const systemBinary = process.env.MONGOMS_SYSTEM_BINARY ?? which('mongod');
  const server = await MongoMemoryServer.create({ binary: systemBinary ? { systemBinary } : {} });
  return { uri: server.getUri(), stop: async () => void (await server.stop()) };
}

function which(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, bin);
    try {
      if (dir && statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node <script>` with a clean, explicit environment. */
export function spawnNode(script: string, env: Record<string, string>, cwd = repoRoot): Spawned {
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** The compiled entry of a service (the tests run what the image runs); built by `npm run build`. */
export function builtEntry(service: 'catalog' | 'orders', file = 'server.js'): string {
  const entry = path.join(repoRoot, 'app', service, 'dist', file);
  try {
    statSync(entry);
  } catch {
    throw new Error(
      `${entry} is missing: run \`npm run build\` (or \`npm run build -w app/${service}\`) first`,
    );
  }
  return entry;
}
