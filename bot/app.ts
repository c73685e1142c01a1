// The HTTP application, built from its dependencies. Runtime-neutral: the Node entry and
// (later) the Worker entry both build it; nothing here imports a Node-only module.
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Config } from './config';
import type { Bot } from './core/bot';
import type { Logger } from './core/log';
import type { DingtalkChannel } from './dingtalk/channel';
import { dingtalkHttpRoutes } from './dingtalk/http';
import { type ClientAddress, simRoutes } from './sim/routes';
import { wecomAppRoutes } from './wecom/app-callback';
import { wecomBotHttpRoutes } from './wecom/bot-http';
import type { CallbackKeys } from './wecom/crypto';

export interface AppDeps {
  bot: Bot;
  config: Pick<Config, 'simulator'>;
  log: Logger;
  version: string;
  clientAddress: ClientAddress;
  /** Runs work after the response: in the background on Node, through ctx.waitUntil on Workers. */
  defer: (work: () => Promise<unknown>) => void;
  /** The WeCom self-built app's callback keys, when it is configured. */
  wecomApp?: { keys: CallbackKeys };
  /** The WeCom smart bot's HTTP callback keys, when it runs in HTTP mode. */
  wecomBotHttp?: { keys: CallbackKeys };
  /** DingTalk's HTTP mode: the channel and the app secret its signatures use. */
  dingtalkHttp?: { channel: DingtalkChannel; appSecret: string };
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.get('/healthz', async (c) => {
    try {
      await deps.bot.db.get(sql`select 1`);
      return c.json({ status: 'ok', version: deps.version, database: 'ok' });
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
    app.route('/dingtalk', dingtalkHttpRoutes({ ...deps.dingtalkHttp, log: deps.log }));
  }

  if (deps.config.simulator) {
    app.route('/sim', simRoutes(deps.bot, deps.clientAddress));
    app.get('/', (c) => c.redirect('/sim'));
  }

  app.onError((err, c) => {
    deps.log.error('request failed', { path: c.req.path, err });
    return c.json({ error: '服务器内部错误' }, 500);
  });
  return app;
}
