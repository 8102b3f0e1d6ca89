// From the check results to the answer: which providers can run the lab here, whether the
// configured one is among them, and the exit code. Pure: tested on hand-made results.
import type { Provider } from '../config/schema.js';
import { hints } from './hints.js';
import type { CheckId, CheckResult } from './types.js';

/** The providers doctor can judge, in the order it recommends them. */
export const CHECKED_PROVIDERS = [
  'virtualbox',
  'libvirt',
  'podman',
  'docker',
] as const satisfies readonly Provider[];

export interface ProviderAssessment {
  provider: Provider;
  usable: boolean;
  /** Why not (empty when usable). */
  reasons: string[];
}

export interface Verdict {
  ok: boolean;
  exitCode: 0 | 1;
  /** Providers that can run the lab on this machine. */
  usable: Provider[];
  providers: ProviderAssessment[];
  /** The provider the effective config chooses (null when the config does not load). */
  chosen: Provider | null;
  chosenUsable: boolean;
  /** Blocking checks that did not pass. */
  blocking: CheckId[];
  /** One or two sentences for the user. */
  summary: string;
  hint?: string;
}

const passed = (c: CheckResult | undefined) =>
  c !== undefined && (c.status === 'ok' || c.status === 'warn');

export function assessProviders(checks: readonly CheckResult[]): ProviderAssessment[] {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const virt = byId.get('virtualization')?.facts;
  const needs = (id: CheckId, reason: string): string[] => (passed(byId.get(id)) ? [] : [reason]);
  const vagrant = needs('vagrant', 'Vagrant is missing');
  return CHECKED_PROVIDERS.map((provider) => {
    let reasons: string[];
    switch (provider) {
      case 'virtualbox':
        reasons = [
          ...needs('virtualbox', 'VirtualBox is not usable'),
          ...vagrant,
          ...(virt?.hardware === false ? ['the CPU offers no VT-x/AMD-V'] : []),
        ];
        break;
      case 'libvirt':
        reasons = [
          ...needs('libvirt', 'libvirt is not usable'),
          ...vagrant,
          ...(virt?.kvm === false ? ['KVM is not available'] : []),
        ];
        break;
      case 'podman':
        reasons = needs('podman', 'podman does not work');
        break;
      case 'docker':
        reasons = needs('docker', 'no reachable Docker engine');
        break;
    }
    return { provider, usable: reasons.length === 0, reasons };
  });
}

export function verdict(checks: readonly CheckResult[], chosen: Provider | null): Verdict {
  const providers = assessProviders(checks);
  const usable: Provider[] = providers.filter((p) => p.usable).map((p) => p.provider);
  // `existing` drives hosts the user owns over SSH; doctor does not log in to them.
  if (chosen === 'existing') usable.push('existing');
  const blocking = checks.filter((c) => c.blocking && c.status === 'fail').map((c) => c.id);
  const chosenUsable = chosen !== null && usable.includes(chosen);
  const ok = usable.length > 0 && blocking.length === 0;
  const assessment = providers.find((p) => p.provider === chosen);
  const why = assessment && !assessment.usable ? ` (${assessment.reasons.join(', ')})` : '';

  const parts: string[] = [];
  let hint: string | undefined;
  if (usable.length === 0) {
    parts.push('No provider can run the lab on this machine.');
    hint = hints.noProvider();
  } else if (chosen === null) {
    parts.push(
      `Usable here: ${usable.join(', ')}; the lab config does not load, so no provider is chosen.`,
    );
  } else if (chosenUsable) {
    const others = usable.filter((p) => p !== chosen);
    parts.push(
      `The lab can come up with ${chosen}, the configured provider.${others.length ? ` Also usable: ${others.join(', ')}.` : ''}`,
    );
  } else {
    const pick = usable[0]!;
    parts.push(
      `The configured provider ${chosen} is not usable here${why}; ${usable.join(', ')} ${usable.length > 1 ? 'are' : 'is'}.`,
    );
    hint = hints.useProvider(pick);
  }
  if (blocking.length > 0)
    parts.push(
      `Blocking: ${blocking.join(', ')} (fix ${blocking.length > 1 ? 'them' : 'it'} first).`,
    );
  return {
    ok,
    exitCode: ok ? 0 : 1,
    usable,
    providers,
    chosen,
    chosenUsable,
    blocking,
    summary: parts.join(' '),
    hint,
  };
}
