// All configuration comes from environment variables through this one schema.
// A bad value stops start-up with one line naming the variable; secret values are never shown.
import { z } from 'zod';
import type { Platform } from '../cards/message';
import type { LlmConfig } from '../handlers/qa/llm';

const flag = z.enum(['0', '1'], { error: '只能是 0 或 1' });
const optional = z.string().trim().min(1).optional();
const aesKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{43}$/, { error: '必须是 43 位字母或数字（后台生成的 EncodingAESKey）' })
  .optional();

/** Groups of variables that only work together. */
const TOGETHER: [string, (keyof z.infer<typeof configSchema>)[]][] = [
  ['企业微信自建应用', ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY']],
  ['企业微信智能机器人长连接', ['WECOM_BOT_ID', 'WECOM_BOT_SECRET']],
  ['企业微信智能机器人 HTTP 回调', ['WECOM_BOT_TOKEN', 'WECOM_BOT_ENCODING_AES_KEY']],
  ['钉钉', ['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET']],
  ['大模型', ['LLM_BASE_URL', 'LLM_API_KEY', 'LLM_MODEL']],
];

const configSchema = z.object({
  PORT: z.coerce
    .number({ error: '必须是端口号' })
    .int({ error: '必须是整数' })
    .min(0, { error: '必须在 0–65535 之间（0 表示任选空闲端口）' })
    .max(65535, { error: '必须在 0–65535 之间（0 表示任选空闲端口）' })
    .default(8787),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  ZHIBU_DB: z.string().trim().min(1, { error: '不能为空' }).default('./data/zhibu.db'),
  /** Daily backups and the copies taken before an upgrade; unset: `backups` next to the database. */
  ZHIBU_BACKUP_DIR: optional,
  /** text: readable lines (development); json: one JSON object a line (production, log collectors). */
  ZHIBU_LOG: z.enum(['text', 'json'], { error: '只能是 text 或 json' }).default('text'),
  /** 1: always serve the simulator; 0: never; unset: only while no platform channel is configured. */
  ZHIBU_SIMULATOR: flag.optional(),
  /** Where people reach this server (for download links sent in chat), e.g. https://bot.school.cn */
  ZHIBU_PUBLIC_URL: z.url({ error: '必须是 http(s) 地址' }).optional(),
  /** Signs download links; unset: a new secret each start (links then die with a restart). */
  ZHIBU_LINK_SECRET: z.string().min(16, { error: '至少 16 个字符' }).optional(),
  /** 1: load the demo organisation into an empty database; unset: only while the simulator is the only channel. */
  ZHIBU_DEMO: flag.optional(),
  /** The recurring duties' rules file (which duties apply, when they remind); unset: the shipped one. */
  ZHIBU_DUTIES: optional,
  /** The self-check forms' folder; unset: the shipped data/forms. */
  ZHIBU_FORMS: optional,
  /** The State Council's 放假 and 调休上班 dates by year, over what `chinese-days` has; unset: the shipped data/holidays.json. */
  ZHIBU_HOLIDAYS: optional,
  // What one Workers invocation may do (Node ignores both): D1 statements (the paid plan allows
  // 1,000 an invocation), and the seconds after which no new step starts (waitUntil work is cut
  // off at 30 s; the step in flight, a platform call of up to 10 s, and its marks fit in the rest).
  ZHIBU_RUN_STATEMENTS: z.coerce
    .number({ error: '必须是整数' })
    .int()
    .min(50, { error: '至少 50（最大的一步约 50 条语句）' })
    .max(100_000)
    .default(900),
  ZHIBU_RUN_SECONDS: z.coerce.number({ error: '必须是秒数' }).int().min(1).max(900).default(20),
  // Optional chat model for fluent Q&A answers (any OpenAI-compatible endpoint).
  LLM_BASE_URL: z.url({ error: '必须是 http(s) 地址' }).optional(),
  LLM_API_KEY: optional,
  LLM_MODEL: optional,
  LLM_TIMEOUT_MS: z.coerce.number({ error: '必须是毫秒数' }).int().min(100).max(60_000).default(8000),
  // WeCom self-built app (自建应用): all five or none.
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: z.coerce.number({ error: '必须是应用的 AgentId（数字）' }).int().positive().optional(),
  WECOM_SECRET: optional,
  WECOM_TOKEN: optional,
  WECOM_ENCODING_AES_KEY: aesKey,
  WECOM_API_BASE: z.url({ error: '必须是 http(s) 地址' }).default('https://qyapi.weixin.qq.com'),
  // WeCom smart bot (智能机器人): id and secret for the long connection; token and key for HTTP mode.
  WECOM_BOT_ID: optional,
  WECOM_BOT_SECRET: optional,
  WECOM_BOT_WS_URL: z.string().trim().min(1).optional(),
  WECOM_BOT_TOKEN: optional,
  WECOM_BOT_ENCODING_AES_KEY: aesKey,
  // DingTalk enterprise internal app with a robot.
  DINGTALK_CLIENT_ID: optional,
  DINGTALK_CLIENT_SECRET: optional,
  DINGTALK_ROBOT_CODE: optional,
  DINGTALK_CARD_TEMPLATE_ID: optional,
  DINGTALK_API_BASE: z.url({ error: '必须是 http(s) 地址' }).default('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE: z.url({ error: '必须是 http(s) 地址' }).default('https://oapi.dingtalk.com'),
  /** The organisation's CorpId: H5 pages ask DingTalk for a 免登 code with it. */
  DINGTALK_CORP_ID: optional,
  DINGTALK_GATEWAY_URL: z
    .url({ error: '必须是 http(s) 地址' })
    .default('https://api.dingtalk.com/v1.0/gateway/connections/open'),
  DINGTALK_MODE: z.enum(['stream', 'http'], { error: '只能是 stream 或 http' }).default('stream'),
});

export type Config = z.infer<typeof configSchema> & {
  simulator: boolean;
  /** Load the demo organisation into an empty database. */
  demo: boolean;
};

export class ConfigError extends Error {}

/** Reads the environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as in most .env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `配置错误：${String(i.path[0] ?? '?')} ${i.message}`);
    throw new ConfigError(lines.join('\n'));
  }
  const c = parsed.data;
  const incomplete = TOGETHER.flatMap(([what, names]) => {
    const set = names.filter((n) => c[n] !== undefined);
    return set.length > 0 && set.length < names.length
      ? [`配置错误：${what}需要同时设置 ${names.join('、')}（缺 ${names.filter((n) => !set.includes(n)).join('、')}）`]
      : [];
  });
  if (incomplete.length > 0) throw new ConfigError(incomplete.join('\n'));
  const platform = platformConfigured(c);
  // The demo's members carry plausible user ids (zhouhong is 管理员): never beside a real platform.
  if (c.ZHIBU_DEMO === '1' && platform) {
    throw new ConfigError('配置错误：ZHIBU_DEMO=1 只能在只用模拟器时设置（已配置企业微信或钉钉）');
  }
  const simulator = c.ZHIBU_SIMULATOR === '1' || (c.ZHIBU_SIMULATOR === undefined && !platform);
  return { ...c, simulator, demo: c.ZHIBU_DEMO === '1' || (c.ZHIBU_DEMO === undefined && !platform) };
}

/** Whether WeCom or DingTalk is configured (real people can reach the bot). */
export function platformConfigured(c: Partial<z.infer<typeof configSchema>>): boolean {
  return Boolean(c.WECOM_CORP_ID || c.WECOM_BOT_ID || c.WECOM_BOT_TOKEN || c.DINGTALK_CLIENT_ID);
}

/** What start-up may print about the configuration: no secrets. */
export function describeConfig(c: Config): Record<string, unknown> {
  return {
    port: c.PORT,
    db: c.ZHIBU_DB,
    simulator: c.simulator,
    wecomApp: Boolean(c.WECOM_CORP_ID),
    wecomBot: c.WECOM_BOT_ID ? 'websocket' : c.WECOM_BOT_TOKEN ? 'http' : false,
    dingtalk: c.DINGTALK_CLIENT_ID ? c.DINGTALK_MODE : false,
    dingtalkCards: Boolean(c.DINGTALK_CARD_TEMPLATE_ID),
    llm: c.LLM_MODEL ? { model: c.LLM_MODEL, baseUrl: c.LLM_BASE_URL } : false,
  };
}

/** The chat model's settings, when all three are set. */
export function llmConfig(c: Config): LlmConfig | undefined {
  if (!c.LLM_BASE_URL || !c.LLM_API_KEY || !c.LLM_MODEL) return undefined;
  return { baseUrl: c.LLM_BASE_URL, apiKey: c.LLM_API_KEY, model: c.LLM_MODEL, timeoutMs: c.LLM_TIMEOUT_MS };
}

/** The self-built app's settings, when configured. */
export function wecomAppConfig(c: Config) {
  if (!c.WECOM_CORP_ID || !c.WECOM_AGENT_ID || !c.WECOM_SECRET || !c.WECOM_TOKEN || !c.WECOM_ENCODING_AES_KEY) {
    return undefined;
  }
  return {
    api: { corpId: c.WECOM_CORP_ID, agentId: c.WECOM_AGENT_ID, secret: c.WECOM_SECRET, apiBase: c.WECOM_API_BASE },
    keys: { token: c.WECOM_TOKEN, encodingAesKey: c.WECOM_ENCODING_AES_KEY, receiveId: c.WECOM_CORP_ID },
  };
}

/** The smart bot's settings: the long connection (id and secret) and/or the HTTP callback keys. */
export function wecomBotConfig(c: Config) {
  return {
    ws:
      c.WECOM_BOT_ID && c.WECOM_BOT_SECRET
        ? {
            botId: c.WECOM_BOT_ID,
            secret: c.WECOM_BOT_SECRET,
            ...(c.WECOM_BOT_WS_URL ? { wsUrl: c.WECOM_BOT_WS_URL } : {}),
          }
        : undefined,
    http:
      c.WECOM_BOT_TOKEN && c.WECOM_BOT_ENCODING_AES_KEY
        ? { keys: { token: c.WECOM_BOT_TOKEN, encodingAesKey: c.WECOM_BOT_ENCODING_AES_KEY, receiveId: '' } }
        : undefined,
  };
}

/** DingTalk's settings, when configured (the robot code defaults to the client id, as DingTalk's examples do). */
export function dingtalkConfig(c: Config) {
  if (!c.DINGTALK_CLIENT_ID || !c.DINGTALK_CLIENT_SECRET) return undefined;
  return {
    mode: c.DINGTALK_MODE,
    api: {
      clientId: c.DINGTALK_CLIENT_ID,
      clientSecret: c.DINGTALK_CLIENT_SECRET,
      robotCode: c.DINGTALK_ROBOT_CODE ?? c.DINGTALK_CLIENT_ID,
      apiBase: c.DINGTALK_API_BASE.replace(/\/$/, ''),
      oapiBase: c.DINGTALK_OAPI_BASE.replace(/\/$/, ''),
    },
    ...(c.DINGTALK_CORP_ID ? { corpId: c.DINGTALK_CORP_ID } : {}),
    gatewayUrl: c.DINGTALK_GATEWAY_URL,
    ...(c.DINGTALK_CARD_TEMPLATE_ID ? { templateId: c.DINGTALK_CARD_TEMPLATE_ID } : {}),
  };
}

/**
 * The platforms the bot can send to on its own initiative with this configuration: a reminder
 * goes to a person's account on one of these, and to nobody (reported) when they have none.
 */
export function deliveringPlatforms(c: Config): Platform[] {
  return [
    ...(c.simulator ? (['sim'] as const) : []),
    ...(wecomAppConfig(c) || wecomBotConfig(c).ws ? (['wecom'] as const) : []),
    ...(dingtalkConfig(c) ? (['dingtalk'] as const) : []),
  ];
}
