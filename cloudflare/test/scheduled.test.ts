// Cron triggers run the same jobs as node-cron on Node: duty reminders, meeting deadlines, and the
// outbox drained through the configured senders (here the simulator's).
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import worker, { CRONS } from '../../bot/worker';
import { seedDemo } from '../../storage/demo';
import { createMeeting, meetingById } from '../../storage/meetings';
import { orgsNamed } from '../../storage/orgs';
import { membersNamed } from '../../storage/people';
import { outbox } from '../../storage/schema';
import { db } from './helpers';

async function fire(cron: string, at: string): Promise<void> {
  const ctx = createExecutionContext();
  worker.scheduled(createScheduledController({ cron, scheduledTime: Date.parse(at) }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const sent = (prefix: string) =>
  db
    .select()
    .from(outbox)
    .where(like(outbox.key, `${prefix}%`));

beforeAll(async () => {
  await seedDemo(db, Date.parse('2026-03-01T00:00:00Z'));
});

describe('scheduled', () => {
  it('reminds the duties due (first day of Q2, 10:00 Shanghai) and drains them, once', async () => {
    await fire(CRONS.duties, '2026-04-01T02:00:00Z');
    const rows = await sent('duty');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === 'sent' && r.platform === 'sim')).toBe(true);
    expect(rows.some((r) => r.key.startsWith('duty:visit:'))).toBe(true);

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
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('runs the daily clean-up trigger', async () => {
    await fire(CRONS.daily, '2026-04-02T19:17:00Z');
  });
});
