// lab loadtest [--env staging|production|URL] [--plan baseline] [-J key=value...] [--duration S]
//              [--threads N] [--thresholds FILE] [--baseline FILE|auto] [--no-gate]
import path from 'node:path';
import { Option } from 'commander';
import { ExitCode, LabError } from '../errors.js';
import type { LabelStats } from '../gate/stats.js';
import { table } from '../output/render.js';
import { repoRoot } from '../state.js';
import type { GateReport } from '../gate/index.js';
import type { ProgressSnapshot } from '../loadtest/progress.js';
import type { LoadTestResult } from '../loadtest/run.js';
import type { CommandModule } from './types.js';

interface LoadtestFlags {
  env: string;
  plan: string;
  property: string[];
  duration?: string;
  threads?: string;
  timeout?: string;
  thresholds?: string;
  baseline?: string;
  baselineEnv: string;
  pushgateway?: string;
  release?: string;
  gate: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function wholeNumber(flag: string, value: string | undefined, min = 1): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `${flag} ${JSON.stringify(value)}: must be a whole number of at least ${min}`,
    );
  }
  return String(Number(value));
}

export const loadtestCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('loadtest')
      .description(
        'run a JMeter plan against an environment, with live progress, then judge it with the gate',
      )
      .option(
        '--env <target>',
        'staging, production (the app node from the lab config) or a URL such as http://127.0.0.1:8081',
        'staging',
      )
      .option(
        '--plan <name|file>',
        'plan in jmeter/plans/ (smoke, baseline, stress, spike) or a .jmx file',
        'baseline',
      )
      .option(
        '-J, --property <key=value>',
        'plan property, repeatable (threads, rampup, duration, think_time, data_file...)',
        collect,
        [],
      )
      .option('--duration <seconds>', 'how long the users run (the plan property duration)')
      .option('--threads <n>', 'number of users (the plan property threads)')
      .option(
        '--timeout <seconds>',
        'hard limit for the JMeter run (default: the plan schedule + a margin)',
      )
      .option('--thresholds <file>', 'thresholds for the gate', 'jmeter/thresholds.yml')
      .option(
        '--baseline <file|auto>',
        'summary.json to compare with; auto = the promoted baseline of --baseline-env',
      )
      .option('--baseline-env <env>', 'whose promoted baseline --baseline auto means', 'production')
      .addOption(
        new Option('--pushgateway <url>', 'push the verdict to this Pushgateway').env(
          'LAB_PUSHGATEWAY',
        ),
      )
      .addOption(
        new Option('--release <id>', 'release under test (summary.json, Pushgateway)').env(
          'LAB_RELEASE',
        ),
      )
      .option('--no-gate', 'only run JMeter and summarise; do not judge the results')
      .addHelpText(
        'after',
        `
JMeter: $LAB_JMETER (a command) or jmeter on PATH. Results go to .lab/runs/<stamp>-loadtest/
(results.jtl, jmeter.log, loadtest.json, and the gate's verdict files). Exit code: the gate's
(0 pass, 1 fail), 2 bad input, 3 JMeter failed or produced no samples, 4 target unreachable
or JMeter missing, 130 timed out.`,
      )
      .action(async (flags: LoadtestFlags) => {
        // The work is loaded only when the command runs (lab --help stays fast).
        const [
          { loadConfig },
          { formatCommand },
          { formatValue, formatVerdict, loadThresholds, runGate },
          { buildJMeterArgs, jmeterBinary, parseProperty },
          { planLabels },
          { formatProgress },
          { JTL_NAME, LOG_NAME, preparePlan, runLoadTest },
          { ENVIRONMENTS, resolveTarget, targetUrl },
        ] = await Promise.all([
          import('../config/load.js'),
          import('../exec/index.js'),
          import('../gate/index.js'),
          import('../loadtest/jmeter.js'),
          import('../loadtest/plans.js'),
          import('../loadtest/progress.js'),
          import('../loadtest/run.js'),
          import('../loadtest/target.js'),
        ]);
        const g = ctx.globals();
        const properties: Record<string, string> = {};
        for (const spec of flags.property) {
          const [k, v] = parseProperty(spec);
          properties[k] = v;
        }
        const duration = wholeNumber('--duration', flags.duration);
        const threads = wholeNumber('--threads', flags.threads);
        const timeoutSeconds = wholeNumber('--timeout', flags.timeout);
        if (duration) properties.duration = duration;
        if (threads) properties.threads = threads;
        const target = resolveTarget(
          flags.env,
          () =>
            loadConfig({ file: g.config, flags: { provider: g.provider, profile: g.profile } })
              .config,
        );
        const thresholds = flags.gate
          ? path.resolve(repoRoot(), flags.thresholds ?? 'jmeter/thresholds.yml')
          : null;
        const jmeter = jmeterBinary();

        // Bad input fails here, before anything is printed or started.
        const prepared = preparePlan({
          plan: flags.plan,
          target,
          properties,
          timeoutSeconds: timeoutSeconds ? Number(timeoutSeconds) : undefined,
        });
        if (thresholds) {
          // Cheap checks before a long run: a typo in the thresholds, or limits for labels this
          // plan never produces, would only fail the gate (exit 2) after JMeter has run.
          const named = loadThresholds(thresholds).labels;
          const produced = planLabels(prepared.plan.text);
          const missing = named.filter((l) => !produced.includes(l));
          if (missing.length > 0) {
            throw new LabError(
              ExitCode.INVALID_INPUT,
              `${path.relative(process.cwd(), thresholds) || thresholds} has limits for ${missing.join(', ')}, which plan ${prepared.plan.name} does not produce (its labels: ${produced.join(', ') || 'none'})`,
              'gate the baseline plan (--plan baseline), pass thresholds for this plan (--thresholds FILE), or skip the gate (--no-gate)',
            );
          }
        }
        if (g.dryRun) {
          const args = buildJMeterArgs({
            plan: prepared.plan.file,
            jtl: `<run folder>/${JTL_NAME}`,
            log: `<run folder>/${LOG_NAME}`,
            properties: prepared.properties,
            summaryIntervalSeconds: 5,
          });
          ctx.out.result(
            {
              dryRun: true,
              command: [jmeter, ...args],
              timeoutSeconds: prepared.timeoutSeconds,
              thresholds,
            },
            () => {
              ctx.out.line(
                `would run (timeout ${prepared.timeoutSeconds} s): ${formatCommand(jmeter, args)}`,
              );
              ctx.out.line(
                thresholds ? `then gate the results with ${thresholds}` : 'no gate (--no-gate)',
              );
            },
          );
          return;
        }

        const live = !g.json;
        const tty = Boolean(process.stderr.isTTY);
        let lastLen = 0;
        let lastPrinted = '';
        const onProgress = (p: ProgressSnapshot, reason: 'tick' | 'update') => {
          if (!live) return;
          const line = formatProgress(p);
          if (tty) {
            process.stderr.write(`\r${line}${' '.repeat(Math.max(0, lastLen - line.length))}`);
            lastLen = line.length;
          } else if (reason === 'update' && line !== lastPrinted) {
            // One line per summariser interval (its `+` and `=` lines say the same here).
            process.stderr.write(`${line}\n`);
            lastPrinted = line;
          }
        };
        if (live) {
          const planned =
            prepared.scheduledSeconds !== null ? `${prepared.scheduledSeconds} s scheduled, ` : '';
          process.stderr.write(
            `load test: plan ${prepared.plan.name} → ${targetUrl(target)} (${planned}timeout ${prepared.timeoutSeconds} s; ${jmeter})\n`,
          );
        }

        const env = ENVIRONMENTS.includes(target.name as (typeof ENVIRONMENTS)[number])
          ? target.name
          : 'custom';
        let result: LoadTestResult<GateReport>;
        try {
          result = await runLoadTest(
            {
              plan: flags.plan,
              target,
              properties,
              jmeter,
              prepared,
              onProgress,
              gate: thresholds
                ? (jtl, runDir) =>
                    runGate({
                      results: jtl,
                      thresholds,
                      baseline: flags.baseline,
                      baselineEnv: flags.baselineEnv,
                      outDir: runDir,
                      env,
                      release: flags.release,
                      pushgateway: flags.pushgateway
                        ? { url: flags.pushgateway, env, release: flags.release ?? 'unknown' }
                        : undefined,
                    })
                : undefined,
            },
            { exec: ctx.exec },
          );
        } finally {
          if (live && tty && lastLen > 0) process.stderr.write('\n');
        }

        ctx.out.result(result, () => {
          const row = (name: string, s: LabelStats) => [
            name,
            String(s.count),
            formatValue(s.errorPct, '%'),
            formatValue(s.throughputRps, '/s'),
            formatValue(s.p50, 'ms'),
            formatValue(s.p95, 'ms'),
            formatValue(s.max, 'ms'),
          ];
          ctx.out.line(
            table(
              [...Object.entries(result.labels), ['overall', result.overall] as const].map(
                ([name, s]) => row(name, s),
              ),
              ['label', 'samples', 'errors', 'throughput', 'p50', 'p95', 'max'],
            ),
          );
          ctx.out.line(`run folder: ${result.runDir}`);
          if (result.gate) {
            ctx.out.line();
            ctx.out.line(formatVerdict(result.gate));
          }
        });
        process.exitCode = result.gate ? result.gate.exitCode : ExitCode.OK;
      });
  },
};
