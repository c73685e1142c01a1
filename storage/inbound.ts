// The inbound queue: callbacks accepted before they are answered, worked off afterwards.

import { and, eq, lt, sql } from 'drizzle-orm';
import type { PlatformId } from '../cards/message';
import { type AppDb, preparedOn } from './db';
import { claimRows } from './queue';
import { inboundQueue } from './schema';

export type InboundRow = typeof inboundQueue.$inferSelect;

/** Stores a callback's work; false when its key is known (the platform's retry of it). */
export async function enqueueInbound(
  db: AppDb,
  item: { platform: PlatformId; key: string; kind: string; payload: unknown },
  now: number,
): Promise<boolean> {
  const rows = await storeInbound(db).all({ ...item, now });
  return rows.length === 1;
}

const storeInbound = preparedOn((db) =>
  db
    .insert(inboundQueue)
    .values({
      platform: sql.placeholder('platform'),
      key: sql.placeholder('key'),
      kind: sql.placeholder('kind'),
      payload: sql.placeholder('payload'),
      status: 'pending',
      nextAttemptAt: sql.placeholder('now'),
      createdAt: sql.placeholder('now'),
    })
    .onConflictDoNothing()
    .returning({ id: inboundQueue.id })
    .prepare(),
);

export function claimInbound(db: AppDb, now: number, leaseMs: number, limit: number): Promise<InboundRow[]> {
  return claimRows(db, inboundQueue, now, leaseMs, limit);
}

/** Marks work done, in one statement (the ids are a claimed batch's, far under D1's parameter limit). */
export async function settleInboundDone(db: AppDb, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await markDone(db).run({ ids: JSON.stringify(ids) });
}

// The ids travel as one JSON parameter, so that the statement is the same for any number of them.
const markDone = preparedOn((db) =>
  db
    .update(inboundQueue)
    .set({ status: 'done' })
    .where(sql`${inboundQueue.id} in (select value from json_each(${sql.placeholder('ids')}))`)
    .prepare(),
);

export async function settleInbound(
  db: AppDb,
  id: number,
  outcome: { status: 'done' | 'failed' } | { status: 'pending'; at: number; error: string },
): Promise<void> {
  await db
    .update(inboundQueue)
    .set(
      outcome.status === 'pending'
        ? { status: 'pending', nextAttemptAt: outcome.at, lastError: outcome.error }
        : { status: outcome.status },
    )
    .where(eq(inboundQueue.id, id));
}

/** Finished work older than every platform's retry window can go. */
export async function forgetInboundBefore(db: AppDb, before: number): Promise<void> {
  await db.delete(inboundQueue).where(and(eq(inboundQueue.status, 'done'), lt(inboundQueue.createdAt, before)));
}
