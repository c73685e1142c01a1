// What an operator reads: readable lines in development, one JSON object a line in production
// (ZHIBU_LOG=json), records for Workers Logs; each level on its own console method.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleLogger } from '../bot/core/log';

const spies = () => ({
  info: vi.spyOn(console, 'info').mockImplementation(() => {}),
  warn: vi.spyOn(console, 'warn').mockImplementation(() => {}),
  error: vi.spyOn(console, 'error').mockImplementation(() => {}),
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('consoleLogger', () => {
  it('writes one JSON line per event in production, each level to its console method', () => {
    const out = spies();
    const log = consoleLogger('json');
    log.info('daily backup written', { file: '/var/lib/zhibu/backups/zhibu-2026-12-07.db', bytes: 4096 });
    log.warn('DingTalk stream connection failed', { err: new Error('socket hang up') });
    log.error('send failed for good', { id: 7, msg: 'not the event', level: 'info' });

    const [info] = out.info.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(info).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      msg: 'daily backup written',
      file: '/var/lib/zhibu/backups/zhibu-2026-12-07.db',
      bytes: 4096,
    });
    expect(JSON.parse(String(out.warn.mock.calls[0]?.[0]))).toMatchObject({ level: 'warn', err: 'socket hang up' });
    // Data never overrides what the event is.
    expect(JSON.parse(String(out.error.mock.calls[0]?.[0]))).toMatchObject({
      level: 'error',
      msg: 'send failed for good',
      id: 7,
    });
    expect(out.info.mock.calls).toHaveLength(1);
    expect(out.warn.mock.calls).toHaveLength(1);
    expect(out.error.mock.calls).toHaveLength(1);
  });

  it('writes readable lines in development and records on Workers, on the same methods', () => {
    const out = spies();
    consoleLogger('text').info('zhibu started', { port: 8787 });
    consoleLogger('object').warn('unknown cron trigger', { cron: '5 4 * * *' });
    expect(out.info.mock.calls[0]?.[0]).toMatch(/^\S+Z INFO zhibu started \{"port":8787\}$/);
    expect(out.warn.mock.calls[0]?.[0]).toMatchObject({
      level: 'warn',
      msg: 'unknown cron trigger',
      cron: '5 4 * * *',
    });
    expect(out.error).not.toHaveBeenCalled();
  });
});
