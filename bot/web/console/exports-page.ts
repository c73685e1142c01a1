// The existing workbooks by button: a branch's 会议台账 for anyone who sees the branch; the district's
// 走访 / 研判 / 自查 台账 for the admins (they list every branch). Built by the same builders as
// `npm run export`.

import type ExcelJS from 'exceljs';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { atShanghai, periodOf, shanghaiDate } from '../../../domain/calendar';
import { meetingsWorkbook } from '../../../handlers/checkin/workbook';
import { dutyWorkbook } from '../../../handlers/duties/workbook';
import { selfcheckWorkbook } from '../../../handlers/selfcheck/workbook';
import { allOrgs, branchesOf } from '../../../storage/orgs';
import type { Assistant } from '../../core/assistant';
import { message, page } from './layout';
import type { ConsoleData } from './ledger';
import { picker } from './overview-page';
import { windowOf } from './period';
import type { ConsoleEnv } from './session';

async function xlsx(book: ExcelJS.Workbook, name: string): Promise<Response> {
  return new Response((await book.xlsx.writeBuffer()) as ArrayBuffer, {
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
    },
  });
}

export function exportRoutes(bot: Assistant, deps: ConsoleData): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const visit = deps.duties.find((d) => d.form === 'visit');
  const ideology = deps.duties.find((d) => d.form === 'ideology');
  const graded = deps.forms.find((f) => f.scoring);

  app.get('/', async (c) => {
    const v = c.var.viewer;
    const today = shanghaiDate(bot.now().getTime());
    const w = windowOf(c.req.query('p'), today);
    const year = periodOf('year', w.first).id;
    const branches = branchesOf(await allOrgs(bot.db)).filter((o) => v.scope.all || v.scope.orgIds.has(o.id));
    const district = v.admin
      ? html`<h2>全区台账</h2><p>
${visit ? html`<a class="button" href="/admin/exports/visits?p=${w.id}">${visit.title}台账（${periodOf(visit.every, w.first).id}）</a> ` : ''}
${ideology ? html`<a class="button" href="/admin/exports/ideology?p=${w.id}">${ideology.title}台账（${periodOf(ideology.every, w.first).id}）</a> ` : ''}
${graded ? html`<a class="button" href="/admin/exports/selfcheck?p=${w.id}">分类定级自查（${year}）</a>` : ''}</p>`
      : '';
    const body = html`<h1>导出</h1>${picker('/admin/exports', w, today)}${district}
<h2>会议台账（${w.first} 至 ${w.last}）</h2><ul class="plain">${branches.map(
      (o) => html`<li><a href="/admin/exports/meetings?org=${encodeURIComponent(o.id)}&p=${w.id}">${o.name}</a></li>`,
    )}</ul>`;
    return c.html(page(v, '导出', '/admin/exports', body));
  });

  app.get('/:kind', async (c) => {
    const v = c.var.viewer;
    const w = windowOf(c.req.query('p'), shanghaiDate(bot.now().getTime()));
    const kind = c.req.param('kind');
    if (kind === 'meetings') {
      const org = (await allOrgs(bot.db)).find((o) => o.id === c.req.query('org'));
      if (!org || !(v.scope.all || v.scope.orgIds.has(org.id)))
        return c.html(message(v, '无权导出', '您只能导出自己权限范围内支部的会议台账。'), 403);
      const book = await meetingsWorkbook(bot.db, org.id, org.name, atShanghai(w.first, 0), atShanghai(w.last, 24) - 1);
      return xlsx(book, `会议台账-${org.name}-${w.id}.xlsx`);
    }
    if (!v.admin) return c.html(message(v, '无权导出', '全区台账仅限管理员导出。'), 403);
    const duty = kind === 'visits' ? visit : kind === 'ideology' ? ideology : undefined;
    if (duty) {
      const period = periodOf(duty.every, w.first);
      return xlsx(await dutyWorkbook(bot.db, duty, period), `${duty.title}台账-${period.id}.xlsx`);
    }
    if (kind === 'selfcheck' && graded) {
      const year = periodOf('year', w.first).id;
      const book = await selfcheckWorkbook(
        bot.db,
        graded,
        deps.forms.find((f) => f.id === 'rectification'),
        year,
      );
      return xlsx(book, `分类定级自查-${year}.xlsx`);
    }
    return c.html(message(v, '没有这种台账', '请从“导出”页面选择。'), 404);
  });
  return app;
}
