// All configuration comes from environment variables: the core's through this schema, each
// platform's through its adapter's (PlatformAdapter.settings), parsed together. A bad value stops
// start-up with one line naming the variable; secret values are never shown.
import { z } from 'zod';
import type { PlatformId } from '../cards/message';
import type { LlmConfig } from '../handlers/qa/llm';
import type { PlatformAdapter } from './core/platform';

/** A variable that is 0 or 1. */
export const flag = z.enum(['0', '1'], { error: '只能是 0 或 1' });
/** A variable that may be unset, but not blank. */
export const optionalText = z.string().trim().min(1).optional();

/** The core's variables that only work together. */
const TOGETHER: [string, (keyof z.infer<typeof coreSchema>)[]][] = [
  ['大模型', ['LLM_BASE_URL', 'LLM_API_KEY', 'LLM_MODEL']],
];

const coreSchema = z.object({
  PORT: z.coerce
    .number({ error: '必须是端口号' })
    .int({ error: '必须是整数' })
    .min(0, { error: '必须在 0–65535 之间（0 表示任选空闲端口）' })
    .max(65535, { error: '必须在 0–65535 之间（0 表示任选空闲端口）' })
    .default(8787),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  ZHIBU_DB: z.string().trim().min(1, { error: '不能为空' }).default('./data/zhibu.db'),
  /** Daily backups and the copies taken before an upgrade; unset: `backups` next to the database. */
  ZHIBU_BACKUP_DIR: optionalText,
  /** text: readable lines (development); json: one JSON object a line (production, log collectors). */
  ZHIBU_LOG: z.enum(['text', 'json'], { error: '只能是 text 或 json' }).default('text'),
  /** Where people reach this server (for download links sent in chat), e.g. https://bot.school.cn */
  ZHIBU_PUBLIC_URL: z.url({ error: '必须是 http(s) 地址' }).optional(),
  /** Signs download links; unset: a new secret each start (links then die with a restart). */
  ZHIBU_LINK_SECRET: z.string().min(16, { error: '至少 16 个字符' }).optional(),
  /** 1: load the demo organisation into an empty database; unset: only while the simulator is the only channel. */
  ZHIBU_DEMO: flag.optional(),
  /** The recurring duties' rules file (which duties apply, when they remind); unset: the shipped one. */
  ZHIBU_DUTIES: optionalText,
  /** The self-check forms' folder; unset: the shipped data/forms. */
  ZHIBU_FORMS: optionalText,
  /** The State Council's 放假 and 调休上班 dates by year, over what `chinese-days` has; unset: the shipped data/holidays.json. */
  ZHIBU_HOLIDAYS: optionalText,
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
  LLM_API_KEY: optionalText,
  LLM_MODEL: optionalText,
  LLM_TIMEOUT_MS: z.coerce.number({ error: '必须是毫秒数' }).int().min(100).max(60_000).default(8000),
});

/** A registered platform with its settings, and whether they turn it on. */
export interface PlatformConfig {
  adapter: PlatformAdapter;
  settings: unknown;
  on: boolean;
}

export type Config = z.infer<typeof coreSchema> & {
  /** Every platform registered, in the registry's order. */
  platforms: readonly PlatformConfig[];
  /** Load the demo organisation into an empty database. */
  demo: boolean;
};

export class ConfigError extends Error {}

/** The names of a group that were set, the names missing: a line when only some are. */
function incomplete(what: string, names: readonly string[], values: Record<string, unknown>): string[] {
  const set = names.filter((n) => values[n] !== undefined);
  return set.length > 0 && set.length < names.length
    ? [`配置错误：${what}需要同时设置 ${names.join('、')}（缺 ${names.filter((n) => !set.includes(n)).join('、')}）`]
    : [];
}

/** Reads the environment for the core and the platforms; throws ConfigError with one line per bad variable. */
export function loadConfig(env: Record<string, string | undefined>, adapters: readonly PlatformAdapter[]): Config {
  // An empty variable means "not set", as in most .env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const core = coreSchema.safeParse(present);
  const parsed = adapters.map((adapter) => ({ adapter, result: adapter.settings.safeParse(present) }));
  const bad = [core.error, ...parsed.map((p) => p.result.error)].flatMap((e) => e?.issues ?? []);
  if (bad.length > 0 || !core.success) {
    throw new ConfigError(bad.map((i) => `配置错误：${String(i.path[0] ?? '?')} ${i.message}`).join('\n'));
  }
  const settled = parsed.map(({ adapter, result }) => ({ adapter, settings: result.data }));
  const lines = [
    ...settled.flatMap(({ adapter, settings }) =>
      (adapter.together ?? []).flatMap(([what, names]) => incomplete(what, names, settings as Record<string, unknown>)),
    ),
    ...TOGETHER.flatMap(([what, names]) => incomplete(what, names, core.data)),
  ];
  if (lines.length > 0) throw new ConfigError(lines.join('\n'));
  const wanted = settled.map((p) => ({ ...p, enabled: p.adapter.enabled(p.settings) }));
  const anyOn = wanted.some((p) => p.enabled === true);
  const platforms = wanted.map(({ adapter, settings, enabled }) => ({
    adapter,
    settings,
    on: enabled === 'alone' ? !anyOn : enabled,
  }));
  // The demo's members carry plausible user ids (zhouhong is 管理员): never beside real people.
  const real = realPeopleReach({ platforms });
  if (core.data.ZHIBU_DEMO === '1' && real) {
    throw new ConfigError(`配置错误：ZHIBU_DEMO=1 只能在只用模拟器时设置（已配置${realPlatformNames(adapters)}）`);
  }
  const demo = core.data.ZHIBU_DEMO === '1' || (core.data.ZHIBU_DEMO === undefined && !real);
  return { ...core.data, platforms, demo };
}

/** The names of the platforms whose people have accounts, as a message says them: 企业微信或钉钉. */
export function realPlatformNames(adapters: readonly PlatformAdapter[]): string {
  return adapters
    .filter((a) => a.people !== 'member-id')
    .map((a) => a.name)
    .join('或');
}

/**
 * Why the bot does not serve while the demo's members are still beside real people (their user
 * ids are plausible: zhouhong is 管理员), and the command that removes them.
 */
export function demoLeftMessage(adapters: readonly PlatformAdapter[], removeCommand: string): string {
  return `数据库里还有演示组织（天宁区教育工委）的成员，配置了${realPlatformNames(adapters)}时不能保留：请先运行 ${removeCommand} 删除演示数据。`;
}

/** Whether real people can reach the bot: a platform is on whose people have accounts (not picked by member id). */
export function realPeopleReach(config: Pick<Config, 'platforms'>): boolean {
  return config.platforms.some((p) => p.on && p.adapter.people !== 'member-id');
}

/** The platforms these settings turn on. */
export function platformsOn(config: Config): PlatformConfig[] {
  return config.platforms.filter((p) => p.on);
}

/** What start-up may print about the configuration: no secrets. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    port: config.PORT,
    db: config.ZHIBU_DB,
    platforms: platformsOn(config).map((p) => p.adapter.id),
    ...Object.assign({}, ...config.platforms.map((p) => p.adapter.describe(p.settings))),
    llm: config.LLM_MODEL ? { model: config.LLM_MODEL, baseUrl: config.LLM_BASE_URL } : false,
  };
}

/** The chat model's settings, when all three are set. */
export function llmConfig(config: Config): LlmConfig | undefined {
  if (!config.LLM_BASE_URL || !config.LLM_API_KEY || !config.LLM_MODEL) return undefined;
  return {
    baseUrl: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    model: config.LLM_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
  };
}

/**
 * The platforms the bot can send to on its own initiative with this configuration: a reminder
 * goes to a person's account on one of these, and to nobody (reported) when they have none.
 */
export function deliveringPlatforms(config: Config): PlatformId[] {
  return platformsOn(config)
    .filter((p) => p.adapter.delivers(p.settings))
    .map((p) => p.adapter.id);
}
