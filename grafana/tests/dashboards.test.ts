// The provisioned dashboards: they parse, refer to the datasource only by its provisioned uid,
// and every panel query, annotation query and variable query returns data from a real
// Prometheus scraping real exporters (see stack.ts).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describeWithTools } from '../../test/support/tools.js';
import { ROOT, instantQuery, startStack, substitute, type Stack } from './stack.js';

interface Target {
  expr?: string;
  refId?: string;
  datasource?: unknown;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: unknown;
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; datasource?: unknown; query: { query: string } | string }[] };
  annotations: { list: { name: string; datasource?: unknown; expr?: string; builtIn?: number }[] };
}

const DASH_DIR = path.join(ROOT, 'grafana/dashboards');
const files = readdirSync(DASH_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const dashboards = files.map((f) => ({
  file: f,
  d: JSON.parse(readFileSync(path.join(DASH_DIR, f), 'utf8')) as Dashboard,
}));

const datasource = YAML.parse(
  readFileSync(path.join(ROOT, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
) as {
  datasources: { uid: string; type: string }[];
};
const PROVISIONED_UID = datasource.datasources[0]!.uid;

/** Every query of a dashboard, with where it comes from. */
function queries(d: Dashboard): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  const walk = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? [])
        out.push({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr ?? '' });
      walk(p.panels ?? []);
    }
  };
  walk(d.panels);
  for (const a of d.annotations.list)
    if (!a.builtIn) out.push({ where: `annotation "${a.name}"`, expr: a.expr ?? '' });
  for (const v of d.templating.list) {
    const q = typeof v.query === 'string' ? v.query : v.query.query;
    // label_values(selector, label): the selector must match series that carry the label.
    const m = /^label_values\((.*),\s*(\w+)\)$/.exec(q.trim());
    out.push({ where: `variable $${v.name}`, expr: m ? `count by (${m[2]}) (${m[1]})` : q });
  }
  return out;
}

/** Every datasource reference anywhere in the JSON (panels, targets, annotations, variables). */
function datasourceRefs(node: unknown, at = '$'): { at: string; ref: unknown }[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => datasourceRefs(n, `${at}[${i}]`));
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) =>
      k === 'datasource' ? [{ at: `${at}.${k}`, ref: v }] : datasourceRefs(v, `${at}.${k}`),
    );
  }
  return [];
}

describe('Grafana provisioning files', () => {
  test('the datasource has the fixed uid and the dashboards provider loads grafana/dashboards', () => {
    expect(datasource.datasources).toHaveLength(1);
    expect(PROVISIONED_UID).toBe('prometheus');
    expect(datasource.datasources[0]!.type).toBe('prometheus');
    const provider = YAML.parse(
      readFileSync(path.join(ROOT, 'grafana/provisioning/dashboards/lab.yml'), 'utf8'),
    ) as {
      providers: { type: string; options: { path: string } }[];
    };
    expect(provider.providers[0]!.type).toBe('file');
    expect(path.isAbsolute(provider.providers[0]!.options.path)).toBe(true);
  });

  test('the four dashboards exist with unique uids', () => {
    expect(files).toEqual(['containers.json', 'hosts.json', 'releases.json', 'services.json']);
    expect(new Set(dashboards.map(({ d }) => d.uid)).size).toBe(files.length);
  });

  test.each(dashboards.map(({ file, d }) => [file, d] as const))(
    '%s refers to the datasource by uid only',
    (_f, d) => {
      const refs = datasourceRefs(d).filter(
        ({ ref }) => JSON.stringify(ref) !== '{"type":"grafana","uid":"-- Grafana --"}',
      );
      expect(refs.length).toBeGreaterThan(0);
      const wrong = refs.filter(
        ({ ref }) =>
          JSON.stringify(ref) !== JSON.stringify({ type: 'prometheus', uid: PROVISIONED_UID }),
      );
      expect(wrong).toEqual([]);
    },
  );

  test('every recording rule a dashboard uses is defined in prometheus/rules', () => {
    const rulesDir = path.join(ROOT, 'prometheus/rules');
    const recorded = new Set(
      readdirSync(rulesDir)
        .filter((f) => f.endsWith('.yml'))
        .flatMap(
          (f) =>
            (
              YAML.parse(readFileSync(path.join(rulesDir, f), 'utf8')) as {
                groups: { rules: { record?: string }[] }[];
              }
            ).groups,
        )
        .flatMap((g) => g.rules.map((r) => r.record).filter((r): r is string => !!r)),
    );
    const used = new Set(
      dashboards.flatMap(({ d }) =>
        queries(d).flatMap((q) => q.expr.match(/[a-z_]+:[a-z0-9_:]+/g) ?? []),
      ),
    );
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((m) => !recorded.has(m))).toEqual([]);
  });

  test.each(dashboards.map(({ file, d }) => [file, d] as const))(
    '%s: every panel has at least one query',
    (_f, d) => {
      const empty = d.panels.filter(
        (p) => p.type !== 'row' && !(p.targets ?? []).some((t) => t.expr),
      );
      expect(empty.map((p) => p.title)).toEqual([]);
    },
  );
});

describeWithTools(
  ['prometheus', 'pushgateway', 'nginx', 'node-exporter', 'nginx-exporter'],
  'every dashboard query returns data from a real Prometheus',
  () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack();
    }, 60_000);
    afterAll(async () => {
      await stack?.stop();
    });

    test('all panel, annotation and variable queries return at least one series', async () => {
      const all = dashboards.flatMap(({ file, d }) =>
        queries(d).map((q) => ({ ...q, file, expr: substitute(q.expr) })),
      );
      expect(all.length).toBeGreaterThan(40);
      // Bounded: rate() needs two scrapes, recording rules one evaluation, changes() a restart.
      const deadline = Date.now() + 45_000;
      let empty = all;
      for (let round = 0; round < 100 && Date.now() < deadline; round++) {
        const results = await Promise.all(
          empty.map(async (q) => ({ q, n: (await instantQuery(stack.promUrl, q.expr)).length })),
        );
        empty = results.filter((r) => r.n === 0).map((r) => r.q);
        if (empty.length === 0) break;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      expect(empty.map((q) => `${q.file} ${q.where}: ${q.expr}`)).toEqual([]);
    }, 90_000);
  },
);
