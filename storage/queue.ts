// The lease-claiming both persisted queues (outbox, inbound) share: a due row is taken by one
// worker only, and a row whose worker died comes back when its lease ends.
import { and, asc, inArray, lte, sql } from 'drizzle-orm';
import type { AppDb } from './db';
import { type inboundQueue, outbox } from './schema';

type QueueTable = typeof outbox | typeof inboundQueue;

/**
 * Takes up to `limit` due rows, oldest first, in one statement: concurrent workers never take
 * the same row, and a database error (locked, full) leaves nothing half-claimed.
 */
export async function claimRows<T extends QueueTable>(
  db: AppDb,
  table: T,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<T['$inferSelect'][]> {
  const t = table as typeof outbox; // both tables have these columns; drizzle cannot type a union
  // The status of a taken row: `sending` in the outbox, `working` in the inbound queue.
  const taken = (table === outbox ? 'sending' : 'working') as 'sending';
  const due = db
    .select({ id: t.id })
    .from(t)
    .where(and(inArray(t.status, ['pending', taken]), lte(t.nextAttemptAt, now)))
    .orderBy(asc(t.nextAttemptAt), asc(t.id))
    .limit(limit);
  const claimed = await db
    .update(t)
    .set({ status: taken, attempts: sql`${t.attempts} + 1`, nextAttemptAt: now + leaseMs })
    .where(inArray(t.id, due))
    .returning();
  // In the order they were stored: a person's messages go out in the order they were planned.
  return claimed.sort((a, b) => a.id - b.id) as T['$inferSelect'][];
}
