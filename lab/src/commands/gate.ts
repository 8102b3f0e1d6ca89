// lab gate --results FILE.jtl [--thresholds jmeter/thresholds.yml] [--baseline SUMMARY.json|auto]
//          [--out DIR] [--pushgateway URL --env E --release R]
// lab gate --promote-baseline [--summary SUMMARY.json] --env production
// Exit codes: 0 pass, 1 fail, 2 invalid input (JTL, thresholds, baseline, flags).
import path from 'node:path';
import { ExitCode, LabError } from '../errors.js';
import { newRunDir, repoRoot } from '../state.js';
import type { CommandModule } from './types.js';

interface GateFlags {
  results?: string;
  thresholds?: string;
  baseline?: string;
  baselineEnv: string;
  out?: string;
  pushgateway?: string;
  env?: string;
  release?: string;
  promoteBaseline?: boolean;
  summary?: string;
}

export const gateCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('gate')
      .description(
        'judge a JMeter results file (JTL) against thresholds: exit 0 pass, 1 fail, 2 invalid input',
      )
      .option('--results <file>', 'JMeter CSV results (JTL) to judge')
      .option('--thresholds <file>', 'thresholds file (default: jmeter/thresholds.yml)')
      .option(
        '--baseline <summary>',
        "baseline summary.json, or 'auto' for the promoted one (.lab/baselines/<env>.json)",
      )
      .option('--baseline-env <env>', "which promoted baseline 'auto' means", 'production')
      .option(
        '--out <dir>',
        'folder for junit.xml, summary.json, report.html (default: a new .lab/runs/ folder)',
      )
      .option(
        '--pushgateway <url>',
        'push the verdict and key figures to this Pushgateway (needs --env and --release)',
      )
      .option(
        '--env <env>',
        'environment under test (recorded; Pushgateway grouping key; with --promote-baseline: the baseline name)',
      )
      .option(
        '--release <release>',
        'release under test, e.g. the image tag (recorded; Pushgateway label)',
      )
      .option(
        '--promote-baseline',
        'store a passing summary as the baseline of --env (no gate run)',
      )
      .option(
        '--summary <file>',
        'with --promote-baseline: the summary.json to promote (default: the newest run)',
      )
      .addHelpText(
        'after',
        `
Examples:
  lab gate --results .lab/runs/X-loadtest/results.jtl --baseline auto
  lab gate --promote-baseline --env production --summary .lab/runs/X-loadtest/summary.json`,
      )
      .action(async (flags: GateFlags) => {
        const [{ formatVerdict, latestSummary, promoteBaseline, runGate }, { checkEnvName }] =
          await Promise.all([import('../gate/index.js'), import('../gate/summary.js')]);
        if (flags.promoteBaseline) {
          if (!flags.env)
            throw new LabError(
              ExitCode.INVALID_INPUT,
              '--promote-baseline needs --env (the environment the release reached, like production)',
            );
          const summary = flags.summary ?? latestSummary();
          if (!summary) {
            throw new LabError(
              ExitCode.INVALID_INPUT,
              'no summary.json to promote: no gate has run yet',
              'pass --summary FILE',
            );
          }
          const target = promoteBaseline(summary, flags.env);
          ctx.out.result(
            { promoted: path.resolve(summary), baseline: target, env: flags.env },
            () =>
              ctx.out.line(
                `✓ ${path.relative(process.cwd(), summary) || summary} is now the ${flags.env} baseline (${target})`,
              ),
          );
          return;
        }
        if (!flags.results) {
          throw new LabError(
            ExitCode.INVALID_INPUT,
            'lab gate needs --results FILE.jtl',
            'the JTL written by `lab loadtest` (or JMeter -l)',
          );
        }
        if (flags.pushgateway && (!flags.env || !flags.release)) {
          throw new LabError(
            ExitCode.INVALID_INPUT,
            '--pushgateway needs --env and --release (they label the pushed verdict)',
          );
        }
        if (flags.env) checkEnvName(flags.env);
        const report = await runGate({
          results: flags.results,
          thresholds: flags.thresholds ?? path.join(repoRoot(), 'jmeter', 'thresholds.yml'),
          baseline: flags.baseline,
          baselineEnv: flags.baselineEnv,
          outDir: flags.out ?? newRunDir('gate'),
          pushgateway: flags.pushgateway
            ? { url: flags.pushgateway, env: flags.env!, release: flags.release! }
            : undefined,
          env: flags.env,
          release: flags.release,
        });
        ctx.out.result(report, () => ctx.out.line(formatVerdict(report)));
        process.exitCode = report.exitCode;
      });
  },
};
