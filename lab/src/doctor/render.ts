// How `lab doctor` looks on a terminal: a live progress line while the probes run (TTY only),
// then the table, the fixes and the verdict.
import { mark, table } from '../output/render.js';
import type { DoctorReport } from './index.js';
import type { CheckResult } from './types.js';

export function renderReport(report: DoctorReport, header: string): string[] {
  const lines = [header, ''];
  lines.push(
    table(
      report.checks.map((c) => [mark(c.status), c.title, c.detail]),
      [' ', 'check', 'result'],
    ),
  );
  const fixes = report.checks.filter(
    (c): c is CheckResult & { hint: string } => Boolean(c.hint) && c.status !== 'ok',
  );
  if (fixes.length > 0) {
    lines.push('', 'What to do:');
    for (const c of fixes) lines.push(`  ${mark(c.status)} ${c.title}: ${c.hint}`);
  }
  const v = report.verdict;
  const notUsable = v.providers.filter((p) => !p.usable);
  lines.push('', `Providers usable here: ${v.usable.length > 0 ? v.usable.join(', ') : 'none'}`);
  if (notUsable.length > 0) {
    lines.push(
      `Not usable: ${notUsable.map((p) => `${p.provider} (${p.reasons.join(', ')})`).join('; ')}`,
    );
  }
  lines.push(v.summary);
  if (v.hint) lines.push(`hint: ${v.hint}`);
  lines.push(
    v.ok
      ? `${mark('ok')} the lab can come up on this machine (exit 0)`
      : `${mark('fail')} the lab cannot come up on this machine yet (exit 1)`,
  );
  return lines;
}

/** One self-rewriting line on a terminal; nothing at all elsewhere (CI logs, pipes, --json). */
export function progressLine(stream: NodeJS.WriteStream, enabled: boolean, ids: readonly string[]) {
  const pending = new Set(ids);
  const draw = () => {
    if (!enabled) return;
    const waiting = [...pending].slice(0, 4).join(', ') + (pending.size > 4 ? ', ...' : '');
    stream.write(
      `\r\x1b[2Kchecking this machine (${ids.length - pending.size}/${ids.length}): ${waiting}`,
    );
  };
  draw();
  return {
    done(id: string) {
      pending.delete(id);
      draw();
    },
    clear() {
      if (enabled) stream.write('\r\x1b[2K');
    },
  };
}
