// The channels as both entries wire them from the configuration: senders for the outbox, the
// DingTalk channel, and what the HTTP app serves (callbacks, signed downloads, the form page, the console).
// Runtime-neutral: Node adds its long connections (smart-bot WebSocket, DingTalk Stream) around it.

import type { Platform } from '../cards/message';
import type { Duty } from '../domain/duties';
import type { FormDefinition } from '../domain/forms';
import { meetingsWorkbook } from '../handlers/checkin/workbook';
import type { AppDb } from '../storage/db';
import { orgById } from '../storage/orgs';
import { kvTokenStore } from '../storage/tokens';
import type { AppDeps } from './app';
import { type Config, dingtalkConfig, wecomAppConfig, wecomBotConfig } from './config';
import type { Assistant } from './core/assistant';
import type { Sender } from './core/delivery';
import type { Logger } from './core/log';
import { DingtalkApi } from './dingtalk/api';
import { DingtalkChannel } from './dingtalk/channel';
import { DingtalkSender } from './dingtalk/sender';
import type { RichReader } from './files';
import { pageSignIns } from './web/sign-in';
import type { WecomBotConnection } from './wecom/aibot-ws';
import { WecomApi } from './wecom/api';
import { WecomAppSender } from './wecom/app-sender';
import { WecomSender } from './wecom/sender';

type ChannelDeps = Pick<AppDeps, 'wecomApp' | 'wecomBotHttp' | 'dingtalkHttp' | 'files' | 'formPage' | 'console'>;

export function wireChannels(o: {
  config: Config;
  bot: Assistant;
  db: AppDb;
  log: Logger;
  defer: AppDeps['defer'];
  forms: readonly FormDefinition[];
  duties: readonly Duty[];
  /** Reads .docx/.pdf uploads in the console (Node only). */
  richReader?: RichReader;
  /** Signs download links and form-page links; without it neither is served. */
  linkSecret?: string;
  /** The smart bot's long connection (Node only). */
  botConnection?: WecomBotConnection;
  /** Keep the WeCom access token in the database, for every invocation (Workers). */
  storeTokens?: boolean;
}): {
  senders: Partial<Record<Platform, Sender>>;
  dingtalk: ReturnType<typeof dingtalkConfig>;
  dingtalkChannel?: DingtalkChannel;
  app: ChannelDeps;
} {
  const { config, bot, db, log } = o;
  const senders: Partial<Record<Platform, Sender>> = {};
  const wecomApp = wecomAppConfig(config);
  const wecomBot = wecomBotConfig(config);
  const wecomApi = wecomApp
    ? new WecomApi(
        wecomApp.api,
        log,
        Date.now,
        o.storeTokens ? kvTokenStore(db, `wecom:${wecomApp.api.corpId}:${wecomApp.api.agentId}`) : undefined,
      )
    : undefined;
  const appSender = wecomApi
    ? new WecomAppSender(wecomApi, (chat, cardId) => bot.showAsText('wecom', chat, cardId))
    : undefined;
  if (appSender || o.botConnection) senders.wecom = new WecomSender(appSender, o.botConnection);

  const dingtalk = dingtalkConfig(config);
  const dingtalkChannel = dingtalk ? new DingtalkChannel(bot, log, o.defer) : undefined;
  const dingtalkApi = dingtalk ? new DingtalkApi(dingtalk.api, Date.now, log) : undefined;
  if (dingtalk && dingtalkApi) {
    senders.dingtalk = new DingtalkSender(
      dingtalkApi,
      {
        ...(dingtalk.templateId ? { templateId: dingtalk.templateId } : {}),
        callbackType: dingtalk.mode === 'stream' ? 'STREAM' : 'HTTP',
      },
      (chat, cardId) => bot.showAsText('dingtalk', chat, cardId),
    );
  }

  const secret = o.linkSecret;
  const signIn = pageSignIns({
    wecom: wecomApi,
    dingtalk: dingtalk?.corpId && dingtalkApi ? { corpId: dingtalk.corpId, api: dingtalkApi } : undefined,
  });
  // Served at an https address: cookies are Secure (the proxy in front may speak http to us).
  const secureCookie = config.ZHIBU_PUBLIC_URL?.startsWith('https:') ?? false;
  const app: ChannelDeps = {
    ...(secret
      ? {
          files: {
            secret,
            async meetingsWorkbook(orgId: string, from: number, to: number) {
              const org = await orgById(db, orgId);
              const book = await meetingsWorkbook(db, orgId, org?.name ?? '', from, to);
              const bytes = (await book.xlsx.writeBuffer()) as ArrayBuffer;
              return { name: `会议台账-${org?.name ?? ''}.xlsx`, bytes };
            },
          },
          formPage: { forms: o.forms, secret, signIn, secureCookie },
          console: {
            secret,
            secureCookie,
            duties: o.duties,
            forms: o.forms,
            signIn,
            ...(o.richReader ? { richReader: o.richReader } : {}),
          },
        }
      : {}),
    ...(wecomApp ? { wecomApp: { keys: wecomApp.keys } } : {}),
    ...(wecomBot.http ? { wecomBotHttp: wecomBot.http } : {}),
    ...(dingtalk && dingtalkChannel && dingtalk.mode === 'http'
      ? { dingtalkHttp: { channel: dingtalkChannel, appSecret: dingtalk.api.clientSecret } }
      : {}),
  };
  return { senders, dingtalk, ...(dingtalkChannel ? { dingtalkChannel } : {}), app };
}
