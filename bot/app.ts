// The HTTP application: health, what each platform's channel serves, signed downloads and the
// self-check form page, under the headers every response carries. Runtime-neutral: both entries
// build it through bot/start.ts.
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { PlatformId } from '../cards/message';
import type { FormDefinition } from '../domain/forms';
import { MEETINGS_FILE_PATH } from '../handlers/checkin';
import { openLink } from '../handlers/links';
import { FORM_PAGE_PATH } from '../handlers/selfcheck/web';
import { isDatabaseUnavailable } from '../storage/db';
import type { Assistant } from './core/assistant';
import type { Logger } from './core/log';
import type { Channel, PageSignIn } from './core/platform';
import { type ConsoleDeps, consolePages, consoleRoutes } from './web/console';
import { formPageRoutes, formPageTemplates } from './web/form-page';
import { securityHeaders } from './web/security-headers';

export interface AppDeps {
  assistant: Assistant;
  log: Logger;
  version: string;
  /** The database's schema version (the newest applied migration), for /healthz. */
  schemaVersion?: () => Promise<string | null>;
  /** The platforms on, with what each opened: their routes are mounted in this order. */
  channels: readonly { id: PlatformId; channel: Channel }[];
  /** Every platform registered (a signed link names one of them). */
  platforms: readonly PlatformId[];
  /** Files handed out for signed links (the meeting record workbook); absent where none can be made. */
  files?: {
    secret: string;
    meetingsWorkbook(orgId: string, from: number, to: number): Promise<{ name: string; bytes: ArrayBuffer }>;
  };
  /** The self-check forms' web page, served where signed links can be made. */
  formPage?: {
    forms: readonly FormDefinition[];
    secret: string;
    /** The public URL is https: the page's cookie is Secure. */
    secureCookie?: boolean;
  };
  /** The 台账 console under /admin, served where signed links can be made. */
  console?: Omit<ConsoleDeps, 'bot' | 'signIn' | 'platforms'>;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const { assistant } = deps;
  const signIn: Record<PlatformId, PageSignIn> = {};
  for (const { id, channel } of deps.channels) if (channel.pageSignIn) signIn[id] = channel.pageSignIn;

  app.use(
    '*',
    securityHeaders({
      pages: {
        ...Object.assign({}, ...deps.channels.map(({ channel }) => channel.pages ?? {})),
        ...(deps.formPage ? { [FORM_PAGE_PATH]: formPageTemplates(signIn) } : {}),
        ...(deps.console ? consolePages(signIn) : {}),
      },
      noStore: [
        ...deps.channels.flatMap(({ channel }) => channel.noStore ?? []),
        FORM_PAGE_PATH,
        MEETINGS_FILE_PATH,
        '/admin',
      ],
    }),
  );

  app.get('/healthz', async (c) => {
    try {
      await assistant.db.get(sql`select 1`);
      const schema = (await deps.schemaVersion?.()) ?? null;
      return c.json({ status: 'ok', version: deps.version, schema, database: 'ok' });
    } catch (err) {
      deps.log.error('health check: database unreachable', { err });
      return c.json({ status: 'error', version: deps.version, database: 'error' }, 503);
    }
  });

  for (const { channel } of deps.channels) channel.routes?.(app, assistant);

  const files = deps.files;
  if (files) {
    app.get(MEETINGS_FILE_PATH, async (c) => {
      const query = new URL(c.req.url).searchParams;
      const link = await openLink(files.secret, MEETINGS_FILE_PATH, query, assistant.now().getTime());
      if (!link?.org) return c.text('链接无效或已过期，请在聊天中重新获取。', 403);
      const file = await files.meetingsWorkbook(link.org, Number(link.from), Number(link.to));
      return c.body(file.bytes, 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      });
    });
  }

  if (deps.formPage) {
    app.route('/', formPageRoutes({ assistant, ...deps.formPage, platforms: deps.platforms, signIn }));
  }
  if (deps.console) {
    app.route('/admin', consoleRoutes({ bot: assistant, ...deps.console, platforms: deps.platforms, signIn }));
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
