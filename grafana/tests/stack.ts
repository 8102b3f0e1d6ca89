// A real monitoring stack on loopback for the dashboard tests: Prometheus (1 s scrapes, temp
// TSDB, the repository's rule files) scraping a real prometheus-node-exporter, a real
// Pushgateway holding the pipeline's lab_* metrics, a real Nginx + prometheus-nginx-exporter,
// an app-like target exposing the services' HTTP metrics, and a stand-in for cAdvisor (which
// cannot run here) exposing cAdvisor's metric names. Every process is killed by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '../../test/support/net.js';
import { which } from '../../test/support/tools.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Values the tests substitute for the dashboards' template variables. */
export const VARIABLES: Record<string, string> = {
  env: 'staging',
  service: 'catalog',
  slot: 'blue',
  host: 'staging',
  container: 'catalog-blue-1',
  __rate_interval: '1m',
  __interval: '15s',
  __range: '5m',
};

export interface Stack {
  promUrl: string;
  stop(): Promise<void>;
}

const SERVICES = ['catalog', 'orders'] as const;
const ROUTES: Record<string, string[]> = {
  catalog: ['/api/products', '/api/products/:id'],
  orders: ['/api/orders', '/api/orders/:id'],
};
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The services' metrics in the exposition format, growing on every scrape like a service
 * under steady load: requests with 2xx, 4xx and 5xx statuses and a latency histogram.
 */
/** A counter whose rate swings between 0 and twice `perScrape` over about a minute. */
function wavy(perScrape: number, scrape: number, phase = 0): number {
  return Math.round(perScrape * (scrape + 10 * (Math.cos(phase) - Math.cos(scrape / 10 + phase))));
}

function appMetrics(service: string, version: string, scrape: number): string {
  const lines: string[] = [
    '# HELP http_requests_total Total HTTP requests.',
    '# TYPE http_requests_total counter',
  ];
  const statuses = { '200': 20, '404': 2, '500': 1 } as const;
  for (const route of ROUTES[service]!) {
    for (const [status, perScrape] of Object.entries(statuses)) {
      lines.push(
        `http_requests_total{service="${service}",method="GET",route="${route}",status="${status}",version="${version}"} ${wavy(perScrape, scrape, route.length + Number(status))}`,
      );
    }
  }
  lines.push(
    '# HELP http_request_duration_seconds HTTP request duration.',
    '# TYPE http_request_duration_seconds histogram',
  );
  for (const route of ROUTES[service]!) {
    const count = wavy(23, scrape, route.length);
    const base = `service="${service}",method="GET",route="${route}",status="200",version="${version}"`;
    // Most requests under 50 ms, a tail up to 1 s.
    const share = [0.1, 0.3, 0.6, 0.85, 0.93, 0.97, 0.99, 1, 1, 1];
    BUCKETS.forEach((le, i) =>
      lines.push(
        `http_request_duration_seconds_bucket{${base},le="${le}"} ${Math.round(count * share[i]!)}`,
      ),
    );
    lines.push(`http_request_duration_seconds_bucket{${base},le="+Inf"} ${count}`);
    lines.push(`http_request_duration_seconds_sum{${base}} ${(count * 0.042).toFixed(3)}`);
    lines.push(`http_request_duration_seconds_count{${base}} ${count}`);
  }
  lines.push(
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${60_000_000 + (scrape % 10) * 100_000}`,
    '# TYPE process_start_time_seconds gauge',
    `process_start_time_seconds ${Math.floor(Date.now() / 1000) - 900}`,
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${(scrape * 0.05).toFixed(2)}`,
    '# TYPE nodejs_eventloop_lag_p99_seconds gauge',
    'nodejs_eventloop_lag_p99_seconds 0.012',
  );
  return `${lines.join('\n')}\n`;
}

/** cAdvisor's metric names and labels for the lab's containers (stand-in: cAdvisor cannot run here). */
function cadvisorMetrics(scrape: number, startedAt: number): string {
  const now = Date.now() / 1000;
  const containers = [
    'catalog-blue-1',
    'catalog-blue-2',
    'orders-blue-1',
    'orders-blue-2',
    'mongodb',
    'nginx',
  ];
  const lines = [
    '# TYPE container_last_seen gauge',
    '# TYPE container_start_time_seconds gauge',
    '# TYPE container_cpu_usage_seconds_total counter',
    '# TYPE container_memory_working_set_bytes gauge',
    '# TYPE container_network_receive_bytes_total counter',
    '# TYPE container_network_transmit_bytes_total counter',
  ];
  containers.forEach((name, i) => {
    const l = `id="/docker/${(i + 1).toString(16).padStart(12, '0')}",image="lab/${name.split('-')[0]}:1.0.0",name="${name}"`;
    // catalog-blue-2 restarts every 5 scrapes: the restart panels must show it.
    const start = name === 'catalog-blue-2' ? startedAt + Math.floor(scrape / 5) * 5 : startedAt;
    lines.push(
      `container_last_seen{${l}} ${now.toFixed(3)}`,
      `container_start_time_seconds{${l}} ${start}`,
      `container_cpu_usage_seconds_total{${l},cpu="total"} ${(scrape * 0.02 * (i + 1)).toFixed(3)}`,
      `container_memory_working_set_bytes{${l}} ${50_000_000 + i * 1_000_000}`,
      `container_network_receive_bytes_total{${l},interface="eth0"} ${scrape * 1000 * (i + 1)}`,
      `container_network_transmit_bytes_total{${l},interface="eth0"} ${scrape * 800 * (i + 1)}`,
    );
  });
  return `${lines.join('\n')}\n`;
}

function metricsServer(
  body: (scrape: number) => string,
): Promise<{ port: number; server: http.Server }> {
  let scrape = 0;
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    scrape += 1;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body(scrape));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ port: typeof a === 'object' && a ? a.port : 0, server });
    }),
  );
}

async function httpText(
  url: string,
  init?: { method?: string; body?: string },
): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: init?.method ?? 'GET',
    body: init?.body,
    signal: AbortSignal.timeout(5_000),
  });
  return { status: res.status, text: await res.text() };
}

/**
 * What the pipeline pushes, following the Pushgateway contract in prometheus/rules/pipeline.yml
 * and README (Monitoring & Alerts): gate verdicts and figures, deploys, rollbacks.
 */
export function pipelinePushes(now: number): { group: string; body: string }[] {
  const gauge = (name: string, labels: string, value: number | string) =>
    `# TYPE ${name} gauge\n${name}{${labels}} ${value}\n`;
  return [
    {
      group: 'job/lab_deploy/env/staging/service/catalog',
      body: gauge('lab_deploy_timestamp_seconds', 'release="1.4.0",slot="blue"', now - 600),
    },
    {
      group: 'job/lab_loadtest_gate/env/staging',
      body: [
        gauge('lab_loadtest_gate_passed', 'release="1.4.0"', 1),
        gauge('lab_loadtest_gate_timestamp_seconds', 'release="1.4.0"', now - 300),
        gauge('lab_loadtest_p95_seconds', 'release="1.4.0"', 0.182),
        gauge('lab_loadtest_error_ratio', 'release="1.4.0"', 0.002),
        gauge('lab_loadtest_throughput_rps', 'release="1.4.0"', 84.5),
        gauge('lab_loadtest_samples', 'release="1.4.0"', 5070),
      ].join(''),
    },
    {
      group: 'job/lab_rollback/env/staging/service/catalog',
      body: gauge(
        'lab_rollback_timestamp_seconds',
        'from_version="1.5.0",to_version="1.4.0",reason="smoke_failed"',
        now - 120,
      ),
    },
  ];
}

function binary(...names: string[]): string {
  for (const n of names) {
    const p = which(n);
    if (p) return p;
  }
  throw new Error(`none of ${names.join(', ')} is on PATH: run \`make tools\``);
}

export async function startStack(): Promise<Stack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-grafana-'));
  const procs: ChildProcess[] = [];
  const servers: http.Server[] = [];
  const logs: Record<string, string> = {};
  const startProc = (name: string, bin: string, args: string[]) => {
    // `timeout` bounds every process even if the test runner dies before afterAll.
    const child = spawn('timeout', ['600', bin, ...args], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    logs[name] = '';
    const keep = (b: Buffer) => {
      logs[name] = (logs[name]! + b.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    procs.push(child);
    return child;
  };
  const stop = async () => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await new Promise((r) => setTimeout(r, 200));
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const startedAt = Math.floor(Date.now() / 1000) - 3600;
    const apps = await Promise.all(
      SERVICES.flatMap((service) =>
        (['blue', 'green'] as const).map(async (slot) => ({
          service,
          slot,
          ...(await metricsServer((n) =>
            appMetrics(service, slot === 'blue' ? '1.4.0' : '1.5.0', n),
          )),
        })),
      ),
    );
    const cadvisor = await metricsServer((n) => cadvisorMetrics(n, startedAt));
    servers.push(cadvisor.server, ...apps.map((a) => a.server));

    const [nodePort, pushPort, nginxPort, nginxExpPort, promPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    startProc('node_exporter', binary('prometheus-node-exporter', 'node_exporter'), [
      `--web.listen-address=127.0.0.1:${nodePort}`,
    ]);
    startProc('pushgateway', binary('prometheus-pushgateway', 'pushgateway'), [
      `--web.listen-address=127.0.0.1:${pushPort}`,
      // Debian's build persists to /var/lib/prometheus by default: keep runs apart.
      `--persistence.file=${path.join(dir, 'pushgateway.data')}`,
    ]);

    mkdirSync(path.join(dir, 'nginx/logs'), { recursive: true });
    writeFileSync(
      path.join(dir, 'nginx/nginx.conf'),
      [
        'worker_processes 1;',
        `pid ${dir}/nginx/nginx.pid;`,
        `error_log ${dir}/nginx/logs/error.log;`,
        'events { worker_connections 64; }',
        'http {',
        `  access_log off; client_body_temp_path ${dir}/nginx/body; proxy_temp_path ${dir}/nginx/proxy;`,
        `  fastcgi_temp_path ${dir}/nginx/fcgi; uwsgi_temp_path ${dir}/nginx/uwsgi; scgi_temp_path ${dir}/nginx/scgi;`,
        `  server { listen 127.0.0.1:${nginxPort}; location = /stub_status { stub_status; } location / { return 200 "ok"; } }`,
        '}',
        '',
      ].join('\n'),
    );
    startProc('nginx', binary('nginx'), [
      '-p',
      path.join(dir, 'nginx'),
      '-c',
      path.join(dir, 'nginx/nginx.conf'),
      '-g',
      'daemon off;',
    ]);
    await waitFor(
      'nginx',
      async () => (await httpText(`http://127.0.0.1:${nginxPort}/stub_status`)).status === 200,
    );
    startProc('nginx_exporter', binary('prometheus-nginx-exporter'), [
      `-nginx.scrape-uri=http://127.0.0.1:${nginxPort}/stub_status`,
      `-web.listen-address=127.0.0.1:${nginxExpPort}`,
    ]);

    await waitFor(
      'pushgateway',
      async () => (await httpText(`http://127.0.0.1:${pushPort}/-/ready`)).status === 200,
    );
    for (const push of pipelinePushes(Math.floor(Date.now() / 1000))) {
      const r = await httpText(`http://127.0.0.1:${pushPort}/metrics/${push.group}`, {
        method: 'PUT',
        body: push.body,
      });
      if (r.status >= 300) throw new Error(`push to ${push.group} failed: ${r.status} ${r.text}`);
    }

    // The same jobs and target labels as prometheus/prometheus.yml.j2 renders.
    const rulesDir = path.join(ROOT, 'prometheus/rules');
    const ruleFiles = existsSync(rulesDir)
      ? readdirSync(rulesDir)
          .filter((f) => f.endsWith('.yml'))
          .map((f) => path.join(rulesDir, f))
      : [];
    const cfg = [
      'global: {scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s}',
      `rule_files: ${JSON.stringify(ruleFiles)}`,
      'scrape_configs:',
      '  - job_name: app',
      '    metric_relabel_configs: [{action: labeldrop, regex: exported_service}]',
      '    static_configs:',
      ...apps.map(
        (a, i) =>
          `      - {targets: ['127.0.0.1:${a.port}'], labels: {env: staging, service: ${a.service}, slot: ${a.slot}, replica: '1', host: staging, instance: 'staging:${3100 + i}'}}`,
      ),
      '  - job_name: node',
      `    static_configs: [{targets: ['127.0.0.1:${nodePort}'], labels: {host: staging, env: staging, instance: 'staging:9100'}}]`,
      '  - job_name: containers',
      `    static_configs: [{targets: ['127.0.0.1:${cadvisor.port}'], labels: {host: staging, env: staging, instance: 'staging:9101'}}]`,
      '  - job_name: nginx',
      `    static_configs: [{targets: ['127.0.0.1:${nginxExpPort}'], labels: {host: staging, env: staging, instance: 'staging:9113'}}]`,
      '  - job_name: pushgateway',
      '    honor_labels: true',
      `    static_configs: [{targets: ['127.0.0.1:${pushPort}'], labels: {host: monitoring}}]`,
      '',
    ].join('\n');
    writeFileSync(path.join(dir, 'prometheus.yml'), cfg);
    startProc('prometheus', binary('prometheus'), [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    const promUrl = `http://127.0.0.1:${promPort}`;
    await waitFor(
      'prometheus ready',
      async () => (await httpText(`${promUrl}/-/ready`)).status === 200,
      {
        timeoutMs: 30_000,
      },
    );
    return { promUrl, stop };
  } catch (e) {
    const tail = Object.entries(logs)
      .map(([k, v]) => `--- ${k}\n${v.trim().split('\n').slice(-5).join('\n')}`)
      .join('\n');
    await stop();
    throw new Error(`${String(e)}\n${tail}`);
  }
}

/** Replaces Grafana variables ($env, ${env}, [[env]], $__rate_interval) with test values. */
export function substitute(expr: string, values: Record<string, string> = VARIABLES): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, a, b, c) => {
    const name = (a ?? b ?? c) as string;
    const value = values[name];
    if (value === undefined)
      throw new Error(`no test value for Grafana variable ${whole} in: ${expr}`);
    return value;
  });
}

export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export async function instantQuery(promUrl: string, expr: string): Promise<PromSeries[]> {
  const r = await httpText(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = JSON.parse(r.text) as {
    status: string;
    error?: string;
    data?: { result: PromSeries[] };
  };
  if (body.status !== 'success') throw new Error(`query failed: ${expr}: ${body.error}`);
  return body.data?.result ?? [];
}

export async function rangeQuery(
  promUrl: string,
  expr: string,
  seconds: number,
  step: number,
): Promise<PromSeries[]> {
  const end = Date.now() / 1000;
  const q = `query=${encodeURIComponent(expr)}&start=${end - seconds}&end=${end}&step=${step}`;
  const r = await httpText(`${promUrl}/api/v1/query_range?${q}`);
  const body = JSON.parse(r.text) as {
    status: string;
    error?: string;
    data?: { result: PromSeries[] };
  };
  if (body.status !== 'success') throw new Error(`range query failed: ${expr}: ${body.error}`);
  return body.data?.result ?? [];
}
