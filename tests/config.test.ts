import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../bot/config';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('starts with no variables at all: port 8787, the embedded database, the simulator on', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8787);
    expect(c.ZHIBU_DB).toBe('./data/zhibu.db');
    expect(c.simulator).toBe(true);
  });

  it('stops on a bad value with one line naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    const lines = messageOf(() => loadConfig({ PORT: '70000', ZHIBU_SIMULATOR: 'yes' })).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^配置错误：PORT /);
    expect(lines[1]).toMatch(/^配置错误：ZHIBU_SIMULATOR 只能是 0 或 1/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(8787);
  });

  it('turns the simulator off once a platform is configured, unless asked for', () => {
    expect(loadConfig({ WECOM_CORP_ID: 'ww1' }).simulator).toBe(false);
    expect(loadConfig({ DINGTALK_CLIENT_ID: 'ding1' }).simulator).toBe(false);
    expect(loadConfig({ WECOM_CORP_ID: 'ww1', ZHIBU_SIMULATOR: '1' }).simulator).toBe(true);
    expect(loadConfig({ ZHIBU_SIMULATOR: '0' }).simulator).toBe(false);
  });

  it('describes itself for the start-up log without any credential', () => {
    const text = JSON.stringify(describeConfig(loadConfig({ WECOM_CORP_ID: 'ww-corp-secretish' })));
    expect(text).not.toContain('ww-corp-secretish');
    expect(text).toContain('"wecom":true');
  });
});
