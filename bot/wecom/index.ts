// WeCom (企业微信) as a platform: the self-built app (自建应用: a callback in, the API out) and the
// smart bot (智能机器人: a long connection on Node, or an HTTP callback). Groups are reached
// through the smart bot, people through the app when there is one.
import type { PlatformAdapter } from '../core/platform';
import { aibotHttpRoutes } from './aibot-http';
import { WecomApi } from './api';
import { appCallbackRoutes } from './app-callback';
import { WecomAppSender } from './app-sender';
import { readWecomClick, WECOM_LIMITS } from './cards';
import { WecomSender } from './sender';
import { aibotSettings, appSettings, WECOM_TOGETHER, type WecomSettings, wecomSettings } from './settings';
import { wecomSignIn } from './sign-in';

export const wecom: PlatformAdapter<WecomSettings> = {
  id: 'wecom',
  name: '企业微信',
  settings: wecomSettings,
  together: WECOM_TOGETHER,
  enabled: (s) => Boolean(s.WECOM_CORP_ID || s.WECOM_BOT_ID || s.WECOM_BOT_TOKEN),
  delivers: (s) => Boolean(appSettings(s) || aibotSettings(s).ws),
  describe: (s) => ({
    wecomApp: Boolean(s.WECOM_CORP_ID),
    wecomBot: s.WECOM_BOT_ID ? 'websocket' : s.WECOM_BOT_TOKEN ? 'http' : false,
  }),
  people: {
    column: {
      header: '企业微信账号',
      aliases: ['企业微信', '企业微信userid', 'wecom'],
      pattern: /^[A-Za-z0-9_.@-]{1,64}$/,
      what: '企业微信账号（字母、数字、_ . @ -，最多 64 位）',
    },
  },
  // A template card holds at most 3 selects (multiple_interaction).
  formItemsPerCard: WECOM_LIMITS.selects,
  readClick: readWecomClick,
  open(settings, deps) {
    const app = appSettings(settings);
    const aibot = aibotSettings(settings);
    const tokens = app && deps.tokens?.(`wecom:${app.api.corpId}:${app.api.agentId}`);
    const api = app ? new WecomApi(app.api, deps.log, deps.now, tokens || undefined, deps.fetch) : undefined;
    const appSender = api ? new WecomAppSender(api, deps.showAsText, deps.now) : undefined;
    const aibotSender = deps.connection?.sender;
    if (aibot.ws && !deps.connection)
      deps.log.warn('WECOM_BOT_ID is ignored on Workers: use the smart bot HTTP callback');
    return {
      routes(root, inlet) {
        if (app) root.route('/wecom', appCallbackRoutes({ inlet, keys: app.keys, log: deps.log }));
        if (aibot.http) root.route('/wecom', aibotHttpRoutes({ inlet, keys: aibot.http.keys, log: deps.log }));
      },
      ...(appSender || aibotSender ? { sender: new WecomSender(appSender, aibotSender) } : {}),
      ...(api ? { pageSignIn: wecomSignIn(api) } : {}),
    };
  },
};
