// WeCom's environment variables: the self-built app (all five or none) and the smart bot (id and
// secret for its long connection; token and key for its HTTP callback).
import { z } from 'zod';
import { optionalText } from '../config';
import type { WecomAppConfig } from './api';
import type { CallbackKeys } from './crypto';

const aesKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{43}$/, { error: '必须是 43 位字母或数字（后台生成的 EncodingAESKey）' })
  .optional();

export interface AibotWsConfig {
  botId: string;
  secret: string;
  /** Overrides the SDK's wss://openws.work.weixin.qq.com (tests point it at a local fake). */
  wsUrl?: string;
}

export const wecomSettings = z.object({
  // WeCom self-built app (自建应用): all five or none.
  WECOM_CORP_ID: optionalText,
  WECOM_AGENT_ID: z.coerce.number({ error: '必须是应用的 AgentId（数字）' }).int().positive().optional(),
  WECOM_SECRET: optionalText,
  WECOM_TOKEN: optionalText,
  WECOM_ENCODING_AES_KEY: aesKey,
  WECOM_API_BASE: z.url({ error: '必须是 http(s) 地址' }).default('https://qyapi.weixin.qq.com'),
  // WeCom smart bot (智能机器人): id and secret for the long connection; token and key for HTTP mode.
  WECOM_BOT_ID: optionalText,
  WECOM_BOT_SECRET: optionalText,
  WECOM_BOT_WS_URL: z.string().trim().min(1).optional(),
  WECOM_BOT_TOKEN: optionalText,
  WECOM_BOT_ENCODING_AES_KEY: aesKey,
});
export type WecomSettings = z.infer<typeof wecomSettings>;

export const WECOM_TOGETHER = [
  ['企业微信自建应用', ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY']],
  ['企业微信智能机器人长连接', ['WECOM_BOT_ID', 'WECOM_BOT_SECRET']],
  ['企业微信智能机器人 HTTP 回调', ['WECOM_BOT_TOKEN', 'WECOM_BOT_ENCODING_AES_KEY']],
] as const;

/** The self-built app's settings, when configured. */
export function appSettings(settings: WecomSettings): { api: WecomAppConfig; keys: CallbackKeys } | undefined {
  if (
    !settings.WECOM_CORP_ID ||
    !settings.WECOM_AGENT_ID ||
    !settings.WECOM_SECRET ||
    !settings.WECOM_TOKEN ||
    !settings.WECOM_ENCODING_AES_KEY
  ) {
    return undefined;
  }
  return {
    api: {
      corpId: settings.WECOM_CORP_ID,
      agentId: settings.WECOM_AGENT_ID,
      secret: settings.WECOM_SECRET,
      apiBase: settings.WECOM_API_BASE,
    },
    keys: {
      token: settings.WECOM_TOKEN,
      encodingAesKey: settings.WECOM_ENCODING_AES_KEY,
      receiveId: settings.WECOM_CORP_ID,
    },
  };
}

/** The smart bot's settings: the long connection (id and secret) and/or the HTTP callback keys. */
export function aibotSettings(settings: WecomSettings): { ws?: AibotWsConfig; http?: { keys: CallbackKeys } } {
  return {
    ...(settings.WECOM_BOT_ID && settings.WECOM_BOT_SECRET
      ? {
          ws: {
            botId: settings.WECOM_BOT_ID,
            secret: settings.WECOM_BOT_SECRET,
            ...(settings.WECOM_BOT_WS_URL ? { wsUrl: settings.WECOM_BOT_WS_URL } : {}),
          },
        }
      : {}),
    ...(settings.WECOM_BOT_TOKEN && settings.WECOM_BOT_ENCODING_AES_KEY
      ? {
          http: {
            keys: {
              token: settings.WECOM_BOT_TOKEN,
              encodingAesKey: settings.WECOM_BOT_ENCODING_AES_KEY,
              receiveId: '',
            },
          },
        }
      : {}),
  };
}
