import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { ChatRef, Output } from '../bot/core/model';
import { type AppDb, chunksFor } from './db';
import { claimRows } from './queue';
import { outbox, type Platform } from './schema';

export type OutboxRow = typeof outbox.$inferSelect;

export interface OutboxItem {
  /** Names the send so that planning it twice stores it once, e.g. `visit:2026Q4:m_1:first`. */
  key: string;
  platform: Platform;
  target: ChatRef;
  output: Output;
  /** Opaque to the core: what the platform's sender needs to deliver it as a reply. */
  context?: unknown;
}

/** Stores sends before any is attempted; the number that were new (a key already stored is skipped). */
export async function enqueue(db: AppDb, items: OutboxItem[], now: number): Promise<number> {
  let stored = 0;
  for (const chunk of chunksFor(items, 9)) {
    const rows = await db
      .insert(outbox)
      .values(
        chunk.map((i) => ({
          key: i.key,
          platform: i.platform,
          targetKind: i.target.kind,
          targetId: i.target.id,
          payload: i.output,
          context: i.context ?? null,
          status: 'pending' as const,
          nextAttemptAt: now,
          createdAt: now,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: outbox.id });
    stored += rows.length;
  }
  return stored;
}

/** Takes up to `limit` due sends for this process (see queue.ts for the lease). */
export function claimDue(db: AppDb, now: number, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  return claimRows(db, outbox, now, leaseMs, limit);
}

/** What became of a claimed send: delivered, back in the queue (from `at`), or failed for good. */
export type SendOutcome =
  | { status: 'sent'; at: number }
  | { status: 'pending'; at: number; error: string | null }
  | { status: 'failed'; error: string };

export async function settleSend(db: AppDb, id: number, o: SendOutcome): Promise<void> {
  const set =
    o.status === 'sent'
      ? { status: o.status, sentAt: o.at, lastError: null }
      : o.status === 'pending'
        ? { status: o.status, nextAttemptAt: o.at, ...(o.error === null ? {} : { lastError: o.error }) }
        : { status: o.status, lastError: o.error };
  await db.update(outbox).set(set).where(eq(outbox.id, id));
}

/** What was delivered to one target on one platform, oldest first. */
export async function sentTo(db: AppDb, platform: Platform, targetId: string): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.platform, platform), eq(outbox.targetId, targetId), eq(outbox.status, 'sent')))
    .orderBy(asc(outbox.sentAt), asc(outbox.id));
}

/** The keys of everything ever planned whose key starts with `prefix` (read through the key's index). */
export async function keysStartingWith(db: AppDb, prefix: string): Promise<string[]> {
  const rows = await db
    .select({ key: outbox.key })
    .from(outbox)
    .where(and(gte(outbox.key, prefix), lt(outbox.key, `${prefix}\uffff`)));
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
