// The nginx role's configuration doing its job: rendered by real Ansible (the role's configure
// and switch_slot tasks, connection local), served by a private nginx on loopback ports, in
// front of small HTTP backends that stand in for the service replicas of both slots. Checks
// routing and prefix stripping, balancing, headers, stub_status, the JSON access log, the
// blue/green switch with a reload, that a converge never moves traffic back, and passive
// health (a dead replica is skipped).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from '../../test/support/net.js';
import { describeWithTools } from '../../test/support/tools.js';
import { run, tail } from './support/ansible.js';

interface Answer {
  service: string;
  slot: string;
  replica: number;
  url: string;
}

const SLOTS: Record<string, number> = { blue: 0, green: 10 };
const REPLICAS = 2;

/** True when 127.0.0.1:port can be bound right now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A host_port_base whose replica ports (both slots) are all free; bounded attempts. */
async function freeBase(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 400) * 100;
    const ports = Object.values(SLOTS).flatMap((o) => Array.from({ length: REPLICAS }, (_, i) => base + o + i + 1));
    if (ports.some((p) => taken.has(p))) continue;
    const free = await Promise.all(ports.map(portFree));
    if (free.every(Boolean)) {
      ports.forEach((p) => taken.add(p));
      return base;
    }
  }
  throw new Error('no free port range for the stand-in replicas');
}

describeWithTools(['ansible-playbook', 'nginx'], 'nginx role: routing, balancing and blue/green switch on a private nginx', () => {
  let dir: string;
  let conf: string;
  let nginx: ChildProcess | undefined;
  let port: number;
  let statusPort: number;
  const backends = new Map<string, http.Server>();
  let services: { name: string; port: number; host_port_base: number; path_prefix: string; database: string }[];

  const vars = () => ({
    nginx_conf_dir: conf,
    nginx_check_script: path.join(dir, 'lab-nginx-check'),
    nginx_log_dir: dir,
    nginx_pid_file: path.join(dir, 'nginx.pid'),
    nginx_temp_dir: path.join(dir, 'tmp'),
    nginx_modules_include: '',
    nginx_manage_service: false,
    nginx_user: os.userInfo().username,
    nginx_conf_owner: os.userInfo().username,
    nginx_conf_group: spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim(),
    nginx_listen_port: port,
    nginx_status_port: statusPort,
    lab_ip: '127.0.0.1',
    lab_app_bind_address: '127.0.0.1',
    lab_app_services: services,
    lab_replicas: { catalog: REPLICAS, orders: REPLICAS },
    lab_nodes: [],
  });

  const render = (extra: Record<string, unknown> = {}) => {
    const file = path.join(dir, `vars-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify({ ...vars(), ...extra }));
    const r = run('ansible-playbook', ['-i', 'localhost,', 'tests/playbooks/render-nginx.yml', '-e', `@${file}`], {
      timeoutMs: 240_000,
    });
    if (r.status !== 0) throw new Error(`ansible-playbook failed:\n${tail(r, 60)}`);
    return r;
  };

  const nginxArgs = () => ['-p', `${conf}/`, '-c', path.join(conf, 'nginx.conf')];

  const get = async (p: string, target = port) => {
    const res = await fetch(`http://127.0.0.1:${target}${p}`, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const answer = async (p: string): Promise<Answer> => {
    const r = await get(p);
    if (r.status !== 200) throw new Error(`${p}: HTTP ${r.status} ${r.text}`);
    return JSON.parse(r.text) as Answer;
  };

  const startBackend = (service: string, slot: string, replica: number, listenPort: number) =>
    new Promise<void>((resolve, reject) => {
      const server = http.createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-powered-by', 'stand-in');
        res.end(JSON.stringify({ service, slot, replica, url: req.url }));
      });
      server.once('error', reject);
      server.listen(listenPort, '127.0.0.1', () => resolve());
      backends.set(`${service}-${slot}-${replica}`, server);
    });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lab-nginx-proxy-'));
    conf = path.join(dir, 'conf');
    mkdirSync(conf);
    mkdirSync(path.join(dir, 'tmp'));
    copyFileSync('/etc/nginx/mime.types', path.join(conf, 'mime.types'));
    port = await freePort();
    statusPort = await freePort();
    const taken = new Set<number>([port, statusPort]);
    services = [
      { name: 'catalog', port: 3000, host_port_base: await freeBase(taken), path_prefix: '/api/products', database: 'catalog' },
      { name: 'orders', port: 3000, host_port_base: await freeBase(taken), path_prefix: '/api/orders', database: 'orders' },
    ];
    for (const svc of services)
      for (const [slot, offset] of Object.entries(SLOTS))
        for (let n = 1; n <= REPLICAS; n++) await startBackend(svc.name, slot, n, svc.host_port_base + offset + n);
    render();
    nginx = spawn('nginx', [...nginxArgs(), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    nginx.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(`nginx on ${port} (${stderr})`, async () => (await get('/nginx-health')).status === 200, {
      timeoutMs: 20_000,
    });
  }, 300_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      if (nginx.exitCode === null) nginx.kill('SIGKILL');
    }
    await Promise.all([...backends.values()].map((s) => new Promise((r) => s.close(r))));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('API paths go to their service unchanged; /<service>/ paths lose the prefix', async () => {
    expect(await answer('/api/products?page=2&limit=5')).toMatchObject({ service: 'catalog', slot: 'blue', url: '/api/products?page=2&limit=5' });
    expect(await answer('/api/products/sku/SKU-000123')).toMatchObject({ service: 'catalog', url: '/api/products/sku/SKU-000123' });
    expect(await answer('/api/orders')).toMatchObject({ service: 'orders', slot: 'blue', url: '/api/orders' });
    expect(await answer('/api/orders/42')).toMatchObject({ service: 'orders', url: '/api/orders/42' });
    expect(await answer('/catalog/healthz')).toMatchObject({ service: 'catalog', url: '/healthz' });
    expect(await answer('/orders/version')).toMatchObject({ service: 'orders', url: '/version' });
    expect(await answer('/catalog/metrics?x=1')).toMatchObject({ service: 'catalog', url: '/metrics?x=1' });
  });

  test('requests are balanced over the replicas of the active slot', async () => {
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) seen.add((await answer('/api/products')).replica);
    expect([...seen].sort()).toEqual([1, 2]);
  });

  test('security headers, request id, no version leak, JSON 404', async () => {
    const r = await get('/api/products');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(r.headers.get('x-powered-by')).toBeNull();
    expect(r.headers.get('server')).toBe('nginx');
    const missing = await get('/nope');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toEqual({ error: 'not found' });
  });

  test('stub_status answers on the private port only', async () => {
    const s = await get('/stub_status', statusPort);
    expect(s.status).toBe(200);
    expect(s.text).toMatch(/Active connections: \d+/);
    expect((await get('/stub_status')).status).toBe(404);
  });

  test('the access log is one JSON object per request with upstream timings', async () => {
    await answer('/api/orders?page=1');
    await new Promise((r) => setTimeout(r, 200));
    const lines = readFileSync(path.join(dir, 'access.log'), 'utf8').trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>;
    expect(last).toMatchObject({ method: 'GET', uri: '/api/orders?page=1', status: 200, upstream_status: '200' });
    expect(String(last.upstream_addr)).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(Number(last.upstream_response_time)).toBeGreaterThanOrEqual(0);
    expect(typeof last.request_time).toBe('number');
  });

  test('switching to green: include files rewritten by Ansible, reload, traffic moves', async () => {
    render({ nginx_slot: 'green' });
    expect(readFileSync(path.join(conf, 'lab/active-slot/catalog.conf'), 'utf8')).toMatch(/upstream_catalog_green;/);
    const reload = spawnSync('timeout', ['30', 'nginx', ...nginxArgs(), '-s', 'reload'], { encoding: 'utf8' });
    expect(reload.status).toBe(0);
    await waitFor('traffic on green', async () => (await answer('/api/products')).slot === 'green', { timeoutMs: 10_000 });
    for (let i = 0; i < 10; i++) {
      expect((await answer('/api/products')).slot).toBe('green');
      expect((await answer('/orders/healthz')).slot).toBe('green');
    }
  }, 260_000);

  test('a converge afterwards keeps the deployed slot (it never moves traffic)', async () => {
    const r = render();
    expect(r.stdout).toMatch(/changed=0/);
    expect(readFileSync(path.join(conf, 'lab/active-slot/orders.conf'), 'utf8')).toMatch(/upstream_orders_green;/);
    expect((await answer('/api/orders')).slot).toBe('green');
  }, 260_000);

  test('a dead replica is skipped (passive health): every request still succeeds', async () => {
    const dead = backends.get('catalog-green-1');
    await new Promise((r) => dead?.close(r));
    const replicas = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const a = await answer('/api/products');
      replicas.add(a.replica);
    }
    expect([...replicas]).toEqual([2]);
  });
});
