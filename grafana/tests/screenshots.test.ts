// Renders every dashboard from its queries' real data (a real Prometheus, see stack.ts) into an
// HTML page and loads it in headless Chromium. With LAB_UPDATE_SCREENSHOTS=1 the PNGs replace
// grafana/screenshots/ (the README's pictures); LAB_SCREENSHOT_WARMUP_S sets how many seconds
// of data they show (default 8 s in the suite).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWithTools, which } from '../../test/support/tools.js';
import { renderDashboard, type RenderableDashboard } from './render.js';
import { ROOT, VARIABLES, startStack, type Stack } from './stack.js';

const UPDATE = process.env.LAB_UPDATE_SCREENSHOTS === '1';
const WARMUP_S = Math.min(Math.max(Number(process.env.LAB_SCREENSHOT_WARMUP_S ?? 8), 5), 900);
const WIDTH = 1400;
// What a user sees by default: every service, slot and container ("All").
const PICTURE_VARIABLES = { ...VARIABLES, service: '.*', slot: '.*', container: '.*' };
const DASH_DIR = path.join(ROOT, 'grafana/dashboards');
const OUT_DIR = path.join(ROOT, 'grafana/screenshots');

describeWithTools(
  ['prometheus', 'pushgateway', 'nginx', 'node-exporter', 'nginx-exporter', 'chromium'],
  'dashboard pictures rendered from real data',
  () => {
    let stack: Stack;
    let dir: string;
    beforeAll(
      async () => {
        dir = mkdtempSync(path.join(os.tmpdir(), 'lab-shots-'));
        stack = await startStack();
        await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
      },
      60_000 + WARMUP_S * 1000,
    );
    afterAll(async () => {
      await stack?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('each dashboard renders with data in every panel and Chromium takes its picture', async () => {
      const chromium = which('chromium') ?? which('chromium-browser')!;
      const files = readdirSync(DASH_DIR)
        .filter((f) => f.endsWith('.json'))
        .sort();
      for (const f of files) {
        const d = JSON.parse(readFileSync(path.join(DASH_DIR, f), 'utf8')) as RenderableDashboard;
        const { html, heightPx, emptyPanels } = await renderDashboard(stack.promUrl, d, {
          seconds: WARMUP_S + 5,
          widthPx: WIDTH,
          variables: PICTURE_VARIABLES,
        });
        expect({ dashboard: f, emptyPanels }).toEqual({ dashboard: f, emptyPanels: [] });
        const page = path.join(dir, f.replace('.json', '.html'));
        const png = path.join(dir, f.replace('.json', '.png'));
        writeFileSync(page, html);
        const r = spawnSync(
          'timeout',
          [
            '60',
            chromium,
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--hide-scrollbars',
            `--user-data-dir=${path.join(dir, 'profile')}`,
            `--window-size=${WIDTH + 24},${heightPx}`,
            `--screenshot=${png}`,
            `file://${page}`,
          ],
          { encoding: 'utf8' },
        );
        expect({
          dashboard: f,
          status: r.status,
          stderr: r.status === 0 ? '' : r.stderr.slice(-500),
        }).toEqual({ dashboard: f, status: 0, stderr: '' });
        expect(statSync(png).size).toBeGreaterThan(10_000);
        if (UPDATE) {
          mkdirSync(OUT_DIR, { recursive: true });
          copyFileSync(png, path.join(OUT_DIR, f.replace('.json', '.png')));
        }
      }
    }, 180_000);
  },
);
