// `lab loadtest` as a user runs it: the built CLI in a child process against a local shop
// server in this process (spawned asynchronously so that the server keeps answering).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cliPath, repoRoot, STACK_LINE } from '../../../test/support/cli.js';
import { freePort } from '../../../test/support/net.js';
import { describeWithTools } from '../../../test/support/tools.js';
import { startLocalShop, type LocalShop } from '../../../jmeter/tests/support/local-shop-server.js';
import { jmeterForTests, tempRunDir } from '../../../jmeter/tests/support/jmeter.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function lab(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<Run> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`make build\` first`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const TYPO_THRESHOLDS = path.join(tempRunDir('lab-cli-typo-'), 'thresholds.yml');
writeFileSync(TYPO_THRESHOLDS, 'version: 1\nlabels:\n  view_product: { p95: "< 3OOms" }\n');

let shop: LocalShop;
let state: string;
const env = () => ({ LAB_STATE_DIR: state, LAB_JMETER: jmeterForTests() });
const runFolders = () =>
  existsSync(path.join(state, 'runs')) ? readdirSync(path.join(state, 'runs')) : [];

beforeAll(async () => {
  shop = await startLocalShop();
  state = tempRunDir('lab-state-');
});
afterAll(() => shop.close());

describe('lab loadtest: bad input and missing things fail before JMeter starts', () => {
  const cases: [string, string[], number, RegExp][] = [
    [
      'unknown plan',
      ['--plan', 'basline'],
      2,
      /unknown plan "basline"[\s\S]*hint: use one of: baseline, smoke, spike, stress/,
    ],
    ['malformed -J', ['-J', 'threads'], 2, /-J "threads": expected key=value/],
    [
      'thresholds with a typo',
      ['--thresholds', TYPO_THRESHOLDS],
      2,
      /labels\.view_product\.p95 \(line 3\): '< 3OOms' is not a duration limit/,
    ],
    [
      'thresholds for labels the plan does not produce',
      ['--plan', 'smoke'],
      2,
      /jmeter\/thresholds\.yml has limits for search_catalog, view_product, place_order, which plan smoke does not produce \(its labels: healthz_catalog, healthz_orders, browse_catalog\)[\s\S]*--no-gate/,
    ],
    ['non-numeric threads', ['--threads', 'many'], 2, /--threads "many": must be a whole number/],
    ['bad property value', ['-J', 'duration=soon'], 2, /duration=soon: must be a whole number/],
    [
      'missing data file',
      ['-J', 'data_file=/nonexistent/shoppers.csv'],
      2,
      /data file \/nonexistent\/shoppers.csv does not exist/,
    ],
    ['bad target', ['--env', 'ftp://127.0.0.1'], 2, /only http and https URLs/],
  ];
  // Each case is a CLI start (~1 s of Node): run them all at once, then check each.
  const results = new Map<string, Run>();
  let closedPort: number;
  let foldersBefore: number;
  beforeAll(async () => {
    closedPort = await freePort();
    foldersBefore = runFolders().length;
    const runs: [string, Promise<Run>][] = [
      ...cases.map(([what, args]): [string, Promise<Run>] => [
        what,
        lab(['loadtest', '--env', shop.url, ...args], env()),
      ]),
      [
        'unreachable',
        lab(
          ['loadtest', '--env', `http://127.0.0.1:${closedPort}`, '--plan', 'smoke', '--no-gate'],
          env(),
        ),
      ],
      [
        'no jmeter',
        lab(['loadtest', '--env', shop.url, '--plan', 'smoke', '--no-gate'], {
          ...env(),
          LAB_JMETER: '/nonexistent/bin/jmeter',
        }),
      ],
      [
        'dry run',
        lab(
          [
            '--dry-run',
            'loadtest',
            '--env',
            shop.url,
            '--plan',
            'smoke',
            '--threads',
            '3',
            '--no-gate',
          ],
          env(),
        ),
      ],
    ];
    for (const [what, run] of runs) results.set(what, await run);
  }, 60_000);

  for (const [what, , code, message] of cases) {
    test(what, () => {
      const r = results.get(what)!;
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(code);
      expect(r.stderr).not.toMatch(STACK_LINE);
    });
  }

  test('an unreachable target is a missing prerequisite (exit 4)', () => {
    const r = results.get('unreachable')!;
    expect(r.stderr).toContain(`cannot reach http://127.0.0.1:${closedPort}: ECONNREFUSED`);
    expect(r.status).toBe(4);
  });

  test('a JMeter command that does not exist (exit 4, says how to point at one)', () => {
    const r = results.get('no jmeter')!;
    expect(r.stderr).toContain('/nonexistent/bin/jmeter is not installed');
    expect(r.stderr).toContain(
      'hint: install Apache JMeter 5.6 (`jmeter` on PATH), or set LAB_JMETER to a JMeter command',
    );
    expect(r.status).toBe(4);
  });

  test('--dry-run shows the JMeter command and runs nothing', () => {
    const r = results.get('dry run')!;
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/would run \(timeout 70 s\): \S+ -n -t \S+smoke\.jmx -l /);
    expect(r.stdout).toContain(`-Jport=${shop.port}`);
    expect(r.stdout).toContain('-Jthreads=3');
  });

  test('none of them left a run folder behind', () => {
    expect(runFolders().length).toBe(foldersBefore);
  });
});

describeWithTools(['jmeter', 'java'], 'lab loadtest with a real JMeter', () => {
  const QUICK = [
    '--threads',
    '2',
    '-J',
    'iterations=8',
    '-J',
    'think_time=20',
    '-J',
    'think_jitter=20',
    '-J',
    'rampup=1',
  ];

  test('a failing gate: progress on stderr, the label table and the verdict on stdout, exit 1, files in the run folder', async () => {
    const thresholds = path.join(tempRunDir('lab-cli-thresholds-'), 'thresholds.yml');
    writeFileSync(
      thresholds,
      'version: 1\nmin_samples: 2\noverall:\n  min_samples: 10\n  throughput: "> 100000/s"\nlabels:\n  view_product: { errors: "< 1%" }\n',
    );
    const r = await lab(
      ['loadtest', '--env', shop.url, '--plan', 'baseline', ...QUICK, '--thresholds', thresholds],
      env(),
    );
    expect(r.stderr).toMatch(
      /^load test: plan baseline → http:\/\/127\.0\.0\.1:\d+ \(60 s scheduled, timeout 120 s; /m,
    );
    expect(r.stderr).toMatch(
      /^\d:\d\d\/1:00 {2}samples \d+ {2}errors 0 \(0\.00%\) {2}now [\d.]+\/s/m,
    );
    expect(r.stdout).toMatch(/^label +samples +errors +throughput +p50 +p95 +max$/m);
    expect(r.stdout).toMatch(/^view_product +16 +0\.00%/m);
    expect(r.stdout).toMatch(/Performance gate: FAIL — 1 of \d+ checks failed/);
    expect(r.stdout).toMatch(/overall +throughput .* > 100000\/s +✗/);
    expect(r.status).toBe(1);
    const runDir = /^run folder: (.+)$/m.exec(r.stdout)?.[1] ?? '';
    expect(runDir.startsWith(path.join(state, 'runs'))).toBe(true);
    for (const f of [
      'results.jtl',
      'jmeter.log',
      'loadtest.json',
      'junit.xml',
      'summary.json',
      'report.html',
    ]) {
      expect([f, existsSync(path.join(runDir, f))]).toEqual([f, true]);
    }
  }, 120_000);

  test('--json --no-gate: the run result as JSON, exit 0', async () => {
    const r = await lab(
      ['--json', 'loadtest', '--env', shop.url, '--plan', 'smoke', ...QUICK, '--no-gate'],
      env(),
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout) as {
      samples: number;
      gate: unknown;
      labels: Record<string, { count: number }>;
      plan: { name: string };
    };
    expect(result.plan.name).toBe('smoke');
    expect(result.samples).toBe(2 * 8 * 3);
    expect(Object.keys(result.labels).sort()).toEqual([
      'browse_catalog',
      'healthz_catalog',
      'healthz_orders',
    ]);
    expect(result.gate).toBeNull();
  }, 120_000);
});
