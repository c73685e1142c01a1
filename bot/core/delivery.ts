// Delivers what the outbox holds through each platform's sender, with retries and backoff.
// A row is marked sent only after its sender returned; a crash in between resends it once
// (the platforms' own duplicate checks absorb that).
import type { AppDb } from '../../storage/db';
import { claimDue, markFailed, markRetry, markSent, type OutboxRow } from '../../storage/outbox';
import type { Logger } from './log';
import type { ChatRef, Output, Platform } from './model';
import { yieldToEventLoop } from './yield';

export interface Delivery {
  target: ChatRef;
  output: Output;
  /** What the channel stored with the send (e.g. a click's ResponseCode). */
  context?: unknown;
}

export interface Sender {
  deliver(target: ChatRef, output: Output, context?: unknown): Promise<void>;
  /**
   * Several sends at once, for a platform that takes one call for many people (DingTalk: the same
   * message to ≤20 people); each send's own outcome, null when it went out.
   */
  deliverMany?(sends: Delivery[]): Promise<(Error | null)[]>;
}

/** A failed send; `retryable` says whether trying again later can help. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export const MAX_ATTEMPTS = 10;
const LEASE_MS = 60_000;
/** A claimed row is sent only while this much of its lease is left: after it, another drain may take it. */
const LEASE_MARGIN_MS = 10_000;
/** Rows claimed at a time: a multiple of 20, so DingTalk batchSend calls go out full. */
const BATCH = 100;

export function backoffMs(attempts: number, random = Math.random()): number {
  const base = Math.min(1000 * 2 ** Math.max(0, attempts - 1), 10 * 60_000);
  return Math.round(base * (0.5 + random / 2));
}

export interface DrainResult {
  sent: number;
  retried: number;
  failed: number;
}

export async function drainOutbox(
  db: AppDb,
  senders: Partial<Record<Platform, Sender>>,
  now: () => number,
  log: Logger,
): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retried: 0, failed: 0 };
  /** Marks a row by its send's outcome: sent, to retry with backoff, or failed for good. */
  async function settle(row: OutboxRow, err: unknown): Promise<void> {
    if (err === null) {
      await markSent(db, row.id, now());
      result.sent++;
      return;
    }
    const retryable = !(err instanceof SendError) || err.retryable;
    const message = err instanceof Error ? err.message : String(err);
    if (retryable && row.attempts < MAX_ATTEMPTS) {
      const wait = err instanceof SendError && err.retryAfterMs ? err.retryAfterMs : backoffMs(row.attempts);
      await markRetry(db, row.id, now() + wait, message);
      result.retried++;
    } else {
      await markFailed(db, row.id, message);
      log.error('send failed for good', { id: row.id, key: row.key, platform: row.platform, message });
      result.failed++;
    }
  }
  const delivery = (row: OutboxRow): Delivery => ({
    target: { kind: row.targetKind, id: row.targetId },
    output: row.payload as Output,
    context: row.context ?? undefined,
  });
  for (;;) {
    const claimedAt = now();
    const rows = await claimDue(db, claimedAt, LEASE_MS, BATCH);
    if (rows.length === 0) return result;
    // Slow sends can outlast the lease; the rest of the batch is left to be claimed again.
    const leaseHeld = () => now() - claimedAt < LEASE_MS - LEASE_MARGIN_MS;
    for (const platform of new Set(rows.map((r) => r.platform))) {
      const mine = rows.filter((r) => r.platform === platform);
      const sender = senders[platform];
      if (sender?.deliverMany) {
        if (!leaseHeld()) break;
        await yieldToEventLoop();
        const outcomes = await sender.deliverMany(mine.map(delivery)).catch((err) => mine.map(() => err));
        for (const [i, row] of mine.entries()) await settle(row, outcomes[i] ?? null);
        continue;
      }
      for (const row of mine) {
        if (!leaseHeld()) break;
        await yieldToEventLoop();
        try {
          if (!sender) throw new SendError(`no ${row.platform} channel is configured`, true, 10 * 60_000);
          const d = delivery(row);
          await sender.deliver(d.target, d.output, d.context);
          await settle(row, null);
        } catch (err) {
          await settle(row, err);
        }
      }
    }
  }
}

/** Runs one drain at a time in this process; a kick during a drain runs another after it. */
export class Dispatcher {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly drain: () => Promise<unknown>) {}

  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.drain();
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
