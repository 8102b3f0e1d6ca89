import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { parseRecap } from '../../src/ansible/index.js';
import { loadConfig } from '../../src/config/load.js';
import { containerRunArgs, parseVagrantStatus } from '../../src/providers/index.js';
import { repoRoot } from '../../../test/support/cli.js';

const host = { totalMemoryMb: 64_000 };
const configFor = (provider: string) =>
  loadConfig({
    file: path.join(repoRoot, 'lab.config.yml'),
    localFile: false,
    env: { LAB_PROVIDER: provider },
    host,
  }).config;

describe('container provider', () => {
  test('an app node runs systemd with Docker inside, a static IP and loopback-only ports', () => {
    const config = configFor('podman');
    const staging = config.nodes.find((n) => n.name === 'staging')!;
    const args = containerRunArgs(config, staging);
    expect(args).toEqual(
      expect.arrayContaining([
        '--name',
        'cicd-lab-staging',
        '--hostname',
        'staging',
        '--ip',
        '192.168.56.11',
        '--systemd=always',
        '--privileged',
        '--cgroupns=private',
      ]),
    );
    expect(args).toContain('cicd-lab-staging-docker:/var/lib/docker');
    expect(args).toContain('127.0.0.1:8081:80');
    expect(args.at(-1)).toBe('localhost/cicd-lab/node:bookworm');
  });

  test('the monitoring node is not privileged (it runs no Docker)', () => {
    const config = configFor('podman');
    const args = containerRunArgs(
      config,
      config.nodes.find((n) => n.name === 'monitoring')!,
    );
    expect(args).not.toContain('--privileged');
    expect(args).toContain('127.0.0.1:3000:3000');
  });
});

describe('vagrant status', () => {
  test('machine-readable states map to node states', () => {
    const out = [
      '1700000000,jenkins,state,running',
      '1700000000,staging,state,poweroff',
      '1700000000,production,state,not_created',
      '1700000000,monitoring,provider-name,virtualbox',
    ].join('\n');
    expect(
      parseVagrantStatus(out, ['jenkins', 'staging', 'production', 'monitoring']).map(
        (s) => s.state,
      ),
    ).toEqual(['running', 'stopped', 'absent', 'absent']);
  });
});

describe('ansible recap', () => {
  test('counts per host from the last PLAY RECAP', () => {
    const out = `PLAY RECAP *****\nstaging : ok=3 changed=1 unreachable=0 failed=0\n\nPLAY RECAP *****\nstaging                    : ok=12   changed=0    unreachable=0    failed=0    skipped=2    rescued=0    ignored=0\nmonitoring                 : ok=9    changed=2    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0\n`;
    expect(parseRecap(out)).toEqual({
      staging: {
        ok: 12,
        changed: 0,
        unreachable: 0,
        failed: 0,
        skipped: 2,
        rescued: 0,
        ignored: 0,
      },
      monitoring: {
        ok: 9,
        changed: 2,
        unreachable: 0,
        failed: 1,
        skipped: 0,
        rescued: 0,
        ignored: 0,
      },
    });
  });
});
