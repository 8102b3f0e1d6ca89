// The built CLI on this very machine: `lab doctor` must report what is really here. On the
// development/CI machines that is: no VirtualBox and no libvirt daemon (so no VM provider),
// podman working, hence exit 0 with a hint to use podman.
import { beforeAll, afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { DoctorReport } from '../../src/doctor/index.js';
import { CHECK_IDS } from '../../src/doctor/types.js';
import { repoRoot } from '../../src/state.js';
import { freePort } from '../../../test/support/net.js';
import { describeWithTools, which } from '../../../test/support/tools.js';

const root = repoRoot();
const cli = path.join(root, 'lab/dist/cli.js');
let dir: string;
let configFile: string;

function doctor(args: string[], file = configFile) {
  const env: NodeJS.ProcessEnv = { ...process.env, LAB_STATE_DIR: path.join(dir, '.lab') };
  delete env.LAB_PROVIDER;
  delete env.LAB_PROFILE;
  const r = spawnSync(process.execPath, [cli, '--config', file, ...args, 'doctor'], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  // The committed topology with its forwarded ports moved to free ports (another program may
  // hold 8080 or 3000 here) and the small profile, so that only the providers decide.
  dir = mkdtempSync(path.join(os.tmpdir(), 'lab-doctor-'));
  const config = parse(readFileSync(path.join(root, 'lab.config.yml'), 'utf8'));
  for (const node of config.nodes) for (const p of node.ports ?? []) p.host = await freePort();
  config.profile = 'small';
  config.host.reserve_memory = 0;
  configFile = path.join(dir, 'lab.config.yml');
  writeFileSync(configFile, stringify(config));
}, 200_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('lab doctor (built CLI)', () => {
  test('an invalid config: the config row fails, the other checks still run, exit 1', () => {
    const bad = path.join(dir, 'bad.yml');
    writeFileSync(
      bad,
      readFileSync(configFile, 'utf8').replace('provider: virtualbox', 'provider: vmware'),
    );
    const r = doctor(['--json'], bad);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as DoctorReport;
    const config = report.checks.find((c) => c.id === 'config')!;
    expect(config).toMatchObject({ status: 'fail', blocking: true });
    expect(config.detail).toContain('"vmware" is not one of');
    expect(report.checks.find((c) => c.id === 'node')!.status).toBe('ok');
    expect(report.verdict).toMatchObject({ ok: false, chosen: null });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  }, 100_000);
});

describeWithTools(['podman'], 'lab doctor on this machine (podman works)', () => {
  let json: ReturnType<typeof doctor>;
  let report: DoctorReport;
  beforeAll(() => {
    json = doctor(['--json']);
    report = JSON.parse(json.stdout) as DoctorReport;
  }, 100_000);

  test('--json prints only the report: checks and verdict', () => {
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    for (const c of report.checks) {
      expect(['ok', 'fail', 'warn', 'skip']).toContain(c.status);
      if (c.status === 'fail') expect(c.hint ?? c.id).not.toBe(c.id); // every failure has a hint
    }
  });

  test('podman is usable, and honours CONTAINERS_CONF', () => {
    const podman = report.checks.find((c) => c.id === 'podman')!;
    expect(['ok', 'warn']).toContain(podman.status);
    if (process.env.CONTAINERS_CONF)
      expect(podman.detail).toContain(`CONTAINERS_CONF=${process.env.CONTAINERS_CONF}`);
    expect(report.verdict.usable).toContain('podman');
  });

  test('exit 0: podman can run the lab and no blocking check fails', () => {
    const blockingFailures = report.checks.filter((c) => c.blocking && c.status === 'fail');
    expect(blockingFailures).toEqual([]);
    expect(report.verdict).toMatchObject({ ok: true, exitCode: 0 });
    expect(json.status).toBe(0);
  });

  const vmToolsHere = which('VBoxManage') !== null || which('virsh') !== null;
  (vmToolsHere ? test.skip : test)(
    'no VM provider is usable (no VirtualBox, no libvirt), with hints',
    () => {
      expect(report.verdict.usable).not.toContain('virtualbox');
      expect(report.verdict.usable).not.toContain('libvirt');
      const vbox = report.checks.find((c) => c.id === 'virtualbox')!;
      expect(vbox).toMatchObject({
        status: 'fail',
        detail: 'not installed (VBoxManage not found)',
      });
      expect(vbox.hint).toContain('VirtualBox');
      const libvirt = report.checks.find((c) => c.id === 'libvirt')!;
      expect(libvirt.status).toBe('fail');
      expect(libvirt.detail).toContain('virsh not found');
      expect(libvirt.hint).toContain('libvirt-daemon-system');
      // the config chooses virtualbox: the verdict says it is unusable and points to podman
      expect(report.verdict).toMatchObject({ chosen: 'virtualbox', chosenUsable: false });
      expect(report.verdict.hint).toContain('--provider podman');
    },
  );

  test('the human report: a table with marks, the fixes and the provider advice', () => {
    const r = doctor([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^✓ {2}lab config {2,}/m);
    expect(r.stdout).toMatch(/^[✓!] {2}podman \(containers\) {2,}/m);
    expect(r.stdout).toContain('What to do:');
    expect(r.stdout).toMatch(/^Providers usable here: .*podman/m);
    expect(r.stdout).toContain('the lab can come up on this machine (exit 0)');
    if (!vmToolsHere) {
      expect(r.stdout).toMatch(/^✗ {2}VirtualBox {2,}not installed/m);
      expect(r.stdout).toContain('hint: use podman: `lab --provider podman up`');
    }
    expect(r.stderr).toBe(''); // no progress line without a terminal
  }, 100_000);

  test('--provider podman: the configured provider is usable, no provider hint', () => {
    const r = doctor(['--json', '--provider', 'podman']);
    const v = (JSON.parse(r.stdout) as DoctorReport).verdict;
    expect(v).toMatchObject({ chosen: 'podman', chosenUsable: true });
    expect(v.hint).toBeUndefined();
    expect(r.status).toBe(0);
  }, 100_000);
});
