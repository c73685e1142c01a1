// The lease-claiming both persisted queues (outbox, inbound) share: a due row is taken by one
// worker only (conditional update), and a row whose worker died comes back when its lease ends.
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { AppDb } from './db';
import { type inboundQueue, outbox } from './schema';

type QueueTable = typeof outbox | typeof inboundQueue;

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
  const due = await db
    .select({ id: t.id, attempts: t.attempts })
    .from(t)
    .where(and(inArray(t.status, ['pending', taken]), lte(t.nextAttemptAt, now)))
    .orderBy(asc(t.nextAttemptAt), asc(t.id))
    .limit(limit);
  const claimed: T['$inferSelect'][] = [];
  for (const d of due) {
    const [row] = await db
      .update(t)
      .set({ status: taken, attempts: d.attempts + 1, nextAttemptAt: now + leaseMs })
      .where(and(eq(t.id, d.id), eq(t.attempts, d.attempts), lte(t.nextAttemptAt, now)))
      .returning();
    if (row) claimed.push(row as T['$inferSelect']);
  }
  return claimed;
}
