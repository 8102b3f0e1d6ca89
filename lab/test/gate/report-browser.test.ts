// report.html in a REAL headless Chromium (Debian's, driven by playwright-core): it opens
// without console errors or network requests, shows the verdict table and the charts, and a
// screenshot is saved to .lab/test-artifacts/gate-report.png. The same browser checks that
// junit.xml is well-formed XML.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { runGate, type GateReport } from '../../src/gate/index.js';
import { statePaths } from '../../src/state.js';
import { describeWithTools, which } from '../../../test/support/tools.js';
import { jtlText, samples, tempDir, writeFile } from './support.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describeWithTools(['chromium'], 'gate report in headless Chromium', () => {
  const dir = tempDir();
  let profile: string;
  let context: BrowserContext;
  let report: GateReport;

  beforeAll(async () => {
    // Five minutes of four labels; place_order slows down in the middle and fails 3% of the time.
    const results = writeFile(
      dir,
      'results.jtl',
      jtlText(
        samples(
          [
            {
              label: 'browse_catalog',
              count: 6000,
              elapsed: (_i, r) => 30 + Math.floor(r() * r() * 250),
            },
            {
              label: 'search_catalog',
              count: 3000,
              elapsed: (_i, r) => 60 + Math.floor(r() * r() * 400),
            },
            {
              label: 'view_product',
              count: 3000,
              elapsed: (_i, r) => 15 + Math.floor(r() * r() * 120),
            },
            {
              label: 'place_order',
              count: 1200,
              elapsed: (i, r) => (i > 450 && i < 800 ? 700 : 120) + Math.floor(r() * 300),
              errorEvery: 33,
            },
          ],
          { durationMs: 300_000 },
        ),
      ),
    );
    report = await runGate({
      results,
      thresholds: path.resolve(import.meta.dirname, '../../../jmeter/thresholds.yml'),
      outDir: path.join(dir, 'out'),
      env: 'staging',
      release: 'v1.4.0-demo',
    });
    profile = mkdtempSync(path.join(os.tmpdir(), 'lab-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: which('chromium') ?? which('chromium-browser')!,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1024, height: 1400 },
      timeout: 60_000,
    });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  test('opens without console errors or requests, shows the verdict table and the charts', async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(report.outputs.html).href;
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });

    expect(problems).toEqual([]);
    expect(requests).toEqual([url]); // self-contained: nothing else is fetched

    await expect(page.locator('#verdict').textContent()).resolves.toBe(
      report.verdict.toUpperCase(),
    );
    const rows = page.locator('#checks tbody tr');
    const skipped = report.checks.filter((c) => c.status === 'skip').length;
    expect(await rows.count()).toBe(report.checks.length - skipped);
    expect(await page.locator('#skipped tbody tr').count()).toBe(skipped);
    // failures come first
    expect(await rows.first().getAttribute('class')).toBe('fail');
    expect(await page.locator('#checks').isVisible()).toBe(true);
    expect(await page.locator('#checks tr.fail').count()).toBe(
      report.checks.filter((c) => c.status === 'fail').length,
    );

    const chart = page.locator('#latency-chart');
    expect(await chart.isVisible()).toBe(true);
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(500);
    expect(box!.height).toBeGreaterThan(200);
    // one line per label, each with many points
    const lines = await page
      .locator('#latency-chart path')
      .evaluateAll((ps) => ps.map((p) => (p.getAttribute('d') ?? '').split('L').length));
    expect(lines).toHaveLength(4);
    for (const points of lines) expect(points).toBeGreaterThan(50);
    expect(await page.locator('#throughput-chart rect').count()).toBeGreaterThan(0); // error bars

    const shots = path.join(statePaths().root, 'test-artifacts');
    mkdirSync(shots, { recursive: true });
    const file = path.join(shots, 'gate-report.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  }, 60_000);

  test('junit.xml is well-formed XML with one testcase per check', async () => {
    const page = await context.newPage();
    const xml = readFileSync(report.outputs.junit, 'utf8');
    // Evaluated in the page (a browser's XML parser); a string keeps DOM types out of Node's tsconfig.
    const parsed = await page.evaluate(`(() => {
      const doc = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        cases: doc.getElementsByTagName('testcase').length,
        failures: doc.getElementsByTagName('failure').length,
      };
    })()`);
    expect(parsed).toEqual({
      errors: 0,
      cases: report.checks.length,
      failures: report.checks.filter((c) => c.status === 'fail').length,
    });
    await page.close();
  }, 30_000);
});
