// Usage: the plan, a quota bar per meter, a 30-day chart (SVG) and the rate-limit status.
import { h, svg, replace, showError, screenHeading, field, formatBytes, formatDate } from '../render.js';
import { get, rateLimitStatus } from '../api.js';

const LABELS = {
  messages: 'Chat messages', chat_tokens: 'Chat tokens', embedding_tokens: 'Embedding tokens', document_pages: 'Document pages',
  search_queries: 'Search queries', api_calls: 'API calls (today)', documents: 'Documents stored', storage_bytes: 'Storage',
};
const label = (resource) => LABELS[resource] || resource;
const amount = (resource, n) => (resource === 'storage_bytes' ? formatBytes(n) : Number(n).toLocaleString());

export async function mount(main) {
  const errors = h('div');
  const plan = h('section', { class: 'card', 'aria-labelledby': 'plan-title' }, h('h2', { id: 'plan-title' }, 'Plan'));
  const quotas = h('section', { class: 'card', 'aria-labelledby': 'quota-title' }, h('h2', { id: 'quota-title' }, 'This period'));
  const chart = h('section', { class: 'card', 'aria-labelledby': 'chart-title' }, h('h2', { id: 'chart-title' }, 'Last 30 days'));
  const limits = h('section', { class: 'card', 'aria-labelledby': 'rl-title' }, h('h2', { id: 'rl-title' }, 'Rate limit'));
  main.append(screenHeading('Usage'), errors, h('div', { class: 'grid' }, plan, limits), quotas, chart);

  try {
    const report = await get('/v1/usage');
    renderRateLimit(limits);
    renderQuotas(quotas, report.usage || []);
    replace(plan, plan.firstChild, h('p', {}, 'Plan: ', h('strong', {}, report.plan)));
    get(`/v1/plans/${encodeURIComponent(report.plan)}`).then((p) => {
      const rl = p.rate_limits || {};
      replace(plan, plan.firstChild, h('p', {}, h('strong', {}, p.display_name || p.name), ` · ${(p.price_cents / 100).toFixed(2)} ${String(p.currency || '').toUpperCase()} a month`),
        h('ul', {}, Object.entries(rl).map(([cls, r]) => h('li', {}, `${cls}: ${r.per_minute}/min per caller, ${r.tenant_per_minute}/min for the organisation`))));
    }).catch(() => { /* the plan's name is already shown */ });
  } catch (error) { showError(errors, error); }

  try {
    const history = await get('/v1/usage/history');
    renderChart(chart, history);
  } catch (error) { showError(errors, error); }
}

function renderRateLimit(section) {
  const rl = rateLimitStatus();
  if (!rl) { replace(section, section.firstChild, h('p', { class: 'meta' }, 'No rate-limit headers seen yet.')); return; }
  const bar = h('meter', { min: '0', max: String(rl.limit), value: String(rl.remaining), low: String(rl.limit * 0.2), high: String(rl.limit * 0.5), optimum: String(rl.limit) });
  bar.id = 'rl-meter';
  replace(section, section.firstChild,
    h('label', { for: 'rl-meter' }, `${rl.remaining} of ${rl.limit} requests left in the tightest bucket`), bar,
    h('p', { class: 'meta' }, `Full again in ${rl.reset} s (as of ${new Date(rl.seenAt).toLocaleTimeString()}).`));
}

function renderQuotas(section, lines) {
  const rows = lines.map((line) => {
    const limited = line.limit !== undefined && line.limit !== null && line.limit >= 0;
    const id = `q-${line.resource}`;
    const text = limited ? `${amount(line.resource, line.used)} of ${amount(line.resource, line.limit)}`
      : `${amount(line.resource, line.used)}${line.limit === -1 ? ' (unlimited)' : ''}`;
    return h('div', { class: 'quota' },
      h('label', { for: id }, h('span', {}, label(line.resource)), h('span', { class: 'meta' }, text)),
      limited ? h('meter', { id, min: '0', max: String(Math.max(1, line.limit)), value: String(Math.min(line.used, line.limit)), low: String(line.limit * 0.7), high: String(line.limit * 0.9), optimum: '0' })
        : h('span', { id, class: 'meta' }, ''),
      line.period_end ? h('small', { class: 'meta' }, `Resets ${formatDate(line.period_end)}`) : null);
  });
  replace(section, section.firstChild, rows.length ? rows : h('p', { class: 'meta' }, 'No usage yet.'));
}

function renderChart(section, history) {
  const series = history.series || [];
  const resources = [...new Set(series.map((p) => p.resource))];
  if (!resources.includes('messages')) resources.unshift('messages');
  const select = h('select', {}, resources.map((r) => h('option', { value: r }, label(r))));
  const holder = h('div', { class: 'chart' });
  const draw = () => replace(holder, chartFor(history, select.value));
  select.addEventListener('change', draw);
  replace(section, section.firstChild, field('Meter', select), holder);
  draw();
}

/** An SVG bar chart of one meter per day, with a table of the same numbers for assistive tech. */
function chartFor(history, resource) {
  const days = [];
  const to = new Date(`${history.to}T00:00:00Z`);
  const from = new Date(`${history.from}T00:00:00Z`);
  for (let d = new Date(from); d <= to; d.setUTCDate(d.getUTCDate() + 1)) days.push(d.toISOString().slice(0, 10));
  const byDay = new Map();
  for (const p of history.series || []) if (p.resource === resource) byDay.set(p.date, (byDay.get(p.date) || 0) + p.quantity);
  const values = days.map((d) => byDay.get(d) || 0);
  const max = Math.max(1, ...values);
  const W = 600; const H = 200; const padL = 40; const padB = 24; const padT = 10;
  const bw = (W - padL) / Math.max(1, days.length);
  const y = (v) => padT + (H - padT - padB) * (1 - v / max);
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-svg-title', class: 'bars' },
    svg('title', { id: 'chart-svg-title' }, `${label(resource)} per day, ${history.from} to ${history.to}; highest ${max.toLocaleString()}`),
    svg('line', { x1: padL, y1: y(0), x2: W, y2: y(0), class: 'axis' }),
    svg('text', { x: padL - 4, y: y(max) + 4, class: 'tick', 'text-anchor': 'end' }, amount(resource, max)),
    svg('text', { x: padL - 4, y: y(0), class: 'tick', 'text-anchor': 'end' }, '0'),
    svg('text', { x: padL, y: H - 6, class: 'tick' }, days[0] || ''),
    svg('text', { x: W, y: H - 6, class: 'tick', 'text-anchor': 'end' }, days[days.length - 1] || ''));
  values.forEach((v, i) => {
    const top = y(v);
    chart.append(svg('rect', { x: padL + i * bw + 1, y: top, width: Math.max(1, bw - 2), height: Math.max(0, y(0) - top), class: 'bar' },
      svg('title', {}, `${days[i]}: ${amount(resource, v)}`)));
  });
  const table = h('details', {}, h('summary', {}, 'Show the numbers'),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col' }, label(resource)))),
      h('tbody', {}, days.map((d, i) => h('tr', {}, h('td', {}, d), h('td', {}, amount(resource, values[i]))))))));
  return [chart, table];
}
