// Handlebars template of report.html. Self-contained on purpose: inline CSS and SVG, no
// script, no font or image from elsewhere, so the report opens from a Jenkins artifact or a
// mail attachment exactly as it was written. {{...}} escapes every value (labels included).
export const REPORT_TEMPLATE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Performance gate: {{verdict}}</title>
<style>
  :root { color-scheme: light; --pass: #15803d; --fail: #b91c1c; --skip: #6b7280; --line: #e5e7eb; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px auto; max-width: 980px; padding: 0 16px; color: #111827; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 28px 0 8px; }
  .verdict { display: inline-block; padding: 2px 10px; border-radius: 4px; color: #fff; font-weight: 600; }
  .verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); }
  .meta { color: #4b5563; margin: 4px 0; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  tr.fail td { background: #fef2f2; }
  tr.total td { font-weight: 600; }
  .mark { font-weight: 700; text-align: center; }
  .mark.pass { color: var(--pass); } .mark.fail { color: var(--fail); } .mark.skip { color: var(--skip); }
  .msg { color: #4b5563; white-space: normal; }
  .note { color: #92400e; background: #fffbeb; border: 1px solid #fde68a; padding: 6px 10px; border-radius: 4px; margin: 8px 0; }
  svg text { font: 11px system-ui, sans-serif; fill: #4b5563; }
  .legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 4px 0 0 56px; }
  .legend span::before { content: ""; display: inline-block; width: 14px; height: 3px; margin-right: 5px; vertical-align: middle; background: var(--c); }
  details summary { cursor: pointer; color: #4b5563; margin: 6px 0; }
  svg { max-width: 100%; height: auto; }
  footer { margin-top: 28px; color: #6b7280; font-size: 12px; }
</style>
</head>
<body>
<h1>Performance gate <span class="verdict {{#if pass}}pass{{else}}fail{{/if}}" id="verdict">{{verdict}}</span></h1>
<p class="meta">{{failed}} of {{total}} checks failed · {{samples}} samples over {{duration}} s · {{createdAt}}</p>
<p class="meta">results <code>{{run.results}}</code> · thresholds <code>{{run.thresholds}}</code>{{#if run.baseline}} · baseline <code>{{run.baseline}}</code>{{/if}}{{#if run.release}} · release <code>{{run.release}}</code>{{/if}}{{#if run.env}} · env <code>{{run.env}}</code>{{/if}}</p>
{{#each notes}}<p class="note">{{this}}</p>{{/each}}

<h2>Verdict</h2>
<table id="checks">
  <thead><tr><th>scope</th><th>metric</th><th class="num">observed</th><th>limit</th><th></th><th>why</th></tr></thead>
  <tbody>
  {{#each checks}}
  <tr class="{{status}}"><td>{{scope}}</td><td>{{metricText}}</td><td class="num">{{observedText}}</td><td>{{limit}}</td><td class="mark {{status}}">{{mark}}</td><td class="msg">{{message}}</td></tr>
  {{/each}}
  </tbody>
</table>
{{#if skipped.length}}
<details id="skipped">
  <summary>{{skipped.length}} skipped check(s)</summary>
  <table>
    <tbody>
    {{#each skipped}}
    <tr class="skip"><td>{{scope}}</td><td>{{metricText}}</td><td class="num">{{observedText}}</td><td>{{limit}}</td><td class="mark skip">{{mark}}</td><td class="msg">{{message}}</td></tr>
    {{/each}}
    </tbody>
  </table>
</details>
{{/if}}

<h2>Latency per label</h2>
<table id="labels">
  <thead><tr><th>label</th><th class="num">samples</th><th class="num">errors</th><th class="num">throughput</th><th class="num">mean</th><th class="num">p50</th><th class="num">p90</th><th class="num">p95</th><th class="num">p99</th><th class="num">max</th></tr></thead>
  <tbody>
  {{#each labels}}
  <tr{{#if overall}} class="total"{{/if}}><td>{{name}}</td><td class="num">{{count}}</td><td class="num">{{errors}}</td><td class="num">{{throughput}}</td><td class="num">{{mean}}</td><td class="num">{{p50}}</td><td class="num">{{p90}}</td><td class="num">{{p95}}</td><td class="num">{{p99}}</td><td class="num">{{max}}</td></tr>
  {{/each}}
  </tbody>
</table>

{{#if chart}}
{{#with chart}}
<h2>p95 latency over time</h2>
<svg id="latency-chart" width="100%" viewBox="0 0 {{width}} {{height}}" role="img" aria-label="p95 latency per label over time">
  {{#each latency.y.ticks}}<line x1="{{../plot.x}}" x2="{{../plot.right}}" y1="{{pos}}" y2="{{pos}}" stroke="#e5e7eb"/><text x="{{../plot.x}}" dx="-6" y="{{pos}}" dy="4" text-anchor="end">{{text}}</text>{{/each}}
  {{#each latency.x.ticks}}<text x="{{pos}}" y="{{../plot.bottom}}" dy="18" text-anchor="middle">{{text}}</text>{{/each}}
  <line x1="{{plot.x}}" x2="{{plot.right}}" y1="{{plot.bottom}}" y2="{{plot.bottom}}" stroke="#9ca3af"/>
  {{#each latency.lines}}
  {{#if limitY}}<line x1="{{../plot.x}}" x2="{{../plot.right}}" y1="{{limitY}}" y2="{{limitY}}" stroke="{{color}}" stroke-dasharray="5 4" stroke-opacity="0.7"><title>{{label}} p95 limit {{limitText}}</title></line>{{/if}}
  <path d="{{d}}" fill="none" stroke="{{color}}" stroke-width="2" stroke-linejoin="round"><title>{{label}}</title></path>
  {{/each}}
</svg>
<div class="legend">{{#each latency.lines}}<span style="--c: {{color}}">{{label}}{{#if limitText}} (limit {{limitText}}, dashed){{/if}}</span>{{/each}}</div>
<p class="meta">Per time bucket of {{bucketText}}; a bucket's p95 is read from log-spaced bins (within ~10%). The tables above are exact.</p>

<h2>Throughput and errors over time</h2>
<svg id="throughput-chart" width="100%" viewBox="0 0 {{width}} {{height}}" role="img" aria-label="throughput and errors over time">
  {{#each throughput.y.ticks}}<line x1="{{../plot.x}}" x2="{{../plot.right}}" y1="{{pos}}" y2="{{pos}}" stroke="#e5e7eb"/><text x="{{../plot.x}}" dx="-6" y="{{pos}}" dy="4" text-anchor="end">{{text}}</text>{{/each}}
  {{#each throughput.x.ticks}}<text x="{{pos}}" y="{{../plot.bottom}}" dy="18" text-anchor="middle">{{text}}</text>{{/each}}
  <line x1="{{plot.x}}" x2="{{plot.right}}" y1="{{plot.bottom}}" y2="{{plot.bottom}}" stroke="#9ca3af"/>
  {{#each throughput.errorsY}}<text x="{{x}}" dx="6" y="{{pos}}" dy="4" fill="#dc2626" style="fill:#b91c1c">{{text}}</text>{{/each}}
  {{#each throughput.errorBars}}<rect x="{{x}}" y="{{y}}" width="{{w}}" height="{{h}}" fill="#dc2626" fill-opacity="0.75"/>{{/each}}
  <path d="{{throughput.d}}" fill="none" stroke="#111827" stroke-width="2" stroke-linejoin="round"><title>samples per second</title></path>
</svg>
<div class="legend"><span style="--c: #111827">samples/s (all labels, left axis)</span><span style="--c: #dc2626">errors/s (bars, right axis)</span></div>
{{/with}}
{{/if}}

<footer>Written by <code>lab gate</code>. Percentiles are nearest-rank and exact (whole-millisecond histogram of every sample).</footer>
</body>
</html>
`;
