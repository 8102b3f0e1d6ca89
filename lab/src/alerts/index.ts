// Talks to the lab's Alertmanager (v2 API): list what fires, send a test alert through the
// real routing (Slack/email). Where Alertmanager is: --url, else $LAB_ALERTMANAGER_URL, else
// the monitoring node of the generated inventory on lab_ports.alertmanager (9093).
import axios, { AxiosError, type AxiosInstance } from 'axios';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ExitCode, LabError } from '../errors.js';
import { statePaths } from '../state.js';

export const ALERTMANAGER_PORT = 9093;
export const TEST_ALERT_NAME = 'LabTestAlert';

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint: string;
  generatorURL?: string;
  status: {
    state: 'active' | 'suppressed' | 'unprocessed';
    inhibitedBy: string[];
    silencedBy: string[];
  };
  receivers: { name: string }[];
}

export interface PostedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

export interface AlertsOptions {
  url: string;
  /** Injected for tests; defaults to a fresh axios instance. */
  http?: AxiosInstance;
  timeoutMs?: number;
}

/** Checks and normalises an Alertmanager base URL (no trailing slash). */
export function normaliseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `not a URL: ${url}`,
      'pass the Alertmanager base URL, e.g. --url http://192.168.56.40:9093',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `not an http(s) URL: ${url}`,
      'e.g. --url http://192.168.56.40:9093',
    );
  }
  return parsed.toString().replace(/\/+$/, '');
}

/**
 * Where Alertmanager is when --url is not given: $LAB_ALERTMANAGER_URL, else the first host of
 * the inventory's monitoring group (lab_ip, else ansible_host).
 */
export function resolveAlertmanagerUrl(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  inventoryFile = path.join(statePaths().inventory, 'hosts.yml'),
): string {
  if (flag) return normaliseUrl(flag);
  if (env.LAB_ALERTMANAGER_URL) return normaliseUrl(env.LAB_ALERTMANAGER_URL);
  const hint = 'run `lab up` (or `lab inventory`) first, or pass --url http://HOST:9093';
  if (!existsSync(inventoryFile)) {
    throw new LabError(
      ExitCode.PREREQUISITE,
      `no lab inventory at ${inventoryFile}: where Alertmanager runs is unknown`,
      hint,
    );
  }
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(inventoryFile, 'utf8'));
  } catch (e) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `cannot parse ${inventoryFile}: ${(e as Error).message}`,
      'run `lab inventory` to regenerate it',
    );
  }
  const hosts = (
    doc as {
      all?: {
        children?: { monitoring?: { hosts?: Record<string, Record<string, unknown> | null> } };
      };
    }
  )?.all?.children?.monitoring?.hosts;
  const first = hosts ? Object.values(hosts)[0] : undefined;
  const address = first?.lab_ip ?? first?.ansible_host;
  if (typeof address !== 'string' || !address) {
    throw new LabError(
      ExitCode.PREREQUISITE,
      `the inventory ${inventoryFile} has no monitoring host`,
      hint,
    );
  }
  return normaliseUrl(
    `http://${address.includes(':') ? `[${address}]` : address}:${ALERTMANAGER_PORT}`,
  );
}

/** Turns transport and HTTP failures into LabErrors that say what to do. */
function failure(e: unknown, url: string, what: string): LabError {
  if (e instanceof AxiosError) {
    if (e.response) {
      const body =
        typeof e.response.data === 'string' ? e.response.data : JSON.stringify(e.response.data);
      return new LabError(
        ExitCode.TOOL_FAILED,
        `Alertmanager at ${url} refused to ${what}: HTTP ${e.response.status} ${body.slice(0, 300)}`,
        'check its log on the monitoring host: journalctl -u prometheus-alertmanager',
      );
    }
    return new LabError(
      ExitCode.PREREQUISITE,
      `cannot reach Alertmanager at ${url} (${e.code ?? e.message})`,
      'is the lab up (`lab status`)? Alertmanager listens on the monitoring node, port 9093; or pass --url',
    );
  }
  return new LabError(ExitCode.TOOL_FAILED, `Alertmanager at ${url}: ${String(e)}`);
}

const client = (o: AlertsOptions): AxiosInstance =>
  o.http ?? axios.create({ timeout: o.timeoutMs ?? 5000, proxy: false });

/** Every alert Alertmanager holds (firing, including inhibited and silenced ones). */
export async function fetchAlerts(o: AlertsOptions): Promise<AlertmanagerAlert[]> {
  const url = normaliseUrl(o.url);
  try {
    const res = await client(o).get<AlertmanagerAlert[]>(`${url}/api/v2/alerts`);
    if (!Array.isArray(res.data)) throw new Error('the answer is not a list of alerts');
    return [...res.data].sort(
      (a, b) =>
        severityRank(a.labels.severity) - severityRank(b.labels.severity) ||
        a.startsAt.localeCompare(b.startsAt) ||
        (a.labels.alertname ?? '').localeCompare(b.labels.alertname ?? ''),
    );
  } catch (e) {
    throw failure(e, url, 'list alerts');
  }
}

const severityRank = (s: string | undefined): number =>
  ({ critical: 0, warning: 1, info: 2 })[s ?? ''] ?? 3;

/** The test alert: category "test" routes it to Slack (when configured) and email. */
export function testAlert(now: Date, minutes = 5, host = os.hostname()): PostedAlert {
  return {
    labels: {
      alertname: TEST_ALERT_NAME,
      severity: 'info',
      category: 'test',
      env: 'lab',
      instance: host,
    },
    annotations: {
      summary: 'Test alert from `lab alerts test`: the alert path works',
      description: `Sent by \`lab alerts test\` on ${host} at ${now.toISOString()}. It resolves by itself after ${minutes} minutes; nothing is wrong.`,
      runbook_url: 'README.md#testing-the-alert-path',
    },
    startsAt: now.toISOString(),
    endsAt: new Date(now.getTime() + minutes * 60_000).toISOString(),
  };
}

/** Posts the test alert to Alertmanager and returns what was sent. */
export async function sendTestAlert(
  o: AlertsOptions & { now?: Date; minutes?: number },
): Promise<PostedAlert> {
  const url = normaliseUrl(o.url);
  const alert = testAlert(o.now ?? new Date(), o.minutes);
  try {
    await client(o).post(`${url}/api/v2/alerts`, [alert]);
  } catch (e) {
    throw failure(e, url, 'accept the test alert');
  }
  return alert;
}

/** "3m 20s" since an ISO time. */
export function since(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** Where an alert is, from the labels that identify it. */
export function where(labels: Record<string, string>): string {
  return ['env', 'service', 'instance', 'name', 'mountpoint', 'release']
    .filter((k) => labels[k])
    .map((k) => `${k}=${labels[k]}`)
    .join(' ');
}
