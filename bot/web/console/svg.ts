// Charts as server-rendered SVG: no script, no library, nothing fetched; they scale with the page
// (viewBox) and every mark carries its figure as text, so a phone shows them as well as a desktop.
import { html } from 'hono/html';
import type { Html } from './layout';

export interface Bar {
  label: string;
  value: number;
  /** What is written above the bar (default: the value). */
  text?: string;
}

/** Vertical bars on a 0..max scale, labels under, figures above. */
export function barChart(o: { title: string; bars: Bar[]; max: number; colour?: string }): Html {
  const W = 360;
  const H = 200;
  const top = 22;
  const bottom = 34;
  const left = 8;
  const slot = (W - left * 2) / Math.max(1, o.bars.length);
  const width = Math.min(36, slot * 0.66);
  const scale = (v: number) => ((H - top - bottom) * Math.min(v, o.max)) / (o.max || 1);
  // Twelve figures such as 100% fit over twelve bars only a size smaller.
  const figure = o.bars.length > 8 ? 9 : 11;
  return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${o.title}">
<line x1="${left}" y1="${H - bottom}" x2="${W - left}" y2="${H - bottom}" stroke="#ccc"/>
${o.bars.map((b, i) => {
  const x = left + slot * i + (slot - width) / 2;
  const h = scale(b.value);
  const cx = x + width / 2;
  return html`<g><title>${b.label}：${b.text ?? b.value}</title>
<rect x="${x.toFixed(1)}" y="${(H - bottom - h).toFixed(1)}" width="${width.toFixed(1)}" height="${h.toFixed(1)}" rx="3" fill="${o.colour ?? '#b5121b'}"/>
<text x="${cx.toFixed(1)}" y="${(H - bottom - h - 5).toFixed(1)}" text-anchor="middle" font-size="${figure}" fill="#333">${b.text ?? b.value}</text>
<text x="${cx.toFixed(1)}" y="${H - bottom + 15}" text-anchor="middle" font-size="11" fill="#555">${b.label}</text></g>`;
})}
</svg>`;
}

/** A colour for a share from 0 (red) through amber to 1 (green); grey for no figure. */
function shade(v: number | null): string {
  if (v === null) return '#f0f0f0';
  if (v >= 0.9) return '#2e9d4a';
  if (v >= 0.75) return '#8cc665';
  if (v >= 0.6) return '#f2c14e';
  return '#e0674f';
}

/** Rows × columns of shares (0..1, or null for nothing to count), each cell coloured and labelled. */
export function heatmap(o: {
  title: string;
  columns: string[];
  rows: { label: string; values: (number | null)[] }[];
}): Html {
  const labelW = 132;
  const cellW = 44;
  const cellH = 24;
  const W = labelW + cellW * o.columns.length + 4;
  const H = 22 + cellH * o.rows.length + 4;
  const short = (s: string) => ([...s].length > 9 ? `${[...s].slice(0, 8).join('')}…` : s);
  return html`<div class="scroll"><svg class="wide" viewBox="0 0 ${W} ${H}" role="img" aria-label="${o.title}">
${o.columns.map(
  (c, j) =>
    html`<text x="${labelW + cellW * j + cellW / 2}" y="15" text-anchor="middle" font-size="11" fill="#555">${c}</text>`,
)}
${o.rows.map(
  (
    r,
    i,
  ) => html`<g><text x="${labelW - 6}" y="${22 + cellH * i + 16}" text-anchor="end" font-size="11.5" fill="#333">${short(r.label)}</text>
${r.values.map((v, j) => {
  const x = labelW + cellW * j;
  const y = 22 + cellH * i;
  return html`<g><title>${r.label} ${o.columns[j]}：${v === null ? '无会议' : `${Math.round(v * 100)}%`}</title>
<rect x="${x + 1}" y="${y + 1}" width="${cellW - 2}" height="${cellH - 2}" rx="3" fill="${shade(v)}"/>
<text x="${x + cellW / 2}" y="${y + 16}" text-anchor="middle" font-size="10.5" fill="${v === null ? '#aaa' : '#fff'}">${v === null ? '—' : Math.round(v * 100)}</text></g>`;
})}</g>`,
)}
</svg></div>`;
}
