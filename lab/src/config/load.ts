// Layered config: lab.config.yml → lab.local.yml (optional, git-ignored) → environment →
// flags. Validated once; every problem is reported at once with its path and a hint.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ExitCode, LabError } from '../errors.js';
import { readUserFile } from '../files.js';
import { repoRoot } from '../state.js';
import {
  applyProfile,
  labConfigSchema,
  semanticIssues,
  type ConfigIssue,
  type HostFacts,
  type LabConfigInput,
} from './schema.js';

export const CONFIG_FILE = 'lab.config.yml';
export const LOCAL_FILE = 'lab.local.yml';

export interface LoadOptions {
  /** Main config file; default lab.config.yml at the repository root (or $LAB_CONFIG). */
  file?: string;
  /** Local override; default lab.local.yml beside the main file (or $LAB_LOCAL_CONFIG). */
  localFile?: string | false;
  env?: NodeJS.ProcessEnv;
  flags?: { provider?: string; profile?: string };
  host?: HostFacts;
}

export interface LoadedConfig {
  /** Effective config (profile applied). */
  config: LabConfigInput;
  /** The files that were read, in layer order. */
  sources: string[];
}

export class ConfigError extends LabError {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      ExitCode.INVALID_INPUT,
      `${path.relative(process.cwd(), file) || file}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the lab config`,
      'fix them and run `lab config validate` again; nothing was changed',
      issues.map((i) => `${i.path}: ${i.message}${i.hint ? ` (${i.hint})` : ''}`),
    );
  }
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads one YAML layer; syntax errors carry line and column. */
function readLayer(file: string): Plain {
  const text = readUserFile(file, 'config file', 'check the path, or run from the lab repository');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((err) => {
        const pos = lineCounter.linePos(err.pos[0]);
        return {
          path: `line ${pos.line}, column ${pos.col}`,
          message: `invalid YAML: ${err.message.split('\n')[0]}`,
          hint: 'check indentation, colons and quotes',
        };
      }),
    );
  }
  if (doc.contents === null) {
    throw new ConfigError(file, [
      { path: '(file)', message: 'is empty', hint: `start from ${CONFIG_FILE}` },
    ]);
  }
  if (!isMap(doc.contents)) {
    throw new ConfigError(file, [
      {
        path: '(file)',
        message: `must be a mapping of settings, not ${isSeq(doc.contents) ? 'a list' : 'a single value'}`,
        hint: `start from ${CONFIG_FILE}`,
      },
    ]);
  }
  return doc.toJS() as Plain;
}

/** Deep merge; `nodes` lists are merged by node name (override patches, new names append). */
export function mergeLayers(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    if (key === 'nodes' && Array.isArray(current) && Array.isArray(value)) {
      const merged = current.map((n) => (isPlain(n) ? { ...n } : n));
      for (const patch of value) {
        const idx = isPlain(patch)
          ? merged.findIndex((n) => isPlain(n) && n.name === patch.name)
          : -1;
        if (idx >= 0 && isPlain(patch)) merged[idx] = mergeLayers(merged[idx] as Plain, patch);
        else merged.push(patch);
      }
      out[key] = merged;
    } else if (isPlain(current) && isPlain(value)) {
      out[key] = mergeLayers(current, value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function envLayer(env: NodeJS.ProcessEnv, issues: ConfigIssue[]): Plain {
  const layer: Plain = {};
  if (env.LAB_PROVIDER) layer.provider = env.LAB_PROVIDER;
  if (env.LAB_PROFILE) layer.profile = env.LAB_PROFILE;
  if (env.LAB_REPLICAS) {
    const n = Number(env.LAB_REPLICAS);
    if (!Number.isInteger(n)) {
      issues.push({
        path: 'env LAB_REPLICAS',
        message: `"${env.LAB_REPLICAS}" is not a whole number`,
        hint: 'set LAB_REPLICAS to 1..8 or unset it',
      });
    } else layer.app = { replicas: n };
  }
  return layer;
}

const describeValue = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? `a list of ${v.length}`
      : typeof v === 'object'
        ? 'a mapping'
        : `${typeof v} ${JSON.stringify(v)}`;

function valueAt(root: unknown, keys: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k as string];
  }
  return cur;
}

const formatPath = (keys: readonly PropertyKey[]): string =>
  keys.reduce<string>(
    (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    '',
  ) || '(top level)';

/** Turns zod's issues into user-facing ones: what was found, what is expected, what to do. */
export function schemaIssues(error: z.ZodError, raw: unknown): ConfigIssue[] {
  return error.issues.map((issue) => {
    const where = formatPath(issue.path);
    const found = valueAt(raw, issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        return {
          path: where,
          message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
          hint: 'check the spelling against lab.config.yml; unknown keys are rejected, not ignored',
        };
      case 'invalid_type':
        return found === undefined
          ? {
              path: where,
              message: `is missing (expected ${issue.expected})`,
              hint: 'add it; see lab.config.yml for an example',
            }
          : {
              path: where,
              message: `must be ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}, found ${describeValue(found)}`,
            };
      case 'invalid_value':
        return {
          path: where,
          message: `${JSON.stringify(found)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        };
      case 'too_small':
      case 'too_big': {
        if (!/^Too (small|big)/.test(issue.message)) return { path: where, message: issue.message };
        const bound =
          issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
        const what =
          issue.origin === 'number' || issue.origin === 'int'
            ? `must be ${bound}`
            : issue.origin === 'array'
              ? `must have ${bound} item(s)`
              : `must be ${bound} characters long`;
        return { path: where, message: `${what}, found ${describeValue(found)}` };
      }
      case 'custom':
        return { path: where, message: issue.message };
      default:
        return {
          path: where,
          message: `${issue.message}${found !== undefined ? `, found ${describeValue(found)}` : ''}`,
        };
    }
  });
}

export function hostFacts(): HostFacts {
  return { totalMemoryMb: Math.floor(os.totalmem() / 1024 / 1024) };
}

/** Validates a raw (merged) config object; throws ConfigError listing every issue. */
export function validateRaw(
  raw: Plain,
  file: string,
  host: HostFacts,
  preIssues: ConfigIssue[] = [],
): LabConfigInput {
  const parsed = labConfigSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(file, [...preIssues, ...schemaIssues(parsed.error, raw)]);
  const issues = [...preIssues, ...semanticIssues(parsed.data, host)];
  if (issues.length > 0) throw new ConfigError(file, issues);
  return applyProfile(parsed.data);
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const file = path.resolve(options.file ?? env.LAB_CONFIG ?? path.join(repoRoot(), CONFIG_FILE));
  const sources = [file];
  let raw = readLayer(file);

  const localFile =
    options.localFile === false
      ? null
      : path.resolve(
          options.localFile ?? env.LAB_LOCAL_CONFIG ?? path.join(path.dirname(file), LOCAL_FILE),
        );
  if (localFile && existsSync(localFile)) {
    raw = mergeLayers(raw, readLayer(localFile));
    sources.push(localFile);
  }

  const preIssues: ConfigIssue[] = [];
  raw = mergeLayers(raw, envLayer(env, preIssues));
  const flags: Plain = {};
  if (options.flags?.provider) flags.provider = options.flags.provider;
  if (options.flags?.profile) flags.profile = options.flags.profile;
  raw = mergeLayers(raw, flags);

  const config = validateRaw(
    raw,
    sources[sources.length - 1] ?? file,
    options.host ?? hostFacts(),
    preIssues,
  );
  return { config, sources };
}
