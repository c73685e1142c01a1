// The outbox: what the bot sends on its own initiative is stored first, then delivered once,
// through failures, concurrent drains and a crash mid-delivery.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Assistant } from '../bot/core/assistant';
import { drainOutbox, SendError, type Sender } from '../bot/core/delivery';
import { silentLogger } from '../bot/core/log';
import { PLATFORMS } from '../bot/platforms';
import type { ChatRef, Output } from '../cards/message';
import type { AppDb } from '../storage/db';
import { claimDue } from '../storage/outbox';
import { outbox } from '../storage/schema';
import { openSqlite } from '../storage/sqlite';

let db: AppDb;
let close: () => void;
let clock: number;
let bot: Assistant;
const now = () => clock;

beforeEach(() => {
  ({ db, close } = openSqlite(':memory:'));
  clock = Date.parse('2026-11-20T01:00:00Z');
  bot = new Assistant({ db, features: [], log: silentLogger, platforms: PLATFORMS, now: () => new Date(clock) });
});
afterEach(() => close());

/** A platform that records deliveries and fails the first `failures` attempts. */
function flakySender(failures: number, error = new SendError('HTTP 502', true)) {
  const delivered: { target: ChatRef; output: Output }[] = [];
  let attempts = 0;
  const sender: Sender = {
    async deliver(target, output) {
      attempts++;
      if (attempts <= failures) throw error;
      delivered.push({ target, output });
    },
  };
  return { sender, delivered, attempts: () => attempts };
}

const notice = (text: string): Output[] => [{ type: 'text', text }];

describe('outbox delivery', () => {
  it('retries with backoff after failures and delivers exactly once', async () => {
    const p = flakySender(2);
    await bot.send('sim', { kind: 'direct', id: 'm1' }, 'k1', notice('提醒'));
    expect(await drainOutbox(db, { sim: p.sender }, now, silentLogger)).toEqual({ sent: 0, retried: 1, failed: 0 });
    // Not due again until the backoff has passed.
    expect(await drainOutbox(db, { sim: p.sender }, now, silentLogger)).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock += 60_000;
    await drainOutbox(db, { sim: p.sender }, now, silentLogger);
    clock += 60_000;
    expect(await drainOutbox(db, { sim: p.sender }, now, silentLogger)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(p.delivered).toHaveLength(1);
    expect(p.attempts()).toBe(3);
  });

  it('gives up at once on a send that cannot succeed, and keeps the reason', async () => {
    const p = flakySender(1, new SendError('81013 no valid recipient', false));
    await bot.send('sim', { kind: 'direct', id: 'm1' }, 'k1', notice('提醒'));
    expect(await drainOutbox(db, { sim: p.sender }, now, silentLogger)).toEqual({ sent: 0, retried: 0, failed: 1 });
    const [row] = await db.select().from(outbox);
    expect(row).toMatchObject({ status: 'failed', lastError: '81013 no valid recipient' });
  });

  it('delivers each send once when two drains run at the same time', async () => {
    const p = flakySender(0);
    for (let i = 0; i < 120; i++) await bot.send('sim', { kind: 'direct', id: `m${i}` }, `k${i}`, notice(`第 ${i} 条`));
    const [a, b] = await Promise.all([
      drainOutbox(db, { sim: p.sender }, now, silentLogger),
      drainOutbox(db, { sim: p.sender }, now, silentLogger),
    ]);
    expect((a?.sent ?? 0) + (b?.sent ?? 0)).toBe(120);
    expect(new Set(p.delivered.map((d) => d.target.id)).size).toBe(120);
    expect(p.delivered).toHaveLength(120);
  });

  it('resumes after a crash mid-delivery: claimed sends are retried when their lease ends, none twice', async () => {
    const p = flakySender(0);
    for (let i = 0; i < 10; i++) await bot.send('sim', { kind: 'direct', id: `m${i}` }, `k${i}`, notice('提醒'));
    // A process claims four sends, then dies before delivering them.
    expect(await claimDue(db, clock, 60_000, 4)).toHaveLength(4);
    expect((await drainOutbox(db, { sim: p.sender }, now, silentLogger)).sent).toBe(6);
    clock += 61_000;
    expect((await drainOutbox(db, { sim: p.sender }, now, silentLogger)).sent).toBe(4);
    expect(p.delivered.map((d) => d.target.id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`).sort());
  });

  it('stops sending a claimed batch before its lease runs out, so that no other drain sends the same row', async () => {
    // Each send takes eight seconds, several at once: 100 claimed rows would outlast the 60-second lease.
    const delivered: string[] = [];
    const slow: Sender = {
      async deliver(target) {
        const started = clock;
        await new Promise((r) => setImmediate(r)); // the others' sends start meanwhile
        clock = Math.max(clock, started + 8_000);
        delivered.push(target.id);
      },
    };
    for (let i = 0; i < 100; i++) await bot.send('sim', { kind: 'direct', id: `m${i}` }, `k${i}`, notice('提醒'));
    const first = await drainOutbox(db, { sim: slow }, now, silentLogger);
    expect(first.sent).toBeLessThan(100);
    // While the stopped batch's lease lasts, nobody takes its rows; then they go, each once.
    const other = flakySender(0);
    expect((await drainOutbox(db, { sim: other.sender }, now, silentLogger)).sent).toBe(0);
    clock += 60_000;
    await drainOutbox(db, { sim: other.sender }, now, silentLogger);
    const all = [...delivered, ...other.delivered.map((d) => d.target.id)];
    expect(all.sort()).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`).sort());
  });

  it('stores a planned send once however often it is planned, cards included', async () => {
    const card: Output = {
      type: 'card',
      card: { title: '本季度联系点走访', buttons: [{ action: 'x.y', label: '确认' }] },
    };
    expect(await bot.send('sim', { kind: 'direct', id: 'm1' }, 'visit:2026Q4:m1', [card])).toBe(1);
    expect(await bot.send('sim', { kind: 'direct', id: 'm1' }, 'visit:2026Q4:m1', [card])).toBe(0);
    const rows = await db.select().from(outbox);
    expect(rows).toHaveLength(1);
    expect((rows[0]?.payload as { card: { id: string } } | undefined)?.card.id).toMatch(/^c_[0-9a-f]{20}$/);
  });
});
