// Delivers what the outbox holds through each platform's sender, with retries and backoff.
// A row is marked sent only after its sender returned; a crash in between resends it once
// (the platforms' own duplicate checks absorb that).
import type { AppDb } from '../../storage/db';
import { claimDue, markFailed, markRetry, markSent } from '../../storage/outbox';
import type { Logger } from './log';
import type { ChatRef, Output, Platform } from './model';
import { yieldToEventLoop } from './yield';

export interface Sender {
  /** `context` is what the channel stored with the send (e.g. a click's ResponseCode). */
  deliver(target: ChatRef, output: Output, context?: unknown): Promise<void>;
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
const BATCH = 50;

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
  for (;;) {
    const rows = await claimDue(db, now(), LEASE_MS, BATCH);
    if (rows.length === 0) return result;
    for (const row of rows) {
      await yieldToEventLoop();
      const sender = senders[row.platform];
      try {
        if (!sender) throw new SendError(`no ${row.platform} channel is configured`, true, 10 * 60_000);
        await sender.deliver(
          { kind: row.targetKind, id: row.targetId },
          row.payload as Output,
          row.context ?? undefined,
        );
        await markSent(db, row.id, now());
        result.sent++;
      } catch (err) {
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
