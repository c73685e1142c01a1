// DingTalk's environment variables: an enterprise internal app with a robot, over Stream (a long
// connection, Node) or HTTP callbacks.
import { z } from 'zod';
import { optionalText } from '../config';
import type { DingtalkApiConfig } from './api';

export const dingtalkSettings = z.object({
  DINGTALK_CLIENT_ID: optionalText,
  DINGTALK_CLIENT_SECRET: optionalText,
  DINGTALK_ROBOT_CODE: optionalText,
  DINGTALK_CARD_TEMPLATE_ID: optionalText,
  DINGTALK_API_BASE: z.url({ error: '必须是 http(s) 地址' }).default('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE: z.url({ error: '必须是 http(s) 地址' }).default('https://oapi.dingtalk.com'),
  /** The organisation's CorpId: H5 pages ask DingTalk for a 免登 code with it. */
  DINGTALK_CORP_ID: optionalText,
  DINGTALK_GATEWAY_URL: z
    .url({ error: '必须是 http(s) 地址' })
    .default('https://api.dingtalk.com/v1.0/gateway/connections/open'),
  DINGTALK_MODE: z.enum(['stream', 'http'], { error: '只能是 stream 或 http' }).default('stream'),
});
export type DingtalkSettings = z.infer<typeof dingtalkSettings>;

/** DingTalk's settings, when configured (the robot code defaults to the client id, as DingTalk's examples do). */
export function dingtalkConfig(settings: DingtalkSettings):
  | {
      mode: DingtalkSettings['DINGTALK_MODE'];
      api: Required<DingtalkApiConfig>;
      corpId?: string;
      gatewayUrl: string;
      templateId?: string;
    }
  | undefined {
  if (!settings.DINGTALK_CLIENT_ID || !settings.DINGTALK_CLIENT_SECRET) return undefined;
  return {
    mode: settings.DINGTALK_MODE,
    api: {
      clientId: settings.DINGTALK_CLIENT_ID,
      clientSecret: settings.DINGTALK_CLIENT_SECRET,
      robotCode: settings.DINGTALK_ROBOT_CODE ?? settings.DINGTALK_CLIENT_ID,
      apiBase: settings.DINGTALK_API_BASE.replace(/\/$/, ''),
      oapiBase: settings.DINGTALK_OAPI_BASE.replace(/\/$/, ''),
    },
    ...(settings.DINGTALK_CORP_ID ? { corpId: settings.DINGTALK_CORP_ID } : {}),
    gatewayUrl: settings.DINGTALK_GATEWAY_URL,
    ...(settings.DINGTALK_CARD_TEMPLATE_ID ? { templateId: settings.DINGTALK_CARD_TEMPLATE_ID } : {}),
  };
}
