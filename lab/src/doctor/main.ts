// The body of `lab doctor`, loaded only when the command runs (keeps `lab --help` fast).
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { isLabError } from '../errors.js';
import type { Exec } from '../exec/index.js';
import type { Output } from '../output/render.js';
import { repoRoot } from '../state.js';
import { hostDeps } from './host-deps.js';
import { CHECKS, runDoctor } from './index.js';
import { progressLine, renderReport } from './render.js';
import type { ConfigState } from './types.js';

export interface DoctorOptions {
  json: boolean;
  config?: string;
  provider?: string;
  profile?: string;
}

function configState(o: DoctorOptions): ConfigState {
  try {
    const { config, sources } = loadConfig({
      file: o.config,
      flags: { provider: o.provider, profile: o.profile },
    });
    return { ok: true, config, sources };
  } catch (e) {
    if (isLabError(e)) return { ok: false, error: e };
    throw e;
  }
}

/** Runs every check, prints the report (table or JSON) and returns the exit code. */
export async function doctor(
  options: DoctorOptions,
  io: { exec: Exec; out: Output },
): Promise<0 | 1> {
  const root = repoRoot();
  const config = configState(options);
  const deps = hostDeps({ exec: io.exec, config, repoRoot: root });
  const progress = progressLine(
    process.stderr,
    !options.json && Boolean(process.stderr.isTTY),
    CHECKS.map((c) => c.id),
  );
  const report = await runDoctor(deps, { onResult: (r) => progress.done(r.id) });
  progress.clear();

  const where = config.ok
    ? `${config.sources.map((s) => path.relative(root, s) || s).join(' + ')} (provider ${config.config.provider}, profile ${config.config.profile})`
    : 'an invalid lab config';
  io.out.result(
    { host: { platform: process.platform, arch: process.arch, release: os.release() }, ...report },
    () => {
      const header = `lab doctor: ${process.platform} ${process.arch}, checked against ${where}`;
      for (const line of renderReport(report, header)) io.out.line(line);
    },
  );
  return report.verdict.exitCode;
}
