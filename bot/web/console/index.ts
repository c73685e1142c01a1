// The 台账 console under /admin: the year at a glance for the district and each branch, the
// knowledge base and the roster. Server-rendered, no script; the same app on Node and Workers.
// The app attaches it at one point (bot/app.ts): `app.route('/admin', consoleRoutes(deps))`.

import { Hono } from 'hono';
import { html } from 'hono/html';
import type { PlatformId } from '../../../cards/message';
import { shanghaiDate } from '../../../domain/calendar';
import type { Duty } from '../../../domain/duties';
import type { FormDefinition } from '../../../domain/forms';
import { CONSOLE_ENTER_PATH, CONSOLE_ROLES } from '../../../handlers/console';
import { openLink } from '../../../handlers/links';
import { audit } from '../../../storage/audit';
import { allOrgs } from '../../../storage/orgs';
import { hasRole } from '../../../storage/people';
import type { AccountColumn } from '../../../storage/roster';
import type { Assistant } from '../../core/assistant';
import { bodyLimit } from '../../core/body-limit';
import type { PageSignIn } from '../../core/platform';
import type { RichReader } from '../../files';
import { linkUrl, signInStep, signInTemplates } from '../sign-in';
import { branchPage } from './branch-page';
import { chartsPage } from './charts';
import { exportRoutes } from './exports-page';
import { kbRoutes, MAX_POST_BYTES } from './kb-page';
import { message, page } from './layout';
import { loadLedger } from './ledger';
import { overviewPage, picker } from './overview-page';
import { windowOf } from './period';
import { rosterRoutes } from './roster-page';
import { type ConsoleEnv, startSession, viewerOf } from './session';
import { CONSOLE_CSS } from './style';

export interface ConsoleDeps {
  bot: Assistant;
  /** The secret the 管理后台 links are signed with (the bot's link secret); it also signs sessions. */
  secret: string;
  duties: readonly Duty[];
  forms: readonly FormDefinition[];
  /** Every platform registered: a link names one of them. */
  platforms: readonly PlatformId[];
  /** The roster's account columns (the platforms bring them). */
  accountColumns: readonly AccountColumn[];
  /** Who opened the link, where the platform can tell (the form page's sign-ins). */
  signIn?: Partial<Record<PlatformId, PageSignIn>>;
  /** The public URL is https: the session cookie is Secure (as the request's own https makes it). */
  secureCookie?: boolean;
  /** Reads .docx and .pdf uploads (Node); absent on Workers, where they are refused with a reason. */
  richReader?: RichReader;
}

const EXPIRED = '链接无效或已过期。请在聊天中（单聊机器人）重新发送“管理后台”获取新链接。';

/** The pages the console serves, as written, by path: what the app's security headers allow on them. */
export function consolePages(signIn?: Partial<Record<PlatformId, PageSignIn>>): Record<string, string[]> {
  const layout = String(message(null, '', ''));
  return { '/admin': [layout], '/admin/': [layout], [CONSOLE_ENTER_PATH]: [layout, ...signInTemplates(signIn)] };
}

export function consoleRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const { bot, secret } = deps;
  const data = { db: bot.db, duties: deps.duties, forms: deps.forms };
  const app = new Hono<ConsoleEnv>();

  app.get('/assets/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8' }));

  app.get('/enter', async (c) => {
    const now = bot.now().getTime();
    const clean = linkUrl(c.req.url);
    const link = await openLink(secret, CONSOLE_ENTER_PATH, clean.searchParams, now);
    const platform = link?.p;
    if (!link?.u || !platform || !deps.platforms.includes(platform))
      return c.html(message(null, '链接无效', EXPIRED), 403);
    const member = await bot.memberOn(platform, link.u);
    if (!member || !hasRole(member, ...CONSOLE_ROLES))
      return c.html(message(null, '无权进入', '管理后台仅限管理员、书记和班子成员使用。'), 403);
    const signIn = deps.signIn?.[platform];
    if (signIn) {
      const other = '这个链接是发给别人的，请在聊天里发“管理后台”获取自己的链接。';
      const step = await signInStep(c, signIn, clean.toString(), link.u, other);
      if (step instanceof Response) return step;
    }
    await startSession(c, secret, member.id, platform, now, deps.secureCookie ?? false);
    await audit(bot.db, now, { actor: member.id, action: 'console.enter', subject: member.id, detail: { platform } });
    return c.redirect('/admin');
  });

  // A post is read (for its CSRF token) only up to the largest upload the pages take.
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_POST_BYTES,
      onError: (c) => c.html(message(null, '文件太大', '上传的文件不能超过 20 MB。'), 413),
    }),
  );

  // Everything else needs a session; every post carries the session's CSRF token.
  app.use('*', async (c, next) => {
    const viewer = await viewerOf(c, bot, secret, deps.platforms);
    if (!viewer)
      return c.html(
        message(
          null,
          '请先登录',
          '请在企业微信或钉钉里单聊机器人，发送“管理后台”，点开收到的链接即可进入（链接 10 分钟内有效）。',
        ),
        401,
      );
    if (c.req.method === 'POST' && String((await c.req.parseBody())._csrf ?? '') !== viewer.csrf)
      return c.html(message(viewer, '页面已过期', '请返回上一页刷新后再提交。'), 403);
    c.set('viewer', viewer);
    await next();
  });

  // The knowledge base and the roster are the district's: admins only.
  for (const path of ['/kb', '/kb/*', '/roster', '/roster/*'])
    app.use(path, async (c, next) => {
      if (!c.var.viewer.admin) return c.html(message(c.var.viewer, '无权访问', '知识库和名册仅限管理员管理。'), 403);
      await next();
    });

  app.get('/', async (c) => {
    const now = bot.now().getTime();
    const today = shanghaiDate(now);
    const w = windowOf(c.req.query('p'), today);
    const ledger = await loadLedger(data, c.var.viewer.scope, w);
    return c.html(page(c.var.viewer, '总览', '/admin', overviewPage(ledger, w, now, today)));
  });

  app.get('/charts', async (c) => {
    const now = bot.now().getTime();
    const today = shanghaiDate(now);
    const year = windowOf(windowOf(c.req.query('p'), today).first.slice(0, 4), today);
    const ledger = await loadLedger(data, c.var.viewer.scope, year, { counts: true });
    const body = html`<h1>图表 · ${year.id}年</h1>${picker('/admin/charts', year, today)}${chartsPage(ledger, year, now)}`;
    return c.html(page(c.var.viewer, '图表', '/admin/charts', body));
  });

  app.get('/org/:id', async (c) => {
    const v = c.var.viewer;
    const now = bot.now().getTime();
    const today = shanghaiDate(now);
    const w = windowOf(c.req.query('p'), today);
    const org = (await allOrgs(bot.db)).find((o) => o.id === c.req.param('id'));
    if (!org || !(v.scope.all || v.scope.orgIds.has(org.id)))
      return c.html(message(v, '无权查看', '这个组织不在您的权限范围内。'), 403);
    const ledger = await loadLedger(data, { all: false, orgIds: new Set([org.id]) }, w);
    return c.html(page(v, org.name, '', await branchPage(data, ledger, org, w, today)));
  });

  app.route('/kb', kbRoutes(bot, deps.richReader));
  app.route('/roster', rosterRoutes(bot, deps.accountColumns));
  app.route('/exports', exportRoutes(bot, data));
  return app;
}
