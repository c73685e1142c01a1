// The lease-claiming both persisted queues (outbox, inbound) share: a due row is taken by one
// worker only, and a row whose worker died comes back when its lease ends.
import { and, asc, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { type AppDb, preparedOn } from './db';
import { inboundQueue, outbox } from './schema';

type QueueTable = typeof outbox | typeof inboundQueue;

/**
 * Takes up to `limit` due rows in one statement, the outbox's answers to people before its bulk
 * sends, oldest first within each: concurrent workers never take the same row, and a database
 * error (locked, full) leaves nothing half-claimed. An outbox row taken again while it was being
 * sent (its worker died or timed out mid-send) is marked uncertain: it may have gone out.
 */
export async function claimRows<T extends QueueTable>(
  db: AppDb,
  table: T,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<T['$inferSelect'][]> {
  const claim = table === outbox ? claimFromOutbox : claimFromInbound;
  const claimed = (await claim(db).all({ now, leaseEnd: now + leaseMs, limit })) as T['$inferSelect'][];
  // Answers first, then in the order they were stored: a person's messages go out as planned.
  const lane = (row: object) => ('lane' in row ? (row.lane as number) : 0);
  return claimed.sort((a, b) => lane(a) - lane(b) || a.id - b.id);
}

function claimFrom(table: QueueTable) {
  return preparedOn((db) => {
    const t = table as typeof outbox; // both tables have these columns; drizzle cannot type a union
    const isOutbox = table === outbox;
    // The status of a taken row: `sending` in the outbox, `working` in the inbound queue.
    const taken = (isOutbox ? 'sending' : 'working') as 'sending';
    const order: SQL[] = isOutbox ? [asc(outbox.lane)] : [];
    const due = db
      .select({ id: t.id })
      .from(t)
      .where(and(inArray(t.status, ['pending', taken]), lte(t.nextAttemptAt, sql.placeholder('now'))))
      .orderBy(...order, asc(t.nextAttemptAt), asc(t.id))
      .limit(sql.placeholder('limit'));
    return db
      .update(t)
      .set({
        status: taken,
        attempts: sql`${t.attempts} + 1`,
        nextAttemptAt: sql`${sql.placeholder('leaseEnd')}`,
        ...(isOutbox ? { uncertain: sql`${outbox.uncertain} or ${outbox.status} = 'sending'` } : {}),
      })
      .where(inArray(t.id, due))
      .returning()
      .prepare();
  });
}
const claimFromOutbox = claimFrom(outbox);
const claimFromInbound = claimFrom(inboundQueue);
