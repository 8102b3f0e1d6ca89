// lab alerts [--url URL]        — what fires now, from Alertmanager's v2 API
// lab alerts test [--url URL]   — posts a test alert that goes through the real routing to
//                                 Slack (when configured) and email
import { table } from '../output/render.js';
import type { CommandModule } from './types.js';

interface UrlFlag {
  url?: string;
}

const URL_HELP =
  'Alertmanager base URL (default: $LAB_ALERTMANAGER_URL, else the monitoring node of the inventory, port 9093)';

export const alertsCommand: CommandModule = {
  register(program, ctx) {
    const alerts = program
      .command('alerts')
      .description('list the alerts firing in Alertmanager (--json for machine output)')
      .option('--url <url>', URL_HELP)
      .action(async (flags: UrlFlag) => {
        const { fetchAlerts, resolveAlertmanagerUrl, since, where } =
          await import('../alerts/index.js');
        const url = resolveAlertmanagerUrl(flags.url);
        const list = await fetchAlerts({ url });
        ctx.out.result({ alertmanager: url, alerts: list }, () => {
          if (list.length === 0) {
            ctx.out.line(`no alerts firing (${url})`);
            return;
          }
          ctx.out.line(
            table(
              list.map((a) => [
                a.labels.severity ?? '',
                a.labels.alertname ?? '',
                where(a.labels),
                since(a.startsAt),
                a.status.state === 'suppressed' ? 'suppressed' : 'firing',
                a.annotations.summary ?? '',
              ]),
              ['severity', 'alert', 'where', 'for', 'state', 'summary'],
            ),
          );
          ctx.out.line(
            `\n${list.length} alert(s) in ${url}; runbooks: README.md "Alerts and runbooks"`,
          );
        });
      });

    alerts
      .command('test')
      .description(
        'send a test alert through Alertmanager to Slack (when configured) and email; it resolves after 5 minutes',
      )
      .option('--url <url>', URL_HELP)
      .action(async (flags: UrlFlag) => {
        const { resolveAlertmanagerUrl, sendTestAlert } = await import('../alerts/index.js');
        // The sub-command's --url, or the parent's (`lab alerts --url X test`).
        const url = resolveAlertmanagerUrl(flags.url ?? alerts.opts<UrlFlag>().url);
        const sent = await sendTestAlert({ url });
        ctx.out.result({ alertmanager: url, sent }, () => {
          ctx.out.line(`sent to ${url}:`);
          ctx.out.line(
            table([
              ...Object.entries(sent.labels).map(([k, v]) => [`label ${k}`, v]),
              ...Object.entries(sent.annotations).map(([k, v]) => [k, v]),
              ['startsAt', sent.startsAt],
              ['endsAt', sent.endsAt],
            ]),
          );
          ctx.out.line(
            "\nIt reaches Slack (when a webhook is configured) and email after group_wait (10 s by default); the lab's SMTP sink shows it in its web inbox on the monitoring node, port 8025.",
          );
        });
      });
  },
};
