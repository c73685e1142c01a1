// The neutral card as a mobile web page (a long form opened from a link inside WeCom or DingTalk):
// every input as a form field, every button as a submit button naming its index, as the chat
// renderers name them; the server maps the index back through the stored card.
import type { Card } from '../model';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** Markdown's bold and list lines, as HTML. */
function bodyHtml(body: string): string {
  return body
    .split('\n')
    .map((line) => esc(line).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>'))
    .map((line) => (line.startsWith('- ') ? `<li>${line.slice(2)}</li>` : `<p>${line}</p>`))
    .join('\n');
}

export function renderCardHtml(card: Card, opts: { action: string; notices?: string[] }): string {
  const fields = (card.inputs ?? []).map((input) => {
    const label = `<label for="${esc(input.name)}">${esc(input.label)}</label>`;
    if (input.kind === 'text') {
      return `${label}<textarea id="${esc(input.name)}" name="${esc(input.name)}" maxlength="${input.maxLength ?? 500}" placeholder="${esc(input.placeholder ?? '')}">${esc(input.value ?? '')}</textarea>`;
    }
    const chosen = new Set([input.value ?? []].flat());
    const options = input.options
      .map((o) => `<option value="${esc(o.value)}"${chosen.has(o.value) ? ' selected' : ''}>${esc(o.label)}</option>`)
      .join('');
    const empty = input.multiple ? '' : `<option value=""${chosen.size ? '' : ' selected'}>请选择</option>`;
    return `${label}<select id="${esc(input.name)}" name="${esc(input.name)}"${input.multiple ? ' multiple' : ''}>${empty}${options}</select>`;
  });
  const buttons = (card.buttons ?? []).map(
    (b, i) =>
      `<button type="submit" name="button" value="${i}" class="${b.style ?? 'default'}">${esc(b.label)}</button>`,
  );
  const notices = (opts.notices ?? []).map((n) => `<div class="notice">${bodyHtml(n)}</div>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(card.title)}</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:12px;max-width:720px;margin:auto;line-height:1.5}
h1{font-size:1.2em}label{display:block;margin-top:14px;font-weight:600}
select,textarea{width:100%;box-sizing:border-box;font-size:1em;padding:6px;margin-top:4px}textarea{min-height:4em}
.notice{background:#fff6e0;border-left:4px solid #f0a020;padding:6px 10px;margin:8px 0}
.buttons{position:sticky;bottom:0;background:#fff;padding:10px 0;display:flex;gap:8px}
button{flex:1;font-size:1em;padding:10px;border-radius:6px;border:1px solid #ccc;background:#f5f5f5}
button.primary{background:#c8161d;color:#fff;border-color:#c8161d}.status{color:#666}
</style></head><body>
<h1>${esc(card.title)}</h1>
${notices}
${card.body ? bodyHtml(card.body) : ''}
${card.status ? `<p class="status">${esc(card.status)}</p>` : ''}
${fields.length + buttons.length > 0 ? `<form method="post" action="${esc(opts.action)}">\n${fields.join('\n')}\n<div class="buttons">${buttons.join('')}</div>\n</form>` : ''}
</body></html>`;
}
