// DingTalk (钉钉) as a platform: an enterprise internal app's robot, receiving over Stream (the
// Node entry's long connection) or HTTP callbacks, sending through the OpenAPI and the
// conversations' session webhooks; interactive cards through the bot's one card template.
import { ConfigError } from '../config';
import type { PlatformAdapter } from '../core/platform';
import { DingtalkApi } from './api';
import { readDingtalkClick } from './cards';
import { dingtalkHttpRoutes } from './http';
import { DingtalkSender } from './sender';
import { type DingtalkSettings, dingtalkConfig, dingtalkSettings } from './settings';
import { dingtalkSignIn } from './sign-in';

export const dingtalk: PlatformAdapter<DingtalkSettings> = {
  id: 'dingtalk',
  name: '钉钉',
  settings: dingtalkSettings,
  together: [['钉钉', ['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET']]],
  enabled: (s) => Boolean(s.DINGTALK_CLIENT_ID),
  delivers: (s) => Boolean(dingtalkConfig(s)),
  describe: (s) => ({
    dingtalk: s.DINGTALK_CLIENT_ID ? s.DINGTALK_MODE : false,
    dingtalkCards: Boolean(s.DINGTALK_CARD_TEMPLATE_ID),
  }),
  people: {
    column: {
      header: '钉钉账号',
      aliases: ['钉钉', '钉钉userid', 'dingtalk'],
      pattern: /^[A-Za-z0-9_$.-]{1,64}$/,
      what: '钉钉账号',
    },
  },
  // The bot's card template takes any number of inputs; 8 keep a card readable on a phone.
  formItemsPerCard: 8,
  readClick: readDingtalkClick,
  open(settings, deps) {
    const config = dingtalkConfig(settings);
    if (!config) return {};
    if (config.mode === 'stream' && !deps.connection) {
      // Robot messages would never arrive: only a long-lived process holds the Stream connection.
      throw new ConfigError('配置错误：DINGTALK_MODE 在 Workers 上只能是 http（Stream 需要常驻的 WebSocket 连接）');
    }
    const tokens = deps.tokens?.(`dingtalk:${config.api.clientId}`);
    const api = new DingtalkApi(config.api, deps.now, deps.log, tokens, deps.fetch);
    return {
      routes(root, inlet) {
        if (config.mode !== 'http') return;
        root.route('/dingtalk', dingtalkHttpRoutes({ inlet, appSecret: config.api.clientSecret, log: deps.log }));
      },
      sender: new DingtalkSender(
        api,
        {
          ...(config.templateId ? { templateId: config.templateId } : {}),
          callbackType: config.mode === 'stream' ? 'STREAM' : 'HTTP',
        },
        deps.showAsText,
        deps.now,
      ),
      ...(config.corpId ? { pageSignIn: dingtalkSignIn(config.corpId, api) } : {}),
    };
  },
};
