// The lab's generated secrets: one file per secret in the state folder (.lab/secrets/, dir 0700,
// files 0600), created once and never overwritten, plus the lab admin's SSH keypair. Values
// never leave this module: callers get names, paths and what happened, never the content.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { ExitCode, LabError } from '../errors.js';
import type { Exec } from '../exec/index.js';

/** Passwords generated for every lab (names are the contract with the Ansible roles). */
export const GENERATED_SECRETS = [
  'jenkins_admin_password',
  'grafana_admin_password',
  'mongodb_root_password',
  'mongodb_catalog_password',
  'mongodb_orders_password',
  'registry_password',
] as const;

/** Written only when the user provides it (environment), updated when it changes. */
export const SLACK_WEBHOOK_SECRET = 'alertmanager_slack_webhook_url';
export const SLACK_WEBHOOK_ENV = 'LAB_SLACK_WEBHOOK_URL';

/** The lab admin user's SSH keypair (private key + `.pub`). */
export const ADMIN_KEY = 'lab_admin_ed25519';

/** 24 random bytes → 32 URL-safe characters (no quoting issues in YAML, URLs or shells). */
export const SECRET_BYTES = 24;

export type SecretStatus = 'created' | 'kept' | 'updated' | 'present' | 'absent';

export interface SecretEntry {
  name: string;
  path: string;
  status: SecretStatus;
  /** Why a secret is absent or how it was obtained (never the value). */
  note?: string;
}

export interface InitOptions {
  dir: string;
  exec: Exec;
  env?: NodeJS.ProcessEnv;
  /** Injected for tests; must return `n` random bytes. */
  random?: (n: number) => Buffer;
}

export const generateSecret = (random: (n: number) => Buffer = randomBytes): string =>
  random(SECRET_BYTES).toString('base64url');

/** Creates the folder 0700 (and tightens it when it already exists). */
function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  } catch (e) {
    throw new LabError(
      ExitCode.PREREQUISITE,
      `cannot create the secrets folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      'check the permissions of the lab state folder (LAB_STATE_DIR or .lab/)',
    );
  }
}

/** Writes a new file 0600; fails instead of replacing an existing one (flag `wx`). */
function writeNew(file: string, value: string): void {
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

/** Replaces a file atomically (temp file 0600 + rename), for values the user may change. */
function replace(file: string, value: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${value}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** An existing secret keeps its value; only a too-open mode is tightened. */
function keep(file: string): void {
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

async function ensureAdminKey(dir: string, exec: Exec): Promise<SecretEntry[]> {
  const key = path.join(dir, ADMIN_KEY);
  const pub = `${key}.pub`;
  if (existsSync(key) && existsSync(pub)) {
    keep(key);
    return [
      { name: ADMIN_KEY, path: key, status: 'kept' },
      { name: `${ADMIN_KEY}.pub`, path: pub, status: 'kept' },
    ];
  }
  if (existsSync(key)) {
    // The public half can always be derived from the private key: never replace the key.
    keep(key);
    const r = await exec('ssh-keygen', ['-y', '-f', key], {
      timeoutMs: 30_000,
      hint: `check ${key} is an OpenSSH private key without a passphrase`,
    });
    writeFileSync(pub, `${r.stdout.trim()}\n`, { mode: 0o644 });
    return [
      { name: ADMIN_KEY, path: key, status: 'kept' },
      {
        name: `${ADMIN_KEY}.pub`,
        path: pub,
        status: 'created',
        note: 'derived from the existing private key',
      },
    ];
  }
  // A public key without its private half is useless: replace the pair.
  rmSync(pub, { force: true });
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lab-admin', '-f', key], {
    timeoutMs: 30_000,
    hint: 'install OpenSSH (Debian: apt-get install openssh-client)',
  });
  chmodSync(key, 0o600);
  return [
    { name: ADMIN_KEY, path: key, status: 'created' },
    { name: `${ADMIN_KEY}.pub`, path: pub, status: 'created' },
  ];
}

function ensureSlackWebhook(dir: string, env: NodeJS.ProcessEnv): SecretEntry {
  const file = path.join(dir, SLACK_WEBHOOK_SECRET);
  const url = env[SLACK_WEBHOOK_ENV]?.trim();
  if (!url) {
    return existsSync(file)
      ? {
          name: SLACK_WEBHOOK_SECRET,
          path: file,
          status: 'kept',
          note: `${SLACK_WEBHOOK_ENV} is unset; the earlier value stays`,
        }
      : {
          name: SLACK_WEBHOOK_SECRET,
          path: file,
          status: 'absent',
          note: `set ${SLACK_WEBHOOK_ENV} to alert to Slack`,
        };
  }
  if (!/^https:\/\/\S+$/.test(url)) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `${SLACK_WEBHOOK_ENV} is not an https:// URL`,
      'copy the incoming-webhook URL from Slack (it starts with https://), or unset the variable',
    );
  }
  if (!existsSync(file)) {
    writeNew(file, url);
    return {
      name: SLACK_WEBHOOK_SECRET,
      path: file,
      status: 'created',
      note: `from ${SLACK_WEBHOOK_ENV}`,
    };
  }
  if (readFileSync(file, 'utf8').trim() === url) {
    keep(file);
    return { name: SLACK_WEBHOOK_SECRET, path: file, status: 'kept' };
  }
  replace(file, url);
  return {
    name: SLACK_WEBHOOK_SECRET,
    path: file,
    status: 'updated',
    note: `${SLACK_WEBHOOK_ENV} changed`,
  };
}

/** Generates whatever is missing; never overwrites a generated secret. Idempotent. */
export async function initSecrets(options: InitOptions): Promise<SecretEntry[]> {
  const { dir, exec, env = process.env, random = randomBytes } = options;
  ensurePrivateDir(dir);
  const entries: SecretEntry[] = [];
  for (const name of GENERATED_SECRETS) {
    const file = path.join(dir, name);
    if (existsSync(file)) {
      keep(file);
      entries.push({ name, path: file, status: 'kept' });
    } else {
      writeNew(file, generateSecret(random));
      entries.push({ name, path: file, status: 'created' });
    }
  }
  entries.push(...(await ensureAdminKey(dir, exec)));
  entries.push(ensureSlackWebhook(dir, env));
  return entries;
}

/** What exists now, without creating anything (names and paths only). */
export function listSecrets(dir: string): SecretEntry[] {
  const names = [...GENERATED_SECRETS, ADMIN_KEY, `${ADMIN_KEY}.pub`, SLACK_WEBHOOK_SECRET];
  return names.map((name) => {
    const file = path.join(dir, name);
    const present = existsSync(file);
    return {
      name,
      path: file,
      status: present ? 'present' : 'absent',
      note: present
        ? undefined
        : name === SLACK_WEBHOOK_SECRET
          ? `optional: set ${SLACK_WEBHOOK_ENV}`
          : 'run `lab secrets init`',
    };
  });
}

/** The secrets a converge needs; missing ones are named in one message. */
export function assertSecretsPresent(dir: string): void {
  const missing = [...GENERATED_SECRETS, ADMIN_KEY, `${ADMIN_KEY}.pub`].filter(
    (n) => !existsSync(path.join(dir, n)),
  );
  if (missing.length > 0) {
    throw new LabError(
      ExitCode.PREREQUISITE,
      `missing secret${missing.length === 1 ? '' : 's'} in ${dir}: ${missing.join(', ')}`,
      'run `lab secrets init` (it only creates what is missing)',
    );
  }
}
