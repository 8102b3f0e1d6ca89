import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/exec/index.js';
import {
  ADMIN_KEY,
  GENERATED_SECRETS,
  SLACK_WEBHOOK_SECRET,
  initSecrets,
  listSecrets,
  assertSecretsPresent,
} from '../../src/secrets/index.js';
import { runLab } from '../../../test/support/cli.js';

const mode = (file: string): number => statSync(file).mode & 0o777;
let state: string;
let dir: string;

beforeEach(() => {
  state = mkdtempSync(path.join(os.tmpdir(), 'lab-secrets-'));
  dir = path.join(state, 'secrets');
});
afterEach(() => rmSync(state, { recursive: true, force: true }));

const readAll = (): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));

describe('lab secrets (module)', () => {
  test('creates every secret 0600 in a 0700 folder, URL-safe and distinct, plus an ed25519 keypair', async () => {
    const entries = await initSecrets({ dir, exec: run, env: {} });
    expect(mode(dir)).toBe(0o700);
    const values = GENERATED_SECRETS.map((name) => {
      const file = path.join(dir, name);
      expect(mode(file)).toBe(0o600);
      return readFileSync(file, 'utf8').trim();
    });
    for (const v of values) expect(v).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(values).size).toBe(values.length);
    expect(mode(path.join(dir, ADMIN_KEY))).toBe(0o600);
    expect(readFileSync(path.join(dir, `${ADMIN_KEY}.pub`), 'utf8')).toMatch(/^ssh-ed25519 \S+/);
    expect(entries.filter((e) => e.status === 'created')).toHaveLength(
      GENERATED_SECRETS.length + 2,
    );
    // No webhook unless the user gives one.
    expect(entries.find((e) => e.name === SLACK_WEBHOOK_SECRET)?.status).toBe('absent');
    expect(readdirSync(dir)).not.toContain(SLACK_WEBHOOK_SECRET);
  }, 30_000);

  test('a second init changes nothing, and a too-open file is tightened but keeps its value', async () => {
    await initSecrets({ dir, exec: run, env: {} });
    const before = readAll();
    const file = path.join(dir, 'registry_password');
    const { chmodSync } = await import('node:fs');
    chmodSync(file, 0o644);
    const entries = await initSecrets({ dir, exec: run, env: {} });
    expect(entries.every((e) => e.status === 'kept' || e.status === 'absent')).toBe(true);
    expect(readAll()).toEqual(before);
    expect(mode(file)).toBe(0o600);
  }, 30_000);

  test('an existing secret is never overwritten; a missing one is added', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'jenkins_admin_password'), 'chosen-by-user\n', { mode: 0o600 });
    await initSecrets({ dir, exec: run, env: {} });
    expect(readFileSync(path.join(dir, 'jenkins_admin_password'), 'utf8')).toBe('chosen-by-user\n');
    rmSync(path.join(dir, 'grafana_admin_password'));
    const again = await initSecrets({ dir, exec: run, env: {} });
    expect(again.find((e) => e.name === 'grafana_admin_password')?.status).toBe('created');
    expect(again.find((e) => e.name === 'jenkins_admin_password')?.status).toBe('kept');
  }, 30_000);

  test('the public key is derived again from the private key, never replacing it', async () => {
    await initSecrets({ dir, exec: run, env: {} });
    const key = readFileSync(path.join(dir, ADMIN_KEY), 'utf8');
    const pub = readFileSync(path.join(dir, `${ADMIN_KEY}.pub`), 'utf8')
      .split(' ')
      .slice(0, 2)
      .join(' ');
    rmSync(path.join(dir, `${ADMIN_KEY}.pub`));
    await initSecrets({ dir, exec: run, env: {} });
    expect(readFileSync(path.join(dir, ADMIN_KEY), 'utf8')).toBe(key);
    expect(
      readFileSync(path.join(dir, `${ADMIN_KEY}.pub`), 'utf8')
        .split(' ')
        .slice(0, 2)
        .join(' '),
    ).toBe(pub);
  }, 30_000);

  test('the Slack webhook is written from LAB_SLACK_WEBHOOK_URL, updated when it changes, kept when unset', async () => {
    const file = path.join(dir, SLACK_WEBHOOK_SECRET);
    const first = await initSecrets({
      dir,
      exec: run,
      env: { LAB_SLACK_WEBHOOK_URL: 'https://hooks.example.test/T1/B1/x1' },
    });
    expect(first.find((e) => e.name === SLACK_WEBHOOK_SECRET)?.status).toBe('created');
    expect(mode(file)).toBe(0o600);
    const same = await initSecrets({
      dir,
      exec: run,
      env: { LAB_SLACK_WEBHOOK_URL: 'https://hooks.example.test/T1/B1/x1' },
    });
    expect(same.find((e) => e.name === SLACK_WEBHOOK_SECRET)?.status).toBe('kept');
    const changed = await initSecrets({
      dir,
      exec: run,
      env: { LAB_SLACK_WEBHOOK_URL: 'https://hooks.example.test/T1/B1/x2' },
    });
    expect(changed.find((e) => e.name === SLACK_WEBHOOK_SECRET)?.status).toBe('updated');
    expect(readFileSync(file, 'utf8').trim()).toBe('https://hooks.example.test/T1/B1/x2');
    expect(mode(file)).toBe(0o600);
    await initSecrets({ dir, exec: run, env: {} });
    expect(readFileSync(file, 'utf8').trim()).toBe('https://hooks.example.test/T1/B1/x2');
    await expect(
      initSecrets({ dir, exec: run, env: { LAB_SLACK_WEBHOOK_URL: 'not a url' } }),
    ).rejects.toThrow(/https:\/\//);
  }, 30_000);

  test('listSecrets and assertSecretsPresent name what is missing without creating it', async () => {
    expect(() => assertSecretsPresent(dir)).toThrow(
      /^missing secrets in .*: jenkins_admin_password, /,
    );
    expect(listSecrets(dir).every((e) => e.status === 'absent')).toBe(true);
    await initSecrets({ dir, exec: run, env: {} });
    expect(() => assertSecretsPresent(dir)).not.toThrow();
    rmSync(path.join(dir, 'mongodb_orders_password'));
    expect(() => assertSecretsPresent(dir)).toThrow(
      'missing secret in ' + dir + ': mongodb_orders_password',
    );
  }, 30_000);
});

describe('lab secrets (CLI)', () => {
  test('init, show-names and path never print a secret value, on stdout, stderr or in the run log', () => {
    const env = {
      LAB_STATE_DIR: state,
      LAB_SLACK_WEBHOOK_URL: 'https://hooks.example.test/T9/B9/very-secret-token',
    };
    const init = runLab(['secrets', 'init'], { env });
    expect(init.status).toBe(0);
    const names = runLab(['secrets', 'show-names'], { env });
    const json = runLab(['--json', 'secrets', 'show-names'], { env });
    const where = runLab(['secrets', 'path'], { env });
    expect(names.status).toBe(0);
    expect(where.stdout.trim()).toBe(dir);
    expect(JSON.parse(json.stdout).secrets.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining([...GENERATED_SECRETS, ADMIN_KEY, SLACK_WEBHOOK_SECRET]),
    );
    expect(names.stdout).toContain('registry_password');
    expect(names.stdout).toContain(path.join(dir, 'registry_password'));

    const logs = readdirSync(path.join(state, 'logs')).map((f) =>
      readFileSync(path.join(state, 'logs', f), 'utf8'),
    );
    const printed = [init, names, json, where]
      .flatMap((r) => [r.stdout, r.stderr])
      .concat(logs)
      .join('\n');
    const values = Object.entries(readAll())
      .filter(([f]) => !f.endsWith('.pub'))
      .map(([, v]) => v.trim());
    expect(values.length).toBeGreaterThanOrEqual(GENERATED_SECRETS.length + 2);
    for (const v of values) {
      // Whole value, and any 12-character slice of it (a partly printed secret is a leak too).
      expect(printed).not.toContain(v);
      expect(printed).not.toContain(v.slice(8, 20));
    }
    expect(printed).not.toContain('very-secret-token');
  }, 60_000);
});
