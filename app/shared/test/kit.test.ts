// service-kit pieces that carry rules of their own: config loading, fault injection, closing a
// server with requests in flight.
import { describe, expect, test } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  ConfigError,
  FaultInjector,
  baseConfigSchema,
  closeServer,
  createLogger,
  loadConfig,
  parseFaultRoutes,
  type FaultSettings,
} from '@cicd-lab/service-kit';
import { MemorySink } from './support.js';

const faultsOff: FaultSettings = {
  FAULT_LATENCY_MS: 0,
  FAULT_LATENCY_JITTER_MS: 0,
  FAULT_ROUTES: '',
  FAULT_ERROR_RATE: 0,
  FAULT_MEMORY_LEAK_MB_PER_MIN: 0,
  FAULT_MEMORY_LEAK_MAX_MB: 256,
  FAULT_CPU_BURN_PERCENT: 0,
};

describe('loadConfig', () => {
  test('defaults apply; empty values count as unset', () => {
    const c = loadConfig('svc', baseConfigSchema, {
      MONGODB_URI: 'mongodb://db/x',
      PORT: '',
      LOG_LEVEL: '',
    });
    expect(c.PORT).toBe(3000);
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.FAULT_ERROR_RATE).toBe(0);
    expect(c.FAULT_CRASH_AT_START).toBe(false);
  });

  test('every problem is reported at once, by variable name', () => {
    let error: unknown;
    try {
      loadConfig('svc', baseConfigSchema, {
        PORT: '70000',
        LOG_LEVEL: 'loud',
        FAULT_CRASH_AT_START: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT: must be at most 65535',
      expect.stringMatching(/^MONGODB_URI: is required/),
      'LOG_LEVEL: must be one of debug, info, warn, error, silent (got "loud")',
      'FAULT_CRASH_AT_START: must be true or false (got "maybe")',
    ]);
  });

  test('a malformed URI is not echoed back (it may hold a password)', () => {
    expect(() =>
      loadConfig('svc', z.object({ MONGODB_URI: baseConfigSchema.shape.MONGODB_URI }), {
        MONGODB_URI: 'http://u:s3cret@h',
      }),
    ).toThrow(/^(?![\s\S]*s3cret)[\s\S]*MONGODB_URI: must be a mongodb/);
  });
});

describe('fault injection', () => {
  test('route scoping: method + template, prefix, or everything but the probes', () => {
    expect(parseFaultRoutes(' GET /api/products/:id , /api/orders* ')).toEqual([
      { method: 'GET', template: '/api/products/:id', prefix: false },
      { method: undefined, template: '/api/orders', prefix: true },
    ]);
    const scoped = new FaultInjector({
      ...faultsOff,
      FAULT_ROUTES: 'GET /api/products/:id, /api/orders*',
    });
    expect(scoped.applies('GET', '/api/products/:id')).toBe(true);
    expect(scoped.applies('PUT', '/api/products/:id')).toBe(false);
    expect(scoped.applies('POST', '/api/orders')).toBe(true);
    expect(scoped.applies('GET', '/api/products')).toBe(false);
    const all = new FaultInjector(faultsOff);
    expect(all.applies('GET', '/api/products')).toBe(true);
    expect(all.applies('GET', '/healthz')).toBe(false);
    expect(all.applies('GET', '/metrics')).toBe(false);
  });

  test('error rate follows the random draw; latency is fixed + jitter', async () => {
    const draws = [0.5, 0.2, 0.5, 0.9];
    const f = new FaultInjector(
      { ...faultsOff, FAULT_ERROR_RATE: 0.3, FAULT_LATENCY_MS: 20, FAULT_LATENCY_JITTER_MS: 100 },
      () => draws.shift() ?? 0,
    );
    const started = Date.now();
    await expect(f.beforeHandler('GET', '/api/x')).rejects.toThrow('injected fault'); // delay 20+50, draw 0.2 < 0.3
    expect(Date.now() - started).toBeGreaterThanOrEqual(65);
    await expect(f.beforeHandler('GET', '/api/x')).resolves.toBeUndefined(); // draw 0.9
  });

  test('memory leak grows in steps and stops at its cap', async () => {
    const f = new FaultInjector({
      ...faultsOff,
      FAULT_MEMORY_LEAK_MB_PER_MIN: 120,
      FAULT_MEMORY_LEAK_MAX_MB: 3,
    });
    const sink = new MemorySink();
    f.start(createLogger({ service: 't', version: '0', sink }));
    try {
      await new Promise((r) => setTimeout(r, 2_300));
      expect(f.leakedBytes).toBeGreaterThanOrEqual(2 * 1024 * 1024);
      await new Promise((r) => setTimeout(r, 1_200));
      expect(f.leakedBytes).toBeLessThanOrEqual(3 * 1024 * 1024);
      expect(sink.records()[0]).toMatchObject({
        msg: 'fault injection active',
        faults: ['memory leak 120MB/min up to 3MB'],
      });
    } finally {
      f.stop();
    }
    expect(f.leakedBytes).toBe(0);
  });

  test('CPU burn really uses the CPU', async () => {
    const f = new FaultInjector({ ...faultsOff, FAULT_CPU_BURN_PERCENT: 50 });
    const before = process.cpuUsage();
    f.start(createLogger({ service: 't', version: '0', level: 'silent' }));
    await new Promise((r) => setTimeout(r, 1_000));
    f.stop();
    const used = process.cpuUsage(before);
    // 500 ms of busy loop in 1 s of wall time; a contended machine gets less, an idle process ~0.
    expect((used.user + used.system) / 1000).toBeGreaterThan(100);
  });
});

describe('closeServer', () => {
  test('lets an in-flight response finish, then closes; forces at the deadline', async () => {
    const server = http.createServer((req, res) => {
      const delay = req.url === '/slow' ? 300 : 5_000;
      setTimeout(() => res.end('done'), delay).unref();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const fetchText = (path: string) =>
      new Promise<string>((resolve, reject) =>
        http
          .get({ host: '127.0.0.1', port, path }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve(body));
          })
          .on('error', reject),
      );
    const slow = fetchText('/slow');
    await new Promise((r) => setTimeout(r, 50));
    expect(await Promise.all([closeServer(server, 2_000), slow])).toEqual(['drained', 'done']);

    const stuck = http.createServer(() => undefined);
    await new Promise<void>((r) => stuck.listen(0, '127.0.0.1', r));
    const stuckPort = (stuck.address() as AddressInfo).port;
    const hanging = new Promise((resolve) =>
      http.get({ host: '127.0.0.1', port: stuckPort, path: '/' }).on('error', resolve),
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    expect(await closeServer(stuck, 300)).toBe('forced');
    expect(Date.now() - started).toBeLessThan(1_000);
    await hanging;
  });
});
