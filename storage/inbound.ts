// The inbound queue: callbacks accepted before they are answered, worked off afterwards.

import { and, eq, lt, sql } from 'drizzle-orm';
import type { PlatformId } from '../cards/message';
import { type AppDb, preparedOn } from './db';
import { claimRows } from './queue';
import { inboundQueue } from './schema';

export type InboundRow = typeof inboundQueue.$inferSelect;

export interface InboundItem {
  platform: PlatformId;
  key: string;
  kind: string;
  payload: unknown;
}

/**
 * Stores callbacks' work in one statement (one commit for all of them): for each item, whether it
 * was stored; false when its key was known, a platform's retry of it (also within the batch).
 */
export async function enqueueInbound(db: AppDb, items: readonly InboundItem[], now: number): Promise<boolean[]> {
  if (items.length === 0) return [];
  const rows = JSON.stringify(
    items.map(({ platform, key, kind, payload }) => ({ platform, key, kind, payload: JSON.stringify(payload) })),
  );
  const stored = await storeInbound(db).all({ rows, now });
  const fresh = new Set(stored.map((r) => `${r.platform}\n${r.key}`));
  // Set#delete is true once: of two items with one key, the first is stored and the second is its retry.
  return items.map((i) => fresh.delete(`${i.platform}\n${i.key}`));
}

// The rows travel as one JSON parameter, so that the statement is the same for any number of them,
// and stay in their order (json_each walks the array in order): ids ascend as the callbacks came.
// The select's columns are the table's, in order (drizzle inserts a select into all of them);
// `where true` tells SQLite the ON CONFLICT is the upsert's, not a join's.
const storeInbound = preparedOn((db) => {
  const field = (name: string) => sql`json_extract(value, ${`$.${name}`})`;
  const now = sql.placeholder('now');
  return db
    .insert(inboundQueue)
    .select(
      sql`select null, ${field('platform')}, ${field('key')}, ${field('kind')}, ${field('payload')}, 'pending', 0, ${now}, null, ${now} from json_each(${sql.placeholder('rows')}) where true`,
    )
    .onConflictDoNothing()
    .returning({ platform: inboundQueue.platform, key: inboundQueue.key })
    .prepare();
});

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
