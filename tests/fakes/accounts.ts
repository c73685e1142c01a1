// The fakes' identities and keys, shared by the Node helpers and the Worker tests (no Node-only
// imports here: workerd loads this file too).
export const CORP_ID = 'ww5823bf96d3bd56c7';
export const AGENT_ID = 1000002;
export const WECOM_SECRET = 'app-secret';
export const KEYS = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveId: CORP_ID,
};
/** The self-built app's settings as an operator writes them, talking to the API at `apiBase`. */
export const wecomAppEnv = (apiBase: string) => ({
  WECOM_CORP_ID: CORP_ID,
  WECOM_AGENT_ID: String(AGENT_ID),
  WECOM_SECRET,
  WECOM_TOKEN: KEYS.token,
  WECOM_ENCODING_AES_KEY: KEYS.encodingAesKey,
  WECOM_API_BASE: apiBase,
});
/** The demo roster's WeCom accounts. */
export const WECOM_USERS = [
  'zhouhong',
  'wugang',
  'wangjianguo',
  'limin',
  'zhangwei',
  'chenjing',
  'liuyang',
  'zhaolei',
  'sunli',
];
export const DINGTALK_CLIENT = { clientId: 'dingclient', clientSecret: 'ding-secret', robotCode: 'dingclient' };
export const DINGTALK_TEMPLATE = 'tpl-zhibu-1';
/** The demo roster's DingTalk accounts. */
export const DINGTALK_USERS = WECOM_USERS.map((u) => `dt-${u}`);
