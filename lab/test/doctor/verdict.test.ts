// The verdict is a pure function of the check results: which providers are usable, whether the
// configured one is, and the exit code.
import { describe, expect, test } from '@jest/globals';
import { runDoctor, type CheckResult } from '../../src/doctor/index.js';
import {
  CHECK_IDS,
  type CheckId,
  type CheckStatus,
  type VirtualizationFacts,
} from '../../src/doctor/types.js';
import { verdict } from '../../src/doctor/verdict.js';
import { fakeDeps } from './deps.js';

const BLOCKING: CheckId[] = ['config', 'node', 'ansible', 'memory', 'disk', 'network', 'ports'];

/** A full set of results: every check ok unless listed, virtualization facts as given. */
function results(
  statuses: Partial<Record<CheckId, CheckStatus>>,
  facts: VirtualizationFacts = { hardware: true, kvm: true },
) {
  return CHECK_IDS.map((id): CheckResult => ({
    id,
    title: id,
    status: statuses[id] ?? 'ok',
    detail: '',
    blocking: BLOCKING.includes(id),
    ...(id === 'virtualization' ? { facts } : {}),
  }));
}

/** The development machine: no VirtualBox, no libvirt daemon, no Docker daemon, podman works. */
const DEV_MACHINE = results(
  { virtualization: 'warn', virtualbox: 'fail', libvirt: 'fail', docker: 'fail' },
  { hardware: false, kvm: true },
);

describe('verdict', () => {
  test('no VM provider but podman works → exit 0, says podman, hints --provider podman', () => {
    const v = verdict(DEV_MACHINE, 'virtualbox');
    expect(v).toMatchObject({
      ok: true,
      exitCode: 0,
      usable: ['podman'],
      chosen: 'virtualbox',
      chosenUsable: false,
    });
    expect(v.summary).toContain('The configured provider virtualbox is not usable here');
    expect(v.summary).toContain('podman is');
    expect(v.hint).toContain('--provider podman');
    expect(v.hint).toContain('LAB_PROVIDER=podman');
    expect(v.providers.find((p) => p.provider === 'virtualbox')!.reasons).toEqual([
      'VirtualBox is not usable',
      'the CPU offers no VT-x/AMD-V',
    ]);
  });

  test('the configured provider works: no hint, others listed', () => {
    const v = verdict(DEV_MACHINE, 'podman');
    expect(v).toMatchObject({ ok: true, chosenUsable: true, hint: undefined });
    expect(v.summary).toBe('The lab can come up with podman, the configured provider.');
    const all = verdict(results({}), 'libvirt');
    expect(all.usable).toEqual(['virtualbox', 'libvirt', 'podman', 'docker']);
    expect(all.summary).toContain('Also usable: virtualbox, podman, docker.');
  });

  test('nothing usable → exit 1 with the install hint', () => {
    const v = verdict(
      results(
        {
          virtualization: 'fail',
          virtualbox: 'fail',
          libvirt: 'fail',
          podman: 'fail',
          docker: 'fail',
        },
        { hardware: false, kvm: false },
      ),
      'virtualbox',
    );
    expect(v).toMatchObject({ ok: false, exitCode: 1, usable: [] });
    expect(v.summary).toContain('No provider can run the lab');
    expect(v.hint).toContain('podman');
  });

  test('a usable provider does not outweigh a blocking failure', () => {
    const v = verdict(results({ ports: 'fail', ansible: 'fail' }), 'virtualbox');
    expect(v).toMatchObject({ ok: false, exitCode: 1, blocking: ['ansible', 'ports'] });
    expect(v.summary).toContain('Blocking: ansible, ports');
  });

  test('warnings do not block', () => {
    expect(verdict(results({ memory: 'warn', network: 'warn', podman: 'warn' }), 'podman').ok).toBe(
      true,
    );
  });

  test('VM providers need Vagrant and the matching virtualization', () => {
    const noVagrant = verdict(results({ vagrant: 'fail' }), 'virtualbox');
    expect(noVagrant.usable).toEqual(['podman', 'docker']);
    const kvmOnly = verdict(results({}, { hardware: false, kvm: true }), 'libvirt');
    expect(kvmOnly.usable).toContain('libvirt');
    expect(kvmOnly.usable).not.toContain('virtualbox');
    // WSL: what the Windows side offers cannot be seen, so VirtualBox is not ruled out
    expect(verdict(results({}, { hardware: null, kvm: false }), 'virtualbox').chosenUsable).toBe(
      true,
    );
  });

  test('an invalid config: no chosen provider, and exit 1', () => {
    const v = verdict(results({ config: 'fail' }), null);
    expect(v).toMatchObject({ ok: false, chosen: null, blocking: ['config'] });
    expect(v.summary).toContain('the lab config does not load');
  });

  test('provider existing: hosts you own count as usable', () => {
    const v = verdict(
      results({ virtualbox: 'fail', libvirt: 'fail', podman: 'fail', docker: 'fail' }),
      'existing',
    );
    expect(v).toMatchObject({ ok: true, usable: ['existing'], chosenUsable: true });
  });
});

describe('runDoctor', () => {
  test('runs every check, keeps the order, reports progress, turns a crash into a failed row', async () => {
    const seen: string[] = [];
    const report = await runDoctor(fakeDeps(), {
      checks: [
        {
          id: 'node',
          run: async () => ({ id: 'node', title: 'n', status: 'ok', detail: '', blocking: true }),
        },
        {
          id: 'podman',
          run: async () => {
            throw new Error('boom');
          },
        },
      ],
      onResult: (r, done, total) => seen.push(`${r.id} ${done}/${total}`),
    });
    expect(report.checks.map((c) => c.id)).toEqual(['node', 'podman']);
    expect(report.checks[1]).toMatchObject({
      status: 'fail',
      detail: 'internal error: boom',
      blocking: true,
    });
    expect(seen.map((s) => s.split(' ')[0]).sort()).toEqual(['node', 'podman']);
    expect(seen.map((s) => s.split(' ')[1]).sort()).toEqual(['1/2', '2/2']);
    expect(report.verdict.exitCode).toBe(1);
  });
});
