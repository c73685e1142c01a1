// The overview as HTML: the period picker, the legend and the matrix.
import { html } from 'hono/html';
import type { Cell } from './cells';
import { STATE_WORDS } from './cells';
import type { Html } from './layout';
import type { Ledger } from './ledger';
import { columnsOf, rowOf } from './overview';
import { shifted, type Window, windowOf, windowTitle } from './period';

/** Month / quarter / year of today, and the previous and next window of the span in view. */
export function picker(path: string, w: Window, today: string): Html {
  const spans = [
    { label: '本月', id: windowOf(today.slice(0, 7), today) },
    { label: '本季度', id: windowOf(undefined, today) },
    { label: '本年', id: windowOf(today.slice(0, 4), today) },
  ];
  return html`<div class="picker">
<a href="${path}?p=${shifted(w, -1).id}" aria-label="上一期">‹</a><span class="title">${windowTitle(w)}</span><a href="${path}?p=${shifted(w, 1).id}" aria-label="下一期">›</a>
${spans.map((s) => html`<a href="${path}?p=${s.id.id}" class="${s.id.id === w.id ? 'on' : ''}">${s.label}</a>`)}
</div>`;
}

const legend = html`<div class="legend">${(['ok', 'due', 'late', 'none'] as const).map(
  (s) => html`<span class="${s}">${STATE_WORDS[s]}</span>`,
)}<span>数字为次数，小字为已完成/应完成的期数</span></div>`;

function cellHtml(key: string, c: Cell | undefined): Html {
  if (!c) return html`<td></td>`;
  return html`<td class="cell" data-col="${key}"><a class="${c.state}" href="${c.href}" title="${STATE_WORDS[c.state]}"><b>${c.label}${
    c.risk ? html`<span class="risk">风险</span>` : ''
  }</b>${c.note ? html`<small>${c.note}</small>` : ''}</a></td>`;
}

export function overviewPage(ledger: Ledger, w: Window, now: number, today: string): Html {
  const columns = columnsOf(ledger);
  const rows = ledger.branches.map((org) => ({ org, cells: rowOf(ledger, org, w, now) }));
  const body =
    rows.length === 0
      ? html`<p>您的权限范围内还没有支部。</p>`
      : html`<div class="scroll"><table class="matrix" id="matrix">
<thead><tr><th>支部</th>${columns.map((c) => html`<th>${c.title}<small>${c.hint}</small></th>`)}</tr></thead>
<tbody>${rows.map(
          (r) =>
            html`<tr data-org="${r.org.name}"><td><a href="/admin/org/${encodeURIComponent(r.org.id)}?p=${w.id}">${r.org.name}</a></td>${columns.map(
              (c) => cellHtml(c.key, r.cells[c.key]),
            )}</tr>`,
        )}</tbody></table></div>`;
  return html`<h1>总览</h1>${picker('/admin', w, today)}${legend}${body}`;
}
