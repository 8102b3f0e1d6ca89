// `lab doctor`: every check runs at once (each probe has its own short timeout), then the
// verdict is computed from the results.
import { ansibleCheck, nodeCheck, vagrantCheck } from './checks/tools.js';
import {
  dockerCheck,
  libvirtCheck,
  podmanCheck,
  virtualboxCheck,
  virtualizationCheck,
} from './checks/providers.js';
import { configCheck, diskCheck, memoryCheck } from './checks/resources.js';
import { networkCheck, portsCheck } from './checks/network.js';
import type { Check, CheckId, CheckResult, DoctorDeps } from './types.js';
import { verdict, type Verdict } from './verdict.js';

export interface NamedCheck {
  id: CheckId;
  run: Check;
}

/** The checks in the order the report lists them. */
export const CHECKS: readonly NamedCheck[] = [
  { id: 'config', run: configCheck },
  { id: 'node', run: nodeCheck },
  { id: 'ansible', run: ansibleCheck },
  { id: 'vagrant', run: vagrantCheck },
  { id: 'virtualization', run: virtualizationCheck },
  { id: 'virtualbox', run: virtualboxCheck },
  { id: 'libvirt', run: libvirtCheck },
  { id: 'podman', run: podmanCheck },
  { id: 'docker', run: dockerCheck },
  { id: 'memory', run: memoryCheck },
  { id: 'disk', run: diskCheck },
  { id: 'network', run: networkCheck },
  { id: 'ports', run: portsCheck },
];

export interface DoctorReport {
  checks: CheckResult[];
  verdict: Verdict;
}

/** A check that throws is a bug, not a verdict on the machine: report it as a failed row. */
async function safely(check: NamedCheck, deps: DoctorDeps): Promise<CheckResult> {
  try {
    return await check.run(deps);
  } catch (e) {
    return {
      id: check.id,
      title: check.id,
      status: 'fail',
      detail: `internal error: ${e instanceof Error ? e.message : String(e)}`,
      hint: 'run again with --verbose and report it',
      blocking: true,
    };
  }
}

export async function runDoctor(
  deps: DoctorDeps,
  options: {
    checks?: readonly NamedCheck[];
    onResult?: (r: CheckResult, done: number, total: number) => void;
  } = {},
): Promise<DoctorReport> {
  const checks = options.checks ?? CHECKS;
  let done = 0;
  const results = await Promise.all(
    checks.map(async (check) => {
      const r = await safely(check, deps);
      options.onResult?.(r, ++done, checks.length);
      return r;
    }),
  );
  return {
    checks: results,
    verdict: verdict(results, deps.config.ok ? deps.config.config.provider : null),
  };
}

export type { CheckResult, DoctorDeps } from './types.js';
export type { Verdict } from './verdict.js';
