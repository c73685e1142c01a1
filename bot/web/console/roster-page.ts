// The roster: download it as it stands; upload a .xlsx/.csv, which is checked in full (the same
// validation and per-row errors as `npm run roster import`) and shown before anything is written;
// only a second, confirmed post imports it, all or nothing, into the audit log.

import { count } from 'drizzle-orm';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { audit } from '../../../storage/audit';
import { type AccountColumn, exportRoster, type ImportResult, importRoster } from '../../../storage/roster';
import { members, organisations } from '../../../storage/schema';
import type { Assistant } from '../../core/assistant';
import { TableFileError, tableOf, toCsv } from '../../files';
import { csrfField, type Html, page } from './layout';
import type { ConsoleEnv, Viewer } from './session';

const MAX_BYTES = 5 * 1024 * 1024;

const summaryText = (r: Extract<ImportResult, { ok: true }>['summary']) =>
  `新建组织 ${r.orgsCreated} 个，新增成员 ${r.membersCreated} 人，更新 ${r.membersUpdated} 人，未变 ${r.membersUnchanged} 人`;

async function rosterView(bot: Assistant, v: Viewer, extra: Html | string = ''): Promise<Html> {
  const [[m], [o]] = await Promise.all([
    bot.db.select({ n: count() }).from(members),
    bot.db.select({ n: count() }).from(organisations),
  ]);
  return html`<h1>名册</h1>${extra}
<div class="card"><p>现有 ${o?.n ?? 0} 个组织、${m?.n ?? 0} 名成员。<a class="button" href="/admin/roster/export.csv">下载当前名册（.csv）</a></p>
<p class="muted">下载、在 Excel 里修改、再上传，就是一次完整的更新；表头与 npm run roster 相同。</p></div>
<div class="card"><form method="post" action="/admin/roster/check" enctype="multipart/form-data">${csrfField(v)}
<p><b>上传名册</b>（.xlsx 或 .csv）：先检查每一行，确认无误后才会导入。</p>
<input type="file" name="file" accept=".xlsx,.csv" required> <button class="primary" type="submit">检查</button></form></div>`;
}

export function rosterRoutes(bot: Assistant, accountColumns: readonly AccountColumn[]): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const show = async (v: Viewer, extra?: Html | string, status: 200 | 400 = 200) =>
    [page(v, '名册', '/admin/roster', await rosterView(bot, v, extra)), status] as const;

  app.get('/', async (c) => c.html(...(await show(c.var.viewer))));

  app.get('/export.csv', async (c) => {
    const csv = toCsv(await exportRoster(bot.db, accountColumns));
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('名册.csv')}`,
    });
  });

  app.post('/check', async (c) => {
    const v = c.var.viewer;
    const file = (await c.req.parseBody()).file;
    const refuse = async (text: string) => c.html(...(await show(v, html`<div class="error">${text}</div>`, 400)));
    if (!(file instanceof File) || file.size === 0) return refuse('请选择名册文件。');
    if (file.size > MAX_BYTES) return refuse(`${file.name}：文件超过 5 MB。`);
    let table: string[][];
    try {
      table = await tableOf(file.name, new Uint8Array(await file.arrayBuffer()));
    } catch (err) {
      if (!(err instanceof TableFileError)) throw err;
      return refuse(`${file.name}：${err.message}`);
    }
    const result = await importRoster(bot.db, table, bot.now().getTime(), v.member.id, accountColumns, {
      dryRun: true,
    });
    if (!result.ok)
      return c.html(
        ...(await show(
          v,
          html`<div class="error" id="roster-errors"><p><b>名册未导入：${result.errors.length} 处错误，请修改后重新上传（未做任何改动）。</b></p>
<div class="scroll"><table><thead><tr><th>行</th><th>列</th><th>问题</th></tr></thead><tbody>${result.errors.map(
            (e) => html`<tr><td>第 ${e.row} 行</td><td>${e.column}</td><td>${e.message}</td></tr>`,
          )}</tbody></table></div></div>`,
          400,
        )),
      );
    return c.html(
      ...(await show(
        v,
        html`<div class="notice" id="roster-preview"><p><b>${file.name}</b> 检查通过，${table.length - 1} 行。导入后：${summaryText(result.summary)}。</p>
<form method="post" action="/admin/roster/import">${csrfField(v)}<input type="hidden" name="table" value="${JSON.stringify(table)}">
<button class="primary" type="submit">确认导入</button> <a href="/admin/roster">取消</a></form></div>`,
      )),
    );
  });

  app.post('/import', async (c) => {
    const v = c.var.viewer;
    let table: unknown;
    try {
      table = JSON.parse(String((await c.req.parseBody()).table ?? ''));
    } catch {
      table = null;
    }
    const valid = Array.isArray(table) && table.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'string'));
    if (!valid) return c.html(...(await show(v, html`<div class="error">请重新上传名册文件。</div>`, 400)));
    const now = bot.now().getTime();
    // Checked again: the roster may have changed since the preview.
    const result = await importRoster(bot.db, table as string[][], now, v.member.id, accountColumns);
    if (!result.ok)
      return c.html(
        ...(await show(v, html`<div class="error">名册未导入：检查之后名册有了变化，请重新上传检查。</div>`, 400)),
      );
    await audit(bot.db, now, {
      actor: v.member.id,
      action: 'roster.import',
      subject: 'roster',
      detail: result.summary,
    });
    return c.html(...(await show(v, html`<div class="done">名册已导入：${summaryText(result.summary)}。</div>`)));
  });
  return app;
}
