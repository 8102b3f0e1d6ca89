// End to end alert path on loopback, all real: an app-like target (prom-client, the services'
// metric names and labels) → Prometheus (the lab's rule files) → Alertmanager (the config the
// role renders, via real Ansible) → a webhook standing in for Slack and a real SMTP server.
//
// Test intervals: scrape and evaluation every 1 s, group_wait 1 s, group_interval 2 s, and the
// rules' `for:` divided by 15 (the ratio of the lab's 15 s evaluation interval to the test's
// 1 s): the same rules on a faster clock. Expressions, thresholds and rate windows are the real
// ones, so a resolved message needs the 1-minute rate window to empty (about a minute).
//
// Printed: breach → notification for each receiver, with the test intervals, beside the figure
// the lab's default intervals give.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { Counter, Histogram, Registry } from 'prom-client';
import { SMTPServer } from 'smtp-server';
import YAML from 'yaml';
import { renderAlertmanager, ROOT } from '../../alertmanager/tests/render.js';
import { freePort, waitFor } from '../support/net.js';
import { describeWithTools, which } from '../support/tools.js';
import { fetchAlerts, sendTestAlert } from '../../lab/src/alerts/index.js';

/** The lab's evaluation interval over the test's: `for:` is divided by this. */
const CLOCK_RATIO = 15;
const TEST = { scrape: 1, evaluation: 1, groupWait: 1, groupInterval: 2 };

// ---------- the app-like target ----------

type Mode = 'normal' | 'errors' | 'slow';

class AppTarget {
  mode: Mode = 'normal';
  server?: http.Server;
  private readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests',
    labelNames: ['service', 'method', 'route', 'status', 'version'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['service', 'method', 'route', 'status', 'version'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private served = 0;

  constructor(readonly port: number) {}

  start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    return new Promise((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  /** Takes the target down: the port stops answering. */
  stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return Promise.resolve();
    s.closeAllConnections();
    return new Promise((resolve) => s.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.url === '/metrics') {
      res.setHeader('content-type', this.registry.contentType);
      res.end(await this.registry.metrics());
      return;
    }
    const started = process.hrtime.bigint();
    this.served++;
    if (this.mode === 'slow') await new Promise((r) => setTimeout(r, 800));
    const status = this.mode === 'errors' && this.served % 4 === 0 ? 500 : 200;
    res.statusCode = status;
    res.end(status === 200 ? '{"items":[]}' : '{"error":"internal"}');
    const labels = {
      service: 'catalog',
      method: 'GET',
      route: '/api/products',
      status: String(status),
      version: '1.4.0-42',
    };
    this.requests.inc(labels);
    this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

/** Steady traffic, 20 requests/s, bounded by the test's lifetime. */
function startTraffic(port: number): () => void {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 40 });
  const timer = setInterval(() => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/api/products', agent, timeout: 5000 },
      (res) => res.resume(),
    );
    req.on('error', () => undefined);
    req.on('timeout', () => req.destroy());
  }, 50);
  return () => {
    clearInterval(timer);
    agent.destroy();
  };
}

// ---------- the receivers ----------

interface Received<T> {
  at: number;
  body: T;
}
interface SlackMessage {
  attachments: { title: string; text: string; color: string }[];
}
interface Mail {
  subject: string;
  text: string;
  html: string;
}

function startWebhook(port: number, got: Received<SlackMessage>[]): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ at: Date.now(), body: JSON.parse(body) as SlackMessage });
      res.end('ok');
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

function startSmtp(port: number, got: Received<Mail>[]): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((m) => {
          got.push({
            at: Date.now(),
            body: {
              subject: m.subject ?? '',
              text: m.text ?? '',
              html: typeof m.html === 'string' ? m.html : '',
            },
          });
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

// ---------- the real tools ----------

const procs: { name: string; proc: ChildProcess; log: string[] }[] = [];

function startTool(name: string, bin: string, args: string[]): void {
  const proc = spawn('timeout', ['600', bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const keep = (b: Buffer) => {
    log.push(...b.toString('utf8').split('\n').filter(Boolean));
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  procs.push({ name, proc, log });
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** The rules with every `for:` divided by CLOCK_RATIO (at least 1 s). */
function scaledRules(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const toSeconds = (d: string): number => {
    const m = /^(\d+)([smh])$/.exec(d);
    if (!m) throw new Error(`unexpected duration ${d}`);
    return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
  };
  for (const file of readdirSync(path.join(ROOT, 'prometheus/rules')).filter((f) =>
    f.endsWith('.yml'),
  )) {
    const doc = YAML.parse(readFileSync(path.join(ROOT, 'prometheus/rules', file), 'utf8')) as {
      groups: { rules: { for?: string }[] }[];
    };
    for (const g of doc.groups) {
      for (const r of g.rules) {
        if (r.for) {
          const s = toSeconds(r.for);
          r.for = s === 0 ? '0s' : `${Math.max(1, Math.round(s / CLOCK_RATIO))}s`;
        }
      }
    }
    writeFileSync(path.join(dir, file), YAML.stringify(doc));
  }
}

/** The lab's default figures: scrape/evaluation interval (prometheus template), group_wait. */
function labDefaults(): { scrape: number; evaluation: number; groupWait: number } {
  const seconds = (s: string): number => Number(/^(\d+)s$/.exec(s)?.[1] ?? NaN);
  const tpl = readFileSync(path.join(ROOT, 'prometheus/prometheus.yml.j2'), 'utf8');
  const pick = (knob: string): number =>
    seconds(new RegExp(`${knob} \\| default\\('(\\d+s)'\\)`).exec(tpl)?.[1] ?? '15s');
  const am = YAML.parse(
    readFileSync(path.join(ROOT, 'alertmanager/defaults.yml'), 'utf8'),
  ) as Record<string, string>;
  return {
    scrape: pick('prometheus_scrape_interval'),
    evaluation: pick('prometheus_evaluation_interval'),
    groupWait: seconds(am.alertmanager_group_wait!),
  };
}

function ruleFor(alert: string): number {
  const text = readFileSync(path.join(ROOT, 'prometheus/rules/services.yml'), 'utf8');
  const m = new RegExp(`alert: ${alert}\\n[\\s\\S]*?\\n\\s+for: (\\d+)s`).exec(text);
  return Number(m?.[1]);
}

describeWithTools(
  ['prometheus', 'alertmanager', 'amtool', 'ansible-playbook'],
  'alert path end to end (real Prometheus, Alertmanager, SMTP)',
  () => {
    const work = mkdtempSync(path.join(tmpdir(), 'lab-alerting-'));
    const hooks: Received<SlackMessage>[] = [];
    const mails: Received<Mail>[] = [];
    const ports = { app: 0, prom: 0, am: 0, hook: 0, smtp: 0 };
    let target: AppTarget;
    let stopTraffic = (): void => undefined;
    let webhook: http.Server | undefined;
    let smtp: SMTPServer | undefined;
    const figures: string[] = [];
    let amUrl = '';

    /** Alerts Alertmanager holds right now (v2 API). */
    const amAlerts = () =>
      getJson<
        { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }[]
      >(`${amUrl}/api/v2/alerts`);

    const hookFor = (alert: string, status: 'FIRING' | 'RESOLVED', after: number) =>
      hooks.find(
        (h) =>
          h.at >= after && h.body.attachments.some((a) => a.text.includes(`${status} ${alert} (`)),
      );
    const mailFor = (alert: string, status: 'FIRING' | 'RESOLVED', after: number) =>
      mails.find((m) => m.at >= after && m.body.text.includes(`${status} ${alert} (`));

    beforeAll(async () => {
      for (const k of Object.keys(ports) as (keyof typeof ports)[]) ports[k] = await freePort();
      amUrl = `http://127.0.0.1:${ports.am}`;

      target = new AppTarget(ports.app);
      await target.start();
      stopTraffic = startTraffic(ports.app);
      webhook = await startWebhook(ports.hook, hooks);
      smtp = await startSmtp(ports.smtp, mails);

      // Alertmanager: the role's template rendered by Ansible, with test timings and receivers.
      const slackFile = path.join(work, 'slack_webhook_url');
      writeFileSync(slackFile, `http://127.0.0.1:${ports.hook}/slack\n`, { mode: 0o600 });
      const am = renderAlertmanager({
        alertmanager_smtp_smarthost: `127.0.0.1:${ports.smtp}`,
        alertmanager_smtp_hello: 'localhost',
        alertmanager_slack_webhook_url_file: slackFile,
        alertmanager_group_wait: `${TEST.groupWait}s`,
        alertmanager_group_interval: `${TEST.groupInterval}s`,
        alertmanager_rollback_group_wait: `${TEST.groupWait}s`,
        alertmanager_rollback_group_interval: `${TEST.groupInterval}s`,
      });
      const amBin = which('prometheus-alertmanager') ?? which('alertmanager')!;
      startTool('alertmanager', amBin, [
        `--config.file=${am.configFile}`,
        `--storage.path=${path.join(work, 'am-data')}`,
        `--web.listen-address=127.0.0.1:${ports.am}`,
        `--web.external-url=${amUrl}`,
        '--cluster.listen-address=',
      ]);

      // Prometheus: the lab's rule files on the test clock; one app target with the target labels
      // the lab's scrape config sets.
      scaledRules(path.join(work, 'rules'));
      const promConfig = {
        global: { scrape_interval: `${TEST.scrape}s`, evaluation_interval: `${TEST.evaluation}s` },
        rule_files: [path.join(work, 'rules/*.yml')],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${ports.am}`] }] }] },
        scrape_configs: [
          {
            job_name: 'app',
            scrape_timeout: '900ms',
            static_configs: [
              {
                targets: [`127.0.0.1:${ports.app}`],
                labels: {
                  env: 'staging',
                  service: 'catalog',
                  slot: 'blue',
                  replica: '1',
                  host: 'staging',
                },
              },
            ],
          },
        ],
      };
      writeFileSync(path.join(work, 'prometheus.yml'), YAML.stringify(promConfig));
      const check = spawnSync(
        'timeout',
        ['60', 'promtool', 'check', 'config', path.join(work, 'prometheus.yml')],
        { encoding: 'utf8' },
      );
      if (check.status !== 0)
        throw new Error(`promtool check config: ${check.stdout}${check.stderr}`);
      startTool('prometheus', 'prometheus', [
        `--config.file=${path.join(work, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(work, 'prom-data')}`,
        `--web.listen-address=127.0.0.1:${ports.prom}`,
        '--rules.alert.resend-delay=2s',
      ]);

      await waitFor('Alertmanager ready', async () => (await fetch(`${amUrl}/-/ready`)).ok, {
        timeoutMs: 30_000,
      });
      await waitFor(
        'Prometheus ready',
        async () => (await fetch(`http://127.0.0.1:${ports.prom}/-/ready`)).ok,
        { timeoutMs: 30_000 },
      );
      await waitFor(
        'the target scraped and some traffic in the rate window',
        async () => {
          const r = await getJson<{ data: { result: { value: [number, string] }[] } }>(
            `http://127.0.0.1:${ports.prom}/api/v1/query?query=${encodeURIComponent('sum(rate(http_requests_total[1m]))')}`,
          );
          return Number(r.data.result[0]?.value[1] ?? 0) > 1;
        },
        { timeoutMs: 30_000 },
      );
    }, 120_000);

    afterAll(async () => {
      stopTraffic();
      await target?.stop();
      for (const p of procs) p.proc.kill('SIGTERM');
      await Promise.all(
        procs.map((p) =>
          p.proc.exitCode !== null ? Promise.resolve() : new Promise((r) => p.proc.once('exit', r)),
        ),
      );
      await new Promise((r) => (webhook ? webhook.close(() => r(undefined)) : r(undefined)));
      await new Promise((r) => (smtp ? smtp.close(() => r(undefined)) : r(undefined)));
      rmSync(work, { recursive: true, force: true });
      if (figures.length) process.stdout.write(`\n${figures.join('\n')}\n\n`);
    }, 60_000);

    const dumpLogs = () =>
      procs.map((p) => `--- ${p.name}\n${p.log.slice(-15).join('\n')}`).join('\n');

    test('healthy traffic raises nothing', async () => {
      await new Promise((r) => setTimeout(r, 3000));
      expect(await amAlerts()).toEqual([]);
      expect(hooks).toEqual([]);
      expect(mails).toEqual([]);
    }, 30_000);

    test('errors and latency reach Slack and email with what, where, how bad, since when and the runbook; then resolve', async () => {
      // Errors (1 request in 4 fails) and latency (800 ms) at the same time.
      target.mode = 'errors';
      const breach = Date.now();
      const errHook = await waitFor(
        'ServiceHighErrorRate on the webhook',
        async () => hookFor('ServiceHighErrorRate', 'FIRING', breach),
        { timeoutMs: 40_000 },
      ).catch((e: Error) => {
        throw new Error(`${e.message}\n${dumpLogs()}`);
      });
      const errMail = await waitFor(
        'ServiceHighErrorRate by email',
        async () => mailFor('ServiceHighErrorRate', 'FIRING', breach),
        { timeoutMs: 20_000 },
      );

      target.mode = 'slow';
      const slowBreach = Date.now();
      // A latency warning in staging is routed to email only (Slack gets critical, production
      // and pipeline alerts).
      const latMail = await waitFor(
        'ServiceHighLatencyP95 by email',
        async () => mailFor('ServiceHighLatencyP95', 'FIRING', slowBreach),
        { timeoutMs: 40_000 },
      );

      // Slack message: the right alert, the labels, the value, the runbook.
      const att = errHook.body.attachments[0]!;
      expect(att.title).toMatch(/^\[FIRING:1\] ServiceHighErrorRate in staging \(critical\)$/);
      expect(att.color).toBe('danger');
      expect(att.text).toContain('What:    catalog 1.4.0-42 in staging answers');
      expect(att.text).toContain(`instance=127.0.0.1:${ports.app}`);
      expect(att.text).toMatch(
        /Where: {3}.*env=staging .*service=catalog .*slot=blue .*version=1\.4\.0-42/,
      );
      expect(att.text).toMatch(
        /How bad: \d+(\.\d+)?% of the requests to catalog version 1\.4\.0-42 \(env staging, slot blue, instance 127\.0\.0\.1:\d+\) returned a 5xx status/,
      );
      expect(att.text).toMatch(/Since: {3}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      expect(att.text).toContain('Runbook: README.md#servicehigherrorrate');
      expect(latMail.body.text).toMatch(
        /What: {4}catalog 1\.4\.0-42 in staging is slow: p95 \d+(\.\d+)?ms/,
      );

      // Email: subject and both parts.
      expect(errMail.body.subject).toBe('[FIRING:1] ServiceHighErrorRate in staging (critical)');
      expect(errMail.body.text).toContain('Runbook: README.md#servicehigherrorrate');
      expect(errMail.body.html).toContain('<a href="README.md#servicehigherrorrate">');
      expect(latMail.body.subject).toBe('[FIRING:1] ServiceHighLatencyP95 in staging (warning)');

      // Labels as Alertmanager holds them.
      const held = (await amAlerts()).find((a) => a.labels.alertname === 'ServiceHighErrorRate')!;
      expect(held.labels).toMatchObject({
        env: 'staging',
        service: 'catalog',
        slot: 'blue',
        version: '1.4.0-42',
        severity: 'critical',
        category: 'service',
        instance: `127.0.0.1:${ports.app}`,
      });

      // Back to normal: resolved messages once the 1-minute rate window has emptied.
      target.mode = 'normal';
      const healed = Date.now();
      const resolvedHook = await waitFor(
        'resolved ServiceHighErrorRate on the webhook',
        async () => hookFor('ServiceHighErrorRate', 'RESOLVED', healed),
        { timeoutMs: 100_000, intervalMs: 500 },
      );
      const resolvedMail = await waitFor(
        'resolved ServiceHighErrorRate by email',
        async () => mailFor('ServiceHighErrorRate', 'RESOLVED', healed),
        { timeoutMs: 20_000, intervalMs: 500 },
      );
      expect(resolvedHook.body.attachments[0]!.color).toBe('good');
      expect(resolvedHook.body.attachments[0]!.text).toMatch(
        /Since: {3}.* UTC, resolved \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
      );
      expect(resolvedMail.body.subject).toBe(
        '[RESOLVED] ServiceHighErrorRate in staging (critical)',
      );
      await waitFor(
        'resolved ServiceHighLatencyP95 by email',
        async () => mailFor('ServiceHighLatencyP95', 'RESOLVED', healed),
        { timeoutMs: 100_000, intervalMs: 500 },
      );
      expect(
        hooks.filter((h) =>
          h.body.attachments.some((a) => a.text.includes('ServiceHighLatencyP95')),
        ),
      ).toEqual([]);

      // The figures (issue #6, Performance).
      const lab = labDefaults();
      const forErr = ruleFor('ServiceHighErrorRate');
      const forLat = ruleFor('ServiceHighLatencyP95');
      const testFor = Math.max(1, Math.round(forErr / CLOCK_RATIO));
      const testWorst = TEST.scrape + TEST.evaluation + testFor + TEST.groupWait;
      const labWorst = lab.scrape + lab.evaluation + Math.max(forErr, forLat) + lab.groupWait;
      const labTypical =
        lab.scrape / 2 + lab.evaluation / 2 + Math.max(forErr, forLat) + lab.groupWait;
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      figures.push(
        'Alert path: breach → notification (measured, test intervals: scrape 1 s, evaluation 1 s,',
        `  for ${testFor} s (lab ${forErr} s / ${CLOCK_RATIO}), group_wait ${TEST.groupWait} s; budget < 10 s)`,
        `  ServiceHighErrorRate   webhook ${s(errHook.at - breach)}   email ${s(errMail.at - breach)}`,
        `  ServiceHighLatencyP95  email ${s(latMail.at - slowBreach)} (a staging warning: email only)`,
        `  resolved (rate window 1 m)  ServiceHighErrorRate webhook ${s(resolvedHook.at - healed)}   email ${s(resolvedMail.at - healed)}`,
        `  sum of the test intervals (scrape + evaluation + for + group_wait): ${testWorst} s`,
        `Lab default intervals (scrape ${lab.scrape} s, evaluation ${lab.evaluation} s, for ${Math.max(forErr, forLat)} s, group_wait ${lab.groupWait} s):`,
        `  estimated typical ${labTypical.toFixed(1)} s, worst ${labWorst} s (sum of the intervals; budget < 90 s); lab worst / test sum = ${(labWorst / testWorst).toFixed(1)}x`,
      );
    }, 240_000);

    test('a down target fires TargetDown and silences its latency alert (inhibition)', async () => {
      target.mode = 'slow';
      await waitFor(
        'ServiceHighLatencyP95 active in Alertmanager',
        async () =>
          (await amAlerts()).find(
            (a) => a.labels.alertname === 'ServiceHighLatencyP95' && a.status.state === 'active',
          ),
        { timeoutMs: 40_000, intervalMs: 500 },
      );
      const down = Date.now();
      stopTraffic();
      await target.stop();
      const targetDown = await waitFor(
        'TargetDown on the webhook',
        async () => hookFor('TargetDown', 'FIRING', down),
        { timeoutMs: 40_000, intervalMs: 500 },
      );
      expect(targetDown.body.attachments[0]!.text).toContain(
        `app target 127.0.0.1:${ports.app} is down`,
      );
      await waitFor('TargetDown by email', async () => mailFor('TargetDown', 'FIRING', down), {
        timeoutMs: 20_000,
      });

      // The latency alert still fires in Prometheus (its 1-minute window holds the slow requests)
      // but Alertmanager suppresses it, naming TargetDown as the reason.
      const alerts = await amAlerts();
      const td = alerts.find((a) => a.labels.alertname === 'TargetDown')!;
      const lat = alerts.find((a) => a.labels.alertname === 'ServiceHighLatencyP95');
      expect(lat).toBeDefined();
      expect(lat!.status.state).toBe('suppressed');
      expect(lat!.status.inhibitedBy.length).toBe(1);
      expect(td.status.state).toBe('active');
      const fingerprints = await getJson<{ fingerprint: string; labels: Record<string, string> }[]>(
        `${amUrl}/api/v2/alerts?filter=alertname%3D%22TargetDown%22`,
      );
      expect(lat!.status.inhibitedBy).toEqual([fingerprints[0]!.fingerprint]);

      // And no latency notification goes out while it is inhibited.
      const before = mails.length;
      await new Promise((r) => setTimeout(r, (TEST.groupInterval + 2) * 1000));
      expect(
        mails
          .slice(before)
          .filter((m) => m.body.text.includes('ServiceHighLatencyP95'))
          .map((m) => m.body.subject),
      ).toEqual([]);
    }, 120_000);

    test('lab alerts lists the firing alerts and lab alerts test goes through routing to Slack and email', async () => {
      const listed = await fetchAlerts({ url: amUrl });
      expect(listed.map((a) => a.labels.alertname)).toContain('TargetDown');
      const sentAt = Date.now();
      const sent = await sendTestAlert({ url: amUrl });
      expect(sent.labels.alertname).toBe('LabTestAlert');
      const hook = await waitFor(
        'the test alert on the webhook',
        async () => hookFor('LabTestAlert', 'FIRING', sentAt),
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      const mail = await waitFor(
        'the test alert by email',
        async () => mailFor('LabTestAlert', 'FIRING', sentAt),
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(hook.body.attachments[0]!.text).toContain('Runbook: README.md#testing-the-alert-path');
      expect(mail.body.subject).toMatch(/LabTestAlert/);
      figures.push(
        `lab alerts test → webhook ${((hook.at - sentAt) / 1000).toFixed(1)} s, email ${((mail.at - sentAt) / 1000).toFixed(1)} s (group_wait ${TEST.groupWait} s)`,
      );
    }, 60_000);
  },
);
