// The JMeter plans under jmeter/plans/ and what the runner needs to know about one before it
// starts JMeter: which file, which properties it reads, and how long its schedule lasts (for the
// hard timeout). Plans are read as text: every value the runner needs is a `${__P(name,default)}`
// property or a literal, by the plans' own convention.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, LabError } from '../errors.js';
import { repoRoot } from '../state.js';

export const plansDir = (root = repoRoot()): string => path.join(root, 'jmeter', 'plans');

export interface Plan {
  /** Short name (file name without .jmx). */
  name: string;
  file: string;
  text: string;
}

export function listPlans(dir = plansDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jmx'))
    .map((f) => f.slice(0, -'.jmx'.length))
    .sort();
}

/** A plan by name (`baseline`) or by path to a .jmx file. */
export function resolvePlan(nameOrFile: string, dir = plansDir()): Plan {
  const looksLikePath = nameOrFile.includes('/') || nameOrFile.endsWith('.jmx');
  const file = looksLikePath ? path.resolve(nameOrFile) : path.join(dir, `${nameOrFile}.jmx`);
  if (!existsSync(file) || !statSync(file).isFile()) {
    const known = listPlans(dir);
    throw new LabError(
      ExitCode.INVALID_INPUT,
      looksLikePath ? `plan file ${nameOrFile} does not exist` : `unknown plan "${nameOrFile}"`,
      known.length > 0
        ? `use one of: ${known.join(', ')} (jmeter/plans/), or a path to a .jmx file`
        : 'give a path to a .jmx file',
    );
  }
  const text = readFileSync(file, 'utf8');
  if (!/<jmeterTestPlan\b/.test(text)) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `${file} is not a JMeter test plan (no <jmeterTestPlan> element)`,
      'pass a .jmx file saved by JMeter',
    );
  }
  return { name: path.basename(file, '.jmx'), file, text };
}

const PROPERTY_REF = /\$\{__P\(\s*([\w.-]+)\s*(?:,([^)]*))?\)\}/g;

/** The properties a plan reads with `${__P(name,default)}`, with their defaults. */
export function planProperties(text: string): Map<string, string | undefined> {
  const props = new Map<string, string | undefined>();
  for (const m of text.matchAll(PROPERTY_REF)) {
    const name = m[1] as string;
    if (!props.has(name) || props.get(name) === undefined) props.set(name, m[2]?.trim());
  }
  return props;
}

/**
 * Evaluates a thread-group setting to seconds: a literal number, empty (0), or a single
 * `${__P(name,default)}` looked up in `props`. Anything else (a function, a variable) → null.
 */
export function evaluateSeconds(
  expr: string,
  props: Readonly<Record<string, string>>,
): number | null {
  const s = expr.trim();
  if (s === '') return 0;
  const m = /^\$\{__P\(\s*([\w.-]+)\s*(?:,([^)]*))?\)\}$/.exec(s);
  const value = m ? (props[m[1] as string] ?? m[2]?.trim() ?? '') : s;
  if (!/^\d+(\.\d+)?$/.test(value.trim())) return null;
  return Number(value);
}

export interface ThreadGroupSchedule {
  name: string;
  /** Seconds after the start of the test. */
  delay: number;
  duration: number;
}

/**
 * How long the plan runs, from its thread groups' scheduler settings (delay + duration) with
 * the given properties. null when a thread group has no scheduler or a setting the runner
 * cannot evaluate: then only the hard timeout bounds the run.
 */
export function planSchedule(
  text: string,
  props: Readonly<Record<string, string>>,
): { seconds: number; groups: ThreadGroupSchedule[] } | null {
  const groups: ThreadGroupSchedule[] = [];
  const blocks = text.matchAll(/<ThreadGroup\b([^>]*)>([\s\S]*?)<\/ThreadGroup>/g);
  for (const [, attrs, body] of blocks) {
    const name = /testname="([^"]*)"/.exec(attrs ?? '')?.[1] ?? 'thread group';
    const prop = (key: string) =>
      new RegExp(`<(?:string|long|int)Prop name="ThreadGroup\\.${key}">([^<]*)</`).exec(
        body ?? '',
      )?.[1];
    if (!/<boolProp name="ThreadGroup\.scheduler">true</.test(body ?? '')) return null;
    const duration = evaluateSeconds(prop('duration') ?? '', props);
    const delay = evaluateSeconds(prop('delay') ?? '', props);
    if (duration === null || delay === null || duration <= 0) return null;
    groups.push({ name, delay, duration });
  }
  if (groups.length === 0) return null;
  return { seconds: Math.max(...groups.map((g) => g.delay + g.duration)), groups };
}

const unescapeXml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * The labels a plan's samples carry: the names of its enabled samplers and transaction
 * controllers, in plan order, each once. (JMeter labels a sample with its sampler's name.)
 */
export function planLabels(text: string): string[] {
  const labels: string[] = [];
  for (const m of text.matchAll(/<(\w*Sampler\w*|TransactionController)\s([^>]*)>/g)) {
    const attrs = m[2] ?? '';
    if (/\benabled="false"/.test(attrs)) continue;
    const name = /\btestname="([^"]*)"/.exec(attrs)?.[1];
    if (name !== undefined && !labels.includes(unescapeXml(name))) labels.push(unescapeXml(name));
  }
  return labels;
}
