// `lab alerts` and `lab alerts test`: the library against a local HTTP server that speaks
// Alertmanager's v2 alerts API, the built CLI (exit codes, --json, clear errors without stack
// traces), and both against a real Alertmanager where it is installed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  fetchAlerts,
  resolveAlertmanagerUrl,
  sendTestAlert,
  since,
  testAlert,
  type AlertmanagerAlert,
} from '../../src/alerts/index.js';
import { ExitCode, LabError } from '../../src/errors.js';
import { repoRoot } from '../../src/state.js';
import { freePort, waitFor } from '../../../test/support/net.js';
import { describeWithTools, which } from '../../../test/support/tools.js';

const root = repoRoot();
const cli = path.join(root, 'lab/dist/cli.js');

const alert = (
  name: string,
  severity: string,
  startsAt: string,
  state: 'active' | 'suppressed' = 'active',
): AlertmanagerAlert => ({
  labels: {
    alertname: name,
    severity,
    env: 'staging',
    instance: 'staging:3101',
    service: 'catalog',
  },
  annotations: { summary: `${name} summary` },
  startsAt,
  endsAt: '2099-01-01T00:00:00Z',
  fingerprint: name,
  status: { state, inhibitedBy: [], silencedBy: [] },
  receivers: [{ name: 'email' }],
});

/** A local server speaking the part of Alertmanager's v2 API the lab uses. */
class FakeAlertmanagerApi {
  posted: unknown[] = [];
  alerts: AlertmanagerAlert[] = [];
  status = 200;
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (this.status !== 200) {
        res.statusCode = this.status;
        res.end('"bad things"');
        return;
      }
      if (req.url === '/api/v2/alerts' && req.method === 'GET') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(this.alerts));
      } else if (req.url === '/api/v2/alerts' && req.method === 'POST') {
        this.posted.push(JSON.parse(body));
        res.end();
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  url = '';
  async start(): Promise<void> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

const api = new FakeAlertmanagerApi();
let dir: string;

beforeAll(async () => {
  await api.start();
  dir = mkdtempSync(path.join(os.tmpdir(), 'lab-alerts-'));
});
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function expectLabError(
  p: Promise<unknown>,
  code: number,
  message: RegExp,
): Promise<LabError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LabError);
  expect((e as LabError).code).toBe(code);
  expect((e as LabError).message).toMatch(message);
  expect((e as LabError).hint).toBeTruthy();
  return e as LabError;
}

describe('alerts library', () => {
  test('fetchAlerts lists critical first, then oldest first', async () => {
    api.alerts = [
      alert('HostHighCpu', 'warning', '2026-11-30T10:00:00Z'),
      alert('TargetDown', 'critical', '2026-11-30T10:05:00Z'),
      alert('ServiceHighErrorRate', 'critical', '2026-11-30T10:01:00Z', 'suppressed'),
    ];
    const list = await fetchAlerts({ url: `${api.url}/` });
    expect(list.map((a) => a.labels.alertname)).toEqual([
      'ServiceHighErrorRate',
      'TargetDown',
      'HostHighCpu',
    ]);
  });

  test('sendTestAlert posts one LabTestAlert that routes as a test and ends by itself', async () => {
    api.posted = [];
    const now = new Date('2026-11-30T21:00:00Z');
    const sent = await sendTestAlert({ url: api.url, now });
    expect(api.posted).toEqual([[sent]]);
    expect(sent.labels).toMatchObject({
      alertname: 'LabTestAlert',
      category: 'test',
      severity: 'info',
    });
    expect(sent.annotations.runbook_url).toBe('README.md#testing-the-alert-path');
    expect(sent.startsAt).toBe('2026-11-30T21:00:00.000Z');
    expect(sent.endsAt).toBe('2026-11-30T21:05:00.000Z');
  });

  test('an unreachable Alertmanager is a prerequisite error with a hint', async () => {
    const closed = await freePort();
    await expectLabError(
      fetchAlerts({ url: `http://127.0.0.1:${closed}` }),
      ExitCode.PREREQUISITE,
      /cannot reach Alertmanager at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    await expectLabError(
      sendTestAlert({ url: `http://127.0.0.1:${closed}` }),
      ExitCode.PREREQUISITE,
      /cannot reach Alertmanager/,
    );
  });

  test('an Alertmanager that answers with an error is a tool failure naming the status', async () => {
    api.status = 500;
    try {
      await expectLabError(
        fetchAlerts({ url: api.url }),
        ExitCode.TOOL_FAILED,
        /refused to list alerts: HTTP 500/,
      );
    } finally {
      api.status = 200;
    }
  });

  test('a bad URL is invalid input', async () => {
    await expectLabError(
      fetchAlerts({ url: 'monitoring:9093' }),
      ExitCode.INVALID_INPUT,
      /not an http\(s\) URL|not a URL/,
    );
    await expectLabError(
      fetchAlerts({ url: 'nonsense' }),
      ExitCode.INVALID_INPUT,
      /not a URL: nonsense/,
    );
  });

  test('the URL comes from --url, else $LAB_ALERTMANAGER_URL, else the inventory monitoring host', () => {
    const inv = path.join(dir, 'hosts.yml');
    writeFileSync(
      inv,
      'all:\n  children:\n    monitoring:\n      hosts:\n        monitoring:\n          ansible_host: "127.0.0.1"\n          lab_ip: "192.168.56.40"\n',
    );
    expect(resolveAlertmanagerUrl('http://a:1/', {}, inv)).toBe('http://a:1');
    expect(resolveAlertmanagerUrl(undefined, { LAB_ALERTMANAGER_URL: 'http://b:2' }, inv)).toBe(
      'http://b:2',
    );
    expect(resolveAlertmanagerUrl(undefined, {}, inv)).toBe('http://192.168.56.40:9093');
    expect(() => resolveAlertmanagerUrl(undefined, {}, path.join(dir, 'missing.yml'))).toThrow(
      /no lab inventory/,
    );
    writeFileSync(inv, 'all:\n  children:\n    monitoring:\n      hosts: {}\n');
    expect(() => resolveAlertmanagerUrl(undefined, {}, inv)).toThrow(/has no monitoring host/);
  });

  test('since() reads like the alert messages', () => {
    const now = Date.parse('2026-11-30T21:00:00Z');
    expect(since('2026-11-30T20:59:15Z', now)).toBe('45s');
    expect(since('2026-11-30T20:56:40Z', now)).toBe('3m 20s');
    expect(since('2026-11-30T18:30:00Z', now)).toBe('2h 30m');
    expect(testAlert(new Date(now)).labels.instance).toBe(os.hostname());
  });
});

/** Runs the built CLI without blocking this process (the fake API server lives in it). */
function lab(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LAB_STATE_DIR: path.join(dir, '.lab') };
  delete env.LAB_ALERTMANAGER_URL;
  const child = spawn('timeout', ['60', process.execPath, cli, ...args], { cwd: root, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
}

describe('the lab alerts command (built CLI)', () => {
  test('lists firing alerts as a table, and as JSON with --json', async () => {
    api.alerts = [alert('TargetDown', 'critical', new Date(Date.now() - 65_000).toISOString())];
    const human = await lab(['alerts', '--url', api.url]);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/severity\s+alert\s+where\s+for\s+state\s+summary/);
    expect(human.stdout).toMatch(
      /critical\s+TargetDown\s+env=staging service=catalog instance=staging:3101\s+1m \d+s\s+firing\s+TargetDown summary/,
    );
    const json = await lab(['--json', 'alerts', '--url', api.url]);
    expect(json.status).toBe(0);
    const doc = JSON.parse(json.stdout) as { alertmanager: string; alerts: AlertmanagerAlert[] };
    expect(doc.alertmanager).toBe(api.url);
    expect(doc.alerts.map((a) => a.labels.alertname)).toEqual(['TargetDown']);
  });

  test('says so when nothing fires', async () => {
    api.alerts = [];
    const r = await lab(['alerts', '--url', api.url]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`no alerts firing (${api.url})`);
  });

  test('lab alerts test prints what it sent', async () => {
    api.posted = [];
    const r = await lab(['alerts', 'test', '--url', api.url]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/label alertname\s+LabTestAlert/);
    expect(r.stdout).toMatch(/runbook_url\s+README\.md#testing-the-alert-path/);
    expect(api.posted).toHaveLength(1);
  });

  test('an unreachable Alertmanager: exit 4, a message and a hint, no stack trace', async () => {
    const closed = await freePort();
    const r = await lab(['alerts', '--url', `http://127.0.0.1:${closed}`]);
    expect(r.status).toBe(ExitCode.PREREQUISITE);
    expect(r.stderr).toMatch(
      /^error: cannot reach Alertmanager at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/m,
    );
    expect(r.stderr).toMatch(/^hint: is the lab up/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('no --url and no inventory: exit 4 with what to do', async () => {
    const r = await lab(['alerts']);
    expect(r.status).toBe(ExitCode.PREREQUISITE);
    expect(r.stderr).toMatch(/no lab inventory at .*hosts\.yml/);
    expect(r.stderr).toMatch(/hint: run `lab up` \(or `lab inventory`\) first, or pass --url/);
  });
});

describeWithTools(['alertmanager'], 'lab alerts against a real Alertmanager', () => {
  let am: ChildProcess;
  let url = '';
  const work = mkdtempSync(path.join(os.tmpdir(), 'lab-alerts-am-'));

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    writeFileSync(
      path.join(work, 'am.yml'),
      'route:\n  receiver: nowhere\n  group_wait: 1s\nreceivers:\n  - name: nowhere\n',
    );
    const bin = which('prometheus-alertmanager') ?? which('alertmanager')!;
    am = spawn(
      'timeout',
      [
        '300',
        bin,
        `--config.file=${path.join(work, 'am.yml')}`,
        `--storage.path=${path.join(work, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: 'ignore' },
    );
    await waitFor('Alertmanager ready', async () => (await fetch(`${url}/-/ready`)).ok, {
      timeoutMs: 30_000,
    });
  }, 60_000);

  afterAll(async () => {
    if (am && am.exitCode === null) {
      am.kill('SIGTERM');
      await new Promise((r) => am.once('exit', r));
    }
    rmSync(work, { recursive: true, force: true });
  });

  test('the test alert is accepted and then listed, with its receiver', async () => {
    await sendTestAlert({ url });
    const listed = await waitFor(
      'LabTestAlert listed',
      async () => (await fetchAlerts({ url })).find((a) => a.labels.alertname === 'LabTestAlert'),
      { timeoutMs: 10_000 },
    );
    expect(listed.status.state).toBe('active');
    expect(listed.receivers.map((r) => r.name)).toEqual(['nowhere']);
    expect(listed.annotations.summary).toMatch(/lab alerts test/);
  }, 30_000);
});
