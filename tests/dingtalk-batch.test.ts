// A reminder fan-out on DingTalk (markdown cards, no template): the same message to many people
// goes out 20 people a batchSend call; a flow-controlled person is retried alone, an unknown one
// fails alone, and nobody gets it twice.

import { asc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Assistant } from '../bot/core/assistant';
import { drainOutbox } from '../bot/core/delivery';
import { silentLogger } from '../bot/core/log';
import { DingtalkApi } from '../bot/dingtalk/api';
import { DingtalkSender } from '../bot/dingtalk/sender';
import { ACCOUNT_COLUMNS, PLATFORMS } from '../bot/platforms';
import { remindDuties } from '../cron/duty-reminders';
import { importRoster } from '../storage/roster';
import { outbox } from '../storage/schema';
import { openSqlite } from '../storage/sqlite';
import { DINGTALK_CLIENT } from './fakes/accounts';
import { startFakeOpenApi } from './fakes/dingtalk-openapi';
import { presetDuties } from './helpers/bot';

describe('DingTalk batch sends', () => {
  it('sends one reminder to 46 secretaries in calls of ≤20, retrying only the flow-controlled one', async () => {
    const known = Array.from({ length: 45 }, (_, i) => `sec${i}`);
    const api = await startFakeOpenApi({ ...DINGTALK_CLIENT, users: known });
    const { db, close } = openSqlite(':memory:');
    const rows = [['组织', '学校', '姓名', '角色', '钉钉账号']];
    for (let i = 0; i < 46; i++) rows.push([`工委/第${i}支部`, `学校${i}`, `书记${i}`, '书记', `sec${i}`]); // sec45: unknown
    expect((await importRoster(db, rows, 0, 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
    let clock = Date.parse('2026-11-20T09:30+08:00');
    const bot = new Assistant({
      db,
      features: [],
      log: silentLogger,
      platforms: PLATFORMS,
      now: () => new Date(clock),
      delivering: ['dingtalk'],
    });
    const ideology = presetDuties().filter((d) => d.id === 'ideology');
    expect(await remindDuties(bot, ideology, new Date(clock))).toBe(46);

    const sender = new DingtalkSender(
      new DingtalkApi({ ...DINGTALK_CLIENT, apiBase: api.url }),
      { callbackType: 'STREAM' },
      (chat, cardId) => bot.showAsText('dingtalk', chat, cardId),
      () => clock,
    );
    // The first known person planned (in whichever call carries them: calls may go out concurrently).
    // Member ids are random, so the unknown sec45 may be planned first: it is skipped.
    const planned = await db.select().from(outbox).orderBy(asc(outbox.id));
    api.flowControlNext([planned.find((row) => known.includes(row.targetId))?.targetId ?? '']);
    const first = await drainOutbox(db, { dingtalk: sender }, () => clock, silentLogger);
    expect(first).toEqual({ sent: 44, retried: 1, failed: 1 });
    const sizes = () =>
      api.calls
        .filter((c) => c.path === '/v1.0/robot/oToMessages/batchSend')
        .map((c) => (c.body as { userIds: string[] }).userIds.length)
        .sort((a, b) => b - a);
    expect(sizes()).toEqual([20, 20, 6]);

    clock += 31_000;
    expect(await drainOutbox(db, { dingtalk: sender }, () => clock, silentLogger)).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
    });
    expect(sizes()).toEqual([20, 20, 6, 1]);
    expect(known.map((id) => api.inbox(id).length)).toEqual(known.map(() => 1));
    expect(api.inbox('sec45')).toEqual([]);

    // One person's messages keep their order, though one of them cannot share a batch call.
    const to = { kind: 'direct' as const, id: 'sec1' };
    await bot.send('dingtalk', to, 'o1', [{ type: 'text', text: '第一条' }]);
    await bot.send('dingtalk', to, 'o2', [{ type: 'text', text: '第二条', mentions: ['sec1'] }]);
    await bot.send('dingtalk', to, 'o3', [{ type: 'text', text: '第三条' }]);
    await drainOutbox(db, { dingtalk: sender }, () => clock, silentLogger);
    const texts = api.inbox('sec1').map((m) => (m.msgParam as { text: string }).text);
    expect(texts.slice(1).map((t) => t.slice(0, 3))).toEqual(['第一条', '第二条', '第三条']);
    await api.close();
    close();
  });
});
