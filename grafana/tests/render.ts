// Renders a dashboard's panels as a static HTML page from the data its queries return from a
// real Prometheus, laid out by the panels' gridPos. Used for the README pictures: Grafana itself
// cannot be installed here, so these are NOT Grafana screenshots and say so on the page.
import { rangeQuery, substitute, type PromSeries } from './stack.js';

interface Target {
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
  format?: string;
}
interface Panel {
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Target[];
  fieldConfig?: {
    defaults?: {
      unit?: string;
      mappings?: { options: Record<string, { text: string; color?: string }> }[];
    };
  };
}
interface Annotation {
  name: string;
  expr?: string;
  titleFormat?: string;
  builtIn?: number;
}
export interface RenderableDashboard {
  title: string;
  description?: string;
  panels: Panel[];
  annotations: { list: Annotation[] };
}

const ROW_PX = 30;
const COLORS = [
  '#7eb26d',
  '#eab839',
  '#6ed0e0',
  '#ef843c',
  '#e24d42',
  '#1f78c1',
  '#ba43a9',
  '#705da0',
  '#508642',
  '#cca300',
];

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Grafana-like legend: {{label}} replaced by the series' label value. */
const legend = (format: string | undefined, metric: Record<string, string>) =>
  format
    ? format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, l: string) => metric[l] ?? '')
    : JSON.stringify(metric);

export function formatValue(v: number, unit?: string): string {
  if (!Number.isFinite(v)) return String(v);
  const num = (x: number, d = 2) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(d));
  switch (unit) {
    case 'percentunit':
      return `${num(v * 100, 1)}%`;
    case 's':
      return Math.abs(v) < 1 ? `${num(v * 1000, 1)} ms` : `${num(v)} s`;
    case 'bytes': {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let i = 0;
      while (Math.abs(v) >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
      }
      return `${num(v, 1)} ${units[i]}`;
    }
    case 'Bps':
      return `${formatValue(v, 'bytes')}/s`;
    case 'reqps':
      return `${num(v, 1)} req/s`;
    case 'dateTimeAsIso':
      return new Date(v).toISOString().replace('T', ' ').slice(0, 19);
    default:
      return Number.isInteger(v) ? String(v) : num(v);
  }
}

interface Data {
  legend: string;
  metric: Record<string, string>;
  points: [number, number][];
}

async function panelData(
  promUrl: string,
  p: Panel,
  seconds: number,
  variables: Record<string, string>,
): Promise<Data[]> {
  const out: Data[] = [];
  for (const t of p.targets ?? []) {
    if (!t.expr) continue;
    const step = Math.max(2, Math.round(seconds / 120));
    const series: PromSeries[] = await rangeQuery(
      promUrl,
      substitute(t.expr, variables),
      seconds,
      step,
    );
    for (const s of series) {
      out.push({
        legend: legend(t.legendFormat, s.metric),
        metric: s.metric,
        // NaN (e.g. a quantile over no traffic) is a gap, as in Grafana.
        points: (s.values ?? [])
          .map(([ts, v]) => [ts, Number(v)] as [number, number])
          .filter(([, v]) => Number.isFinite(v)),
      });
    }
  }
  return out;
}

function timeseries(data: Data[], unit: string | undefined, w: number, h: number): string {
  const all = data.flatMap((d) => d.points);
  if (all.length === 0) return '<div class="empty">no data</div>';
  const [t0, t1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  const vmax = Math.max(...all.map((p) => p[1]), 0);
  const vmin = Math.min(...all.map((p) => p[1]), 0);
  const span = vmax - vmin || 1;
  const [left, right, top, bottom] = [70, 8, 6, 18];
  const x = (t: number) => left + ((t - t0) / (t1 - t0 || 1)) * (w - left - right);
  const y = (v: number) => top + (1 - (v - vmin) / span) * (h - top - bottom);
  const grid = [0, 0.5, 1]
    .map((f) => {
      const v = vmin + f * span;
      return `<line x1="${left}" x2="${w - right}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${left - 4}" y="${y(v) + 4}" text-anchor="end">${esc(formatValue(v, unit))}</text>`;
    })
    .join('');
  const times = [t0, t1]
    .map(
      (t, i) =>
        `<text x="${x(t)}" y="${h - 4}" text-anchor="${i ? 'end' : 'start'}">${new Date(t * 1000).toISOString().slice(11, 19)}</text>`,
    )
    .join('');
  const lines = data
    .map(
      (d, i) =>
        `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5" points="${d.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const legendRows = data
    .slice(0, 8)
    .map((d, i) => {
      const last = d.points.at(-1)?.[1] ?? NaN;
      return `<div><span class="sw" style="background:${COLORS[i % COLORS.length]}"></span>${esc(d.legend)} <b>${esc(formatValue(last, unit))}</b></div>`;
    })
    .join('');
  const more = data.length > 8 ? `<div>… ${data.length - 8} more series</div>` : '';
  return `<svg width="${w}" height="${h}">${grid}${times}${lines}</svg><div class="legend">${legendRows}${more}</div>`;
}

function stat(data: Data[], p: Panel): string {
  if (data.length === 0) return '<div class="empty">no data</div>';
  const unit = p.fieldConfig?.defaults?.unit;
  const mappings = p.fieldConfig?.defaults?.mappings?.[0]?.options ?? {};
  return `<div class="stats">${data
    .map((d) => {
      const v = d.points.at(-1)?.[1] ?? NaN;
      const mapped = mappings[String(v)];
      const style = mapped?.color
        ? ` style="color:${mapped.color === 'red' ? '#f2495c' : '#73bf69'}"`
        : '';
      return `<div class="stat"><div class="big"${style}>${esc(mapped?.text ?? formatValue(v, unit))}</div><div class="name">${esc(d.legend)}</div></div>`;
    })
    .join('')}</div>`;
}

function table(data: Data[], p: Panel): string {
  if (data.length === 0) return '<div class="empty">no data</div>';
  const labels = [...new Set(data.flatMap((d) => Object.keys(d.metric)))]
    .filter((l) => !['__name__', 'job', 'instance'].includes(l))
    .sort();
  const unit =
    p.fieldConfig?.defaults?.unit ??
    (p.title === 'Deployed releases' ? 'dateTimeAsIso' : undefined);
  const head = `<tr>${labels.map((l) => `<th>${esc(l)}</th>`).join('')}<th>value</th></tr>`;
  const rows = data
    .slice(0, 12)
    .map(
      (d) =>
        `<tr>${labels.map((l) => `<td>${esc(d.metric[l] ?? '')}</td>`).join('')}<td>${esc(formatValue(d.points.at(-1)?.[1] ?? NaN, unit))}</td></tr>`,
    )
    .join('');
  return `<table>${head}${rows}</table>`;
}

export async function renderDashboard(
  promUrl: string,
  d: RenderableDashboard,
  opts: { seconds: number; widthPx: number; variables: Record<string, string> },
): Promise<{ html: string; heightPx: number; emptyPanels: string[] }> {
  const col = opts.widthPx / 24;
  const emptyPanels: string[] = [];
  const blocks: string[] = [];
  let bottom = 0;
  for (const p of d.panels) {
    const g = p.gridPos;
    bottom = Math.max(bottom, (g.y + g.h) * ROW_PX);
    const style = `left:${g.x * col}px;top:${g.y * ROW_PX}px;width:${g.w * col - 6}px;height:${g.h * ROW_PX - 6}px`;
    if (p.type === 'row') {
      blocks.push(`<div class="row" style="${style}">${esc(p.title)}</div>`);
      continue;
    }
    const data = await panelData(promUrl, p, opts.seconds, opts.variables);
    if (data.length === 0) emptyPanels.push(p.title);
    const innerW = Math.floor(g.w * col - 20);
    const innerH = Math.floor(
      g.h * ROW_PX - 6 - 28 - (p.type === 'timeseries' ? Math.min(data.length, 8) * 15 + 8 : 0),
    );
    const body =
      p.type === 'timeseries'
        ? timeseries(data, p.fieldConfig?.defaults?.unit, innerW, Math.max(innerH, 60))
        : p.type === 'stat'
          ? stat(data, p)
          : table(data, p);
    blocks.push(
      `<div class="panel" style="${style}"><div class="title">${esc(p.title)}</div>${body}</div>`,
    );
  }
  const notes: string[] = [];
  for (const a of d.annotations.list) {
    if (a.builtIn || !a.expr) continue;
    const series = await rangeQuery(promUrl, substitute(a.expr, opts.variables), 60, 30);
    for (const s of series.slice(0, 4)) {
      const at = Number(s.values?.at(-1)?.[1] ?? NaN);
      notes.push(
        `${esc(a.name)}: ${esc(legend(a.titleFormat, s.metric))} at ${Number.isFinite(at) ? new Date(at).toISOString().slice(0, 19).replace('T', ' ') : '?'} UTC`,
      );
    }
  }
  const vars = Object.entries(opts.variables)
    .filter(([k]) => !k.startsWith('__'))
    .map(([k, v]) => `$${k}=${v}`)
    .join(' ');
  const header = `<h1>${esc(d.title)}</h1>
<div class="caption">Rendered from the dashboard's queries against a real Prometheus by the test suite, not a Grafana screenshot.
Variables: ${esc(vars)}; last ${Math.round(opts.seconds)} s of data.</div>
<div class="sources">Sources on loopback: real prometheus-node-exporter, Pushgateway, Nginx + prometheus-nginx-exporter and the repository's recording rules;
an app-like target serving the services' metric names, and a stand-in serving cAdvisor's metric names (cAdvisor cannot run on the test machine).</div>
${notes.length ? `<div class="notes">Annotations: ${notes.join(' · ')}</div>` : ''}`;
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;padding:12px;background:#111217;color:#ccccdc;font:12px/1.3 sans-serif}
h1{font-size:18px;margin:0 0 4px}
.caption{color:#f2cc0c;margin-bottom:2px}.sources{color:#8e8e8e;margin-bottom:4px}.notes{color:#8ab8ff;margin-bottom:6px}
.grid-area{position:relative;width:${opts.widthPx}px;height:${bottom}px}
.panel{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:3px;padding:4px 6px;overflow:hidden;box-sizing:border-box}
.row{position:absolute;font-weight:bold;font-size:14px;border-bottom:1px solid #2c3235}
.title{font-weight:bold;margin-bottom:4px}
svg text{fill:#8e8e8e;font-size:10px}.grid{stroke:#2c3235}
.legend div{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.sw{display:inline-block;width:10px;height:3px;margin-right:4px;vertical-align:middle}
.stats{display:flex;flex-wrap:wrap;gap:8px}.stat{flex:1;min-width:80px;text-align:center}.big{font-size:24px;color:#73bf69}.name{color:#8e8e8e}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #2c3235;padding:2px 4px;text-align:left}
.empty{color:#f2495c}
</style></head><body>${header}<div class="grid-area">${blocks.join('\n')}</div></body></html>`;
  return { html, heightPx: bottom + 110, emptyPanels };
}
