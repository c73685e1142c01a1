import { describe, expect, it } from 'vitest';
import {
  type Config,
  ConfigError,
  deliveringPlatforms,
  describeConfig,
  loadConfig as load,
  platformsOn,
} from '../bot/config';
import { PLATFORMS } from '../bot/platforms';

const loadConfig = (env: Record<string, string | undefined>) => load(env, PLATFORMS);
/** Whether the configuration serves the simulator. */
const simulator = (c: Config) => platformsOn(c).some((p) => p.adapter.id === 'sim');

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const WECOM_APP = {
  WECOM_CORP_ID: 'ww1234567890',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'app-secret-value',
  WECOM_TOKEN: 'token',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};

describe('config', () => {
  it('starts with no variables at all: port 8787, the embedded database, the simulator on', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8787);
    expect(c.ZHIBU_DB).toBe('./data/zhibu.db');
    expect(simulator(c)).toBe(true);
  });

  it('stops on a bad value with one line naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    const lines = messageOf(() => loadConfig({ PORT: '70000', ZHIBU_SIMULATOR: 'yes' })).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^配置错误：PORT /);
    expect(lines[1]).toMatch(/^配置错误：ZHIBU_SIMULATOR 只能是 0 或 1/);
  });

  it('requires the variables of a channel together, naming the missing ones', () => {
    expect(messageOf(() => loadConfig({ WECOM_CORP_ID: 'ww1', WECOM_SECRET: 's' }))).toBe(
      '配置错误：企业微信自建应用需要同时设置 WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET、WECOM_TOKEN、WECOM_ENCODING_AES_KEY（缺 WECOM_AGENT_ID、WECOM_TOKEN、WECOM_ENCODING_AES_KEY）',
    );
    expect(messageOf(() => loadConfig({ ...WECOM_APP, WECOM_ENCODING_AES_KEY: 'short' }))).toMatch(
      /^配置错误：WECOM_ENCODING_AES_KEY 必须是 43 位/,
    );
    expect(simulator(loadConfig(WECOM_APP))).toBe(false);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(8787);
  });

  it('turns the simulator off once a platform is configured, unless asked for', () => {
    expect(simulator(loadConfig({ WECOM_BOT_ID: 'bot1', WECOM_BOT_SECRET: 's' }))).toBe(false);
    expect(simulator(loadConfig({ DINGTALK_CLIENT_ID: 'ding1', DINGTALK_CLIENT_SECRET: 's' }))).toBe(false);
    expect(simulator(loadConfig({ WECOM_BOT_ID: 'bot1', WECOM_BOT_SECRET: 's', ZHIBU_SIMULATOR: '1' }))).toBe(true);
    expect(simulator(loadConfig({ ZHIBU_SIMULATOR: '0' }))).toBe(false);
  });

  it('loads the demo only while the simulator is the only channel, and refuses it beside a platform', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ ZHIBU_DEMO: '0' }).demo).toBe(false);
    expect(loadConfig(WECOM_APP).demo).toBe(false);
    expect(loadConfig({ ...WECOM_APP, ZHIBU_SIMULATOR: '1' }).demo).toBe(false);
    expect(messageOf(() => loadConfig({ ...WECOM_APP, ZHIBU_DEMO: '1' }))).toBe(
      '配置错误：ZHIBU_DEMO=1 只能在只用模拟器时设置（已配置企业微信或钉钉）',
    );
  });

  it('describes itself for the start-up log without any credential', () => {
    const text = JSON.stringify(describeConfig(loadConfig(WECOM_APP)));
    expect(text).not.toContain('app-secret-value');
    expect(text).not.toContain(WECOM_APP.WECOM_ENCODING_AES_KEY);
    expect(text).toContain('"wecomApp":true');
  });
});

describe('where the bot can send on its own', () => {
  it('sends to the simulator only where it is served, so that people without accounts are reported, not "sent"', () => {
    expect(deliveringPlatforms(loadConfig({}))).toEqual(['sim']);
    expect(deliveringPlatforms(loadConfig(WECOM_APP))).toEqual(['wecom']);
    expect(deliveringPlatforms(loadConfig({ ...WECOM_APP, ZHIBU_SIMULATOR: '1' }))).toEqual(['sim', 'wecom']);
    expect(
      deliveringPlatforms(loadConfig({ ...WECOM_APP, DINGTALK_CLIENT_ID: 'ding', DINGTALK_CLIENT_SECRET: 's' })),
    ).toEqual(['wecom', 'dingtalk']);
  });
});
