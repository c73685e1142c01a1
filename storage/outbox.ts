import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { ChatRef, Output, PlatformId } from '../cards/message';
import { type AppDb, preparedOn, underParamLimit } from './db';
import { claimRows } from './queue';
import { outbox } from './schema';

export type OutboxRow = typeof outbox.$inferSelect;

/** The outbox's lanes: answers to a person's message or click are claimed before bulk sends. */
export const LANE = { reply: 0, bulk: 1 } as const;
export type Lane = keyof typeof LANE;

export interface OutboxItem {
  /** Names the send so that planning it twice stores it once, e.g. `visit:2026Q4:m_1:first`. */
  key: string;
  platform: PlatformId;
  target: ChatRef;
  output: Output;
  /** Opaque to the core: what the platform's sender needs to deliver it as a reply. */
  context?: unknown;
  /** Default `bulk`. */
  lane?: Lane;
}

/** Stores sends before any is attempted; the number that were new (a key already stored is skipped). */
export async function enqueue(db: AppDb, items: OutboxItem[], now: number): Promise<number> {
  const row = (i: OutboxItem) => ({
    key: i.key,
    platform: i.platform,
    targetKind: i.target.kind,
    targetId: i.target.id,
    payload: i.output,
    context: i.context ?? null,
    lane: LANE[i.lane ?? 'bulk'],
    now,
  });
  // Most answers are one send: a prepared statement; a fan-out goes in multi-row statements.
  const [only] = items;
  if (items.length === 1 && only) {
    const values = row(only);
    const context = values.context === null ? null : JSON.stringify(values.context);
    return (await storeOne(db).all({ ...values, context })).length;
  }
  const inserts = underParamLimit(items, (chunk) =>
    db
      .insert(outbox)
      .values(
        chunk.map((i) => {
          const { now: at, ...values } = row(i);
          return { ...values, status: 'pending' as const, nextAttemptAt: at, createdAt: at };
        }),
      )
      .onConflictDoNothing()
      .returning({ id: outbox.id }),
  );
  let stored = 0;
  for (const insert of inserts) stored += (await insert).length;
  return stored;
}

const storeOne = preparedOn((db) => {
  const p = (name: string) => sql.placeholder(name);
  return db
    .insert(outbox)
    .values({
      key: p('key'),
      platform: p('platform'),
      targetKind: p('targetKind'),
      targetId: p('targetId'),
      payload: p('payload'),
      context: sql`${p('context')}`, // JSON text or NULL (the column's encoder would store null as 'null')
      lane: p('lane'),
      status: 'pending',
      nextAttemptAt: p('now'),
      createdAt: p('now'),
    })
    .onConflictDoNothing()
    .returning({ id: outbox.id })
    .prepare();
});

/** Takes up to `limit` due sends for this process (see queue.ts for the lease). */
export function claimDue(db: AppDb, now: number, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  return claimRows(db, outbox, now, leaseMs, limit);
}

/**
 * What became of a claimed send: delivered, back in the queue (from `at`; `uncertain` when the
 * failed attempt may have reached the person), or failed for good.
 */
export type SendOutcome =
  | { status: 'sent'; at: number }
  | { status: 'pending'; at: number; error: string | null; uncertain?: boolean }
  | { status: 'failed'; error: string };

/**
 * Writes the outcomes of claimed sends, by id: one statement for each kind present (sent, back in
 * the queue, failed) however many sends, each row with its own time and error. Back in the queue
 * without an error (never tried) keeps the row's last error; a row once uncertain stays so.
 */
export async function settleSends(db: AppDb, outcomes: ReadonlyMap<number, SendOutcome>): Promise<void> {
  for (const status of ['sent', 'pending', 'failed'] as const) {
    const rows = [...outcomes].filter(([, o]) => o.status === status).map(([id, o]) => ({ id, ...o }));
    if (rows.length > 0) await settle[status](db).run({ rows: JSON.stringify(rows) });
  }
}

// A bulk update with a value per row: the rows travel as one JSON parameter of {id, …} entries.
const rows = sql.placeholder('rows');
const idsIn = sql`${outbox.id} in (select json_extract(value, '$.id') from json_each(${rows}))`;
const fieldOf = (name: string) =>
  sql`(select json_extract(r.value, ${`$.${name}`}) from json_each(${rows}) r where json_extract(r.value, '$.id') = ${outbox.id})`;
const settle = {
  sent: preparedOn((db) =>
    db
      .update(outbox)
      .set({ status: 'sent', sentAt: fieldOf('at'), lastError: null })
      .where(idsIn)
      .prepare(),
  ),
  pending: preparedOn((db) =>
    db
      .update(outbox)
      .set({
        status: 'pending',
        nextAttemptAt: fieldOf('at'),
        lastError: sql`coalesce(${fieldOf('error')}, ${outbox.lastError})`,
        uncertain: sql`${outbox.uncertain} or coalesce(${fieldOf('uncertain')}, 0)`,
      })
      .where(idsIn)
      .prepare(),
  ),
  failed: preparedOn((db) =>
    db
      .update(outbox)
      .set({ status: 'failed', lastError: fieldOf('error') })
      .where(idsIn)
      .prepare(),
  ),
};

/** What was delivered to one target on one platform, oldest first. */
export async function sentTo(db: AppDb, platform: PlatformId, targetId: string): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.platform, platform), eq(outbox.targetId, targetId), eq(outbox.status, 'sent')))
    .orderBy(asc(outbox.sentAt), asc(outbox.id));
}

/** The keys of everything ever planned whose key starts with `prefix` (read through the key's index). */
export async function keysStartingWith(db: AppDb, prefix: string): Promise<string[]> {
  return keysBetween(db, prefix, `${prefix}\uffff`);
}

/** The outbox's keys from `from` up to `to` (not included): those of a page of people, say. */
export async function keysBetween(db: AppDb, from: string, to: string): Promise<string[]> {
  const rows = await db
    .select({ key: outbox.key })
    .from(outbox)
    .where(and(gte(outbox.key, from), lt(outbox.key, to)));
  return rows.map((r) => r.key);
}

/** Planned sends not yet taken for delivery, under a key prefix: their keys. */
export async function pendingKeysStartingWith(db: AppDb, prefix: string): Promise<string[]> {
  const rows = await db
    .select({ key: outbox.key })
    .from(outbox)
    .where(and(gte(outbox.key, prefix), lt(outbox.key, `${prefix}\uffff`), eq(outbox.status, 'pending')));
  return rows.map((r) => r.key);
}

/**
 * Drops the planned sends under these key prefixes that have not been taken for delivery (a
 * reminder planned for a later hour whose duty is done by now); the number dropped. A send being
 * delivered at this moment is left to finish.
 */
export async function cancelPending(db: AppDb, prefixes: readonly string[]): Promise<number> {
  let cancelled = 0;
  for (const prefix of prefixes) {
    const rows = await db
      .update(outbox)
      .set({ status: 'cancelled' })
      .where(and(gte(outbox.key, prefix), lt(outbox.key, `${prefix}\uffff`), eq(outbox.status, 'pending')))
      .returning({ id: outbox.id });
    cancelled += rows.length;
  }
  return cancelled;
}
