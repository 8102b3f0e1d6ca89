import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, mergeLayers } from '../../src/config/load.js';
import { repoRoot, runLab } from '../../../test/support/cli.js';

const mainFile = path.join(repoRoot, 'lab.config.yml');
const host = { totalMemoryMb: 64_000 };

describe('layered config', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-layers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the committed config is valid and has the four nodes', () => {
    const { config } = loadConfig({ file: mainFile, localFile: false, env: {}, host });
    expect(config.nodes.map((n) => n.name)).toEqual([
      'jenkins',
      'staging',
      'production',
      'monitoring',
    ]);
    expect(config.provider).toBe('virtualbox');
  });

  test('the small profile fits an 8 GB laptop', () => {
    const { config } = loadConfig({
      file: mainFile,
      localFile: false,
      env: { LAB_PROFILE: 'small' },
      host,
    });
    const total = config.nodes.reduce((s, n) => s + n.memory, 0);
    expect(total + config.host.reserve_memory).toBeLessThanOrEqual(8192);
    expect(config.app.replicas).toBe(1);
  });

  test('local override patches nodes by name; env and flags win in that order', () => {
    const local = path.join(dir, 'lab.local.yml');
    writeFileSync(local, 'provider: libvirt\nnodes:\n  - name: staging\n    memory: 4096\n');
    const env = { LAB_PROVIDER: 'podman', LAB_REPLICAS: '3' };
    const a = loadConfig({ file: mainFile, localFile: local, env: {}, host });
    expect(a.config.provider).toBe('libvirt');
    expect(a.config.nodes.find((n) => n.name === 'staging')?.memory).toBe(4096);
    expect(a.config.nodes.find((n) => n.name === 'staging')?.env).toBe('staging');
    expect(a.sources).toEqual([mainFile, local]);
    const b = loadConfig({ file: mainFile, localFile: local, env, host });
    expect(b.config.provider).toBe('podman');
    expect(b.config.app.replicas).toBe(3);
    const c = loadConfig({
      file: mainFile,
      localFile: local,
      env,
      host,
      flags: { provider: 'docker' },
    });
    expect(c.config.provider).toBe('docker');
  });

  test('memory is not checked against the host for container providers', () => {
    const small = { totalMemoryMb: 4096 };
    expect(() => loadConfig({ file: mainFile, localFile: false, env: {}, host: small })).toThrow(
      expect.objectContaining({
        details: [
          expect.stringMatching(/the nodes need 8704 MB of memory but this machine has 4096 MB/),
        ],
      }),
    );
    expect(() =>
      loadConfig({
        file: mainFile,
        localFile: false,
        env: { LAB_PROVIDER: 'podman' },
        host: small,
      }),
    ).not.toThrow();
  });

  test('mergeLayers appends nodes with new names and merges mappings deeply', () => {
    const merged = mergeLayers(
      { a: { b: 1, c: 2 }, nodes: [{ name: 'x', cpus: 1 }] },
      { a: { c: 3 }, nodes: [{ name: 'y', cpus: 2 }] },
    );
    expect(merged).toEqual({
      a: { b: 1, c: 3 },
      nodes: [
        { name: 'x', cpus: 1 },
        { name: 'y', cpus: 2 },
      ],
    });
  });

  test('lab config show --json prints the effective config', () => {
    const r = runLab(['config', 'show', '--json'], {
      env: { LAB_PROFILE: 'small', LAB_REPLICAS: '' },
    });
    expect(r.status).toBe(0);
    const shown = JSON.parse(r.stdout);
    expect(shown.profile).toBe('small');
    expect(shown.nodes[0].memory).toBe(2048);
  });

  test('usage errors exit 2 without a stack trace', () => {
    const r = runLab(['config', 'frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command|too many arguments/);
  });
});
