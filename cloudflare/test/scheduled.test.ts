// Cron triggers run the same jobs as node-cron on Node: duty reminders, meeting deadlines, and the
// outbox drained through the configured senders (here the simulator's).
import { like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_COLUMNS } from '../../bot/platforms';
import { CRONS } from '../../bot/worker';
import { firstSeen } from '../../storage/dedup';
import { seedDemo } from '../../storage/demo';
import { createMeeting, meetingById } from '../../storage/meetings';
import { orgsNamed } from '../../storage/orgs';
import { membersNamed } from '../../storage/people';
import { outbox } from '../../storage/schema';
import { call, db, fire as fireAt } from './helpers';

const fire = (cron: string, at: string) => fireAt(cron, Date.parse(at));

const sent = (prefix: string) =>
  db
    .select()
    .from(outbox)
    .where(like(outbox.key, `${prefix}%`));

beforeAll(async () => {
  await seedDemo(db, Date.parse('2026-03-01T00:00:00Z'), ACCOUNT_COLUMNS);
});

describe('scheduled', () => {
  it('reminds the duties due (first day of Q2, 10:00 Shanghai) and drains them, once', async () => {
    await fire(CRONS.duties, '2026-04-01T02:00:00Z');
    const rows = await sent('duty');
    // Q2's first stage: 联系点走访 to the two leaders, 流动党员摸底 to the two 书记, 组织设置清理 to the admin.
    expect(rows.map((r) => r.key.split(':').slice(0, 2).join(':')).sort()).toEqual([
      'duty:mobile-members',
      'duty:mobile-members',
      'duty:org-review',
      'duty:visit',
      'duty:visit',
    ]);
    expect(rows.every((r) => r.status === 'sent' && r.platform === 'sim')).toBe(true);
    // Delivered into the simulator's chat history in D1, where the page reads it.
    const res = await call('/sim/api/history?chat=direct&member=吴刚');
    const { messages } = (await res.json()) as { messages: { type: string; card?: { title: string } }[] };
    expect(messages.map((m) => m.card?.title)).toEqual(['联系点走访提醒']);

    await fire(CRONS.duties, '2026-04-01T02:10:00Z');
    expect(await sent('duty')).toHaveLength(rows.length);
  });

  it('closes a check-in whose deadline passed and posts the closed card', async () => {
    const [org] = await orgsNamed(db, '兰陵小学党支部');
    const [starter] = await membersNamed(db, '王建国');
    const start = Date.parse('2026-04-02T06:00:00Z');
    await createMeeting(db, {
      id: 'm_worker_test',
      orgId: org?.id ?? '',
      platform: 'sim',
      chatId: 'sim-lanling',
      cardId: null,
      type: '支部党员大会',
      topic: '学习研讨',
      partyGroup: null,
      starterId: starter?.id ?? '',
      startsAt: start,
      endsAt: start + 30 * 60_000,
      lateAfterMin: 10,
      closedAt: null,
      closedBy: null,
      createdAt: start,
    });
    await fire(CRONS.everyMinute, '2026-04-02T06:31:00Z');
    expect((await meetingById(db, 'm_worker_test'))?.closedBy).toBe('deadline');
    const rows = await sent('meeting-close:m_worker_test');
    // The card turned to 已结束, and the summary.
    expect(rows.map((r) => (r.payload as { type: string }).type)).toEqual(['card-update', 'text']);
    expect(JSON.stringify(rows[1]?.payload)).toContain('应到 4 人，实到 0 人，请假 0 人，缺席 4 人');
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('forgets week-old de-duplication keys in the daily clean-up, and keeps recent ones', async () => {
    const at = Date.parse('2026-04-02T19:17:00Z');
    expect(await firstSeen(db, 'wecom', 'old-callback', at - 8 * 86_400_000)).toBe(true);
    expect(await firstSeen(db, 'wecom', 'recent-callback', at - 86_400_000)).toBe(true);
    await fire(CRONS.daily, '2026-04-02T19:17:00Z');
    expect(await firstSeen(db, 'wecom', 'old-callback', at)).toBe(true); // forgotten: new again
    expect(await firstSeen(db, 'wecom', 'recent-callback', at)).toBe(false);
  });
});
