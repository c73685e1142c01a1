// The HTTP application, built from its dependencies. Runtime-neutral: the Node entry and
// (later) the Worker entry both build it; nothing here imports a Node-only module.
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Platform } from '../cards/message';
import type { FormDefinition } from '../domain/forms';
import { MEETINGS_FILE_PATH } from '../handlers/checkin';
import { openLink } from '../handlers/links';
import { FORM_PAGE_PATH } from '../handlers/selfcheck/web';
import { isDatabaseUnavailable } from '../storage/db';
import type { Config } from './config';
import type { Assistant } from './core/assistant';
import type { Logger } from './core/log';
import type { DingtalkChannel } from './dingtalk/channel';
import { dingtalkHttpRoutes } from './dingtalk/http';
import type { ClientAddress } from './sim/guard';
import { simPage } from './sim/page';
import { simRoutes } from './sim/routes';
import { type ConsoleDeps, consolePages, consoleRoutes } from './web/console';
import { formPageRoutes, formPageTemplates } from './web/form-page';
import { securityHeaders } from './web/security-headers';
import type { PageSignIn } from './web/sign-in';
import { wecomBotHttpRoutes } from './wecom/aibot-http';
import { wecomAppRoutes } from './wecom/app-callback';
import type { CallbackKeys } from './wecom/crypto';

export interface AppDeps {
  bot: Assistant;
  config: Pick<Config, 'simulator'>;
  log: Logger;
  version: string;
  /** The database's schema version (the newest applied migration), for /healthz. */
  schemaVersion?: () => Promise<string | null>;
  clientAddress: ClientAddress;
  /** Runs work after the response: in the background on Node, through ctx.waitUntil on Workers. */
  defer: (work: () => Promise<unknown>) => void;
  /** The WeCom self-built app's callback keys, when it is configured. */
  wecomApp?: { keys: CallbackKeys };
  /** The WeCom smart bot's HTTP callback keys, when it runs in HTTP mode. */
  wecomBotHttp?: { keys: CallbackKeys };
  /** Files handed out for signed links (the meeting record workbook); absent where none can be made. */
  files?: {
    secret: string;
    meetingsWorkbook(orgId: string, from: number, to: number): Promise<{ name: string; bytes: ArrayBuffer }>;
  };
  /** The self-check forms' web page, served where signed links can be made. */
  formPage?: {
    forms: readonly FormDefinition[];
    secret: string;
    signIn?: Partial<Record<Platform, PageSignIn>>;
    /** The public URL is https: the page's cookie is Secure. */
    secureCookie?: boolean;
  };
  /** The 台账 console under /admin, served where signed links can be made. */
  console?: Omit<ConsoleDeps, 'bot'>;
  /** DingTalk's HTTP mode: the channel and the app secret its signatures use. */
  dingtalkHttp?: { channel: DingtalkChannel; appSecret: string };
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use(
    '*',
    securityHeaders({
      pages: {
        '/sim': [simPage],
        ...(deps.formPage ? { [FORM_PAGE_PATH]: formPageTemplates(deps.formPage.signIn) } : {}),
        ...(deps.console ? consolePages(deps.console.signIn) : {}),
      },
      noStore: ['/sim/api/', FORM_PAGE_PATH, MEETINGS_FILE_PATH, '/admin'],
    }),
  );

  app.get('/healthz', async (c) => {
    try {
      await deps.bot.db.get(sql`select 1`);
      const schema = (await deps.schemaVersion?.()) ?? null;
      return c.json({ status: 'ok', version: deps.version, schema, database: 'ok' });
    } catch (err) {
      deps.log.error('health check: database unreachable', { err });
      return c.json({ status: 'error', version: deps.version, database: 'error' }, 503);
    }
  });

  if (deps.wecomApp) {
    app.route('/wecom', wecomAppRoutes({ bot: deps.bot, keys: deps.wecomApp.keys, log: deps.log, defer: deps.defer }));
  }

  if (deps.wecomBotHttp) {
    app.route('/wecom', wecomBotHttpRoutes({ bot: deps.bot, keys: deps.wecomBotHttp.keys, log: deps.log }));
  }

  if (deps.dingtalkHttp) {
    const firstUse = (key: string) => deps.bot.accept('dingtalk', key);
    app.route('/dingtalk', dingtalkHttpRoutes({ ...deps.dingtalkHttp, log: deps.log, firstUse }));
  }

  const files = deps.files;
  if (files) {
    app.get(MEETINGS_FILE_PATH, async (c) => {
      const link = await openLink(
        files.secret,
        MEETINGS_FILE_PATH,
        new URL(c.req.url).searchParams,
        deps.bot.now().getTime(),
      );
      if (!link?.org) return c.text('链接无效或已过期，请在聊天中重新获取。', 403);
      const file = await files.meetingsWorkbook(link.org, Number(link.from), Number(link.to));
      return c.body(file.bytes, 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      });
    });
  }

  if (deps.formPage) app.route('/', formPageRoutes({ bot: deps.bot, ...deps.formPage }));
  if (deps.console) app.route('/admin', consoleRoutes({ bot: deps.bot, ...deps.console }));

  if (deps.config.simulator) {
    app.route('/sim', simRoutes(deps.bot, deps.clientAddress));
    app.get('/', (c) => c.redirect('/sim'));
  }

  app.onError((err, c) => {
    if (isDatabaseUnavailable(err)) {
      // A lock held elsewhere or a full disk: nothing was stored; the platform sends it again.
      deps.log.warn('request refused: database unavailable', { path: c.req.path, err, cause: err.cause });
      return c.json({ error: '服务暂时繁忙，请稍后再试' }, 503, { 'retry-after': '5' });
    }
    deps.log.error('request failed', { path: c.req.path, err });
    return c.json({ error: '服务器内部错误' }, 500);
  });
  return app;
}
