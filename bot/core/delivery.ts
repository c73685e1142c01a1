// Delivers what the outbox holds through each platform's sender, with retries and backoff,
// answers to people before bulk sends, several people at a time. A row is marked sent only after
// its sender returned; a send that may have gone out before (a crash or a timeout in between) is
// resent marked uncertain, for the platform's duplicate check where it has one.

import type { ChatRef, Output, PlatformId } from '../../cards/message';
import type { AppDb } from '../../storage/db';
import { claimDue, type OutboxRow, type SendOutcome, settleSends } from '../../storage/outbox';
import { yieldToEventLoop } from '../../storage/yield';
import { type Budget, unlimited } from './budget';
import type { Logger } from './log';

export interface Delivery {
  target: ChatRef;
  output: Output;
  /** What the channel stored with the send (e.g. a click's ResponseCode). */
  context?: unknown;
}

/** How a send is tried: `uncertain` when an earlier attempt of this very send may have reached the person. */
export interface Attempt {
  uncertain: boolean;
}

export interface Sender {
  deliver(target: ChatRef, output: Output, context?: unknown, attempt?: Attempt): Promise<void>;
  /**
   * Several sends at once, for a platform that takes one call for many people (DingTalk: the same
   * message to ≤20 people); each send's own outcome, null when it went out.
   */
  deliverMany?(sends: Delivery[]): Promise<(Error | null)[]>;
}

/**
 * A failed send; `retryable` says whether trying again later can help, `uncertain` that the
 * platform may have taken it all the same (no answer came: a timeout, a dropped connection).
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly uncertain = false,
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
/**
 * People sent to at once, per platform: the sends wait on the network, not the CPU. Each person's
 * sends stay in order, one at a time (the senders pace each person); the platforms' per-app
 * limits are the senders' to keep.
 */
const PEOPLE_AT_ONCE = 8;
/** How often a batch being sent writes the outcomes it has. */
const WRITE_EVERY_MS = 1000;

export function backoffMs(attempts: number, random = Math.random()): number {
  const base = Math.min(1000 * 2 ** Math.max(0, attempts - 1), 10 * 60_000);
  return Math.round(base * (0.5 + random / 2));
}

export interface DrainResult {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Outcomes a drain could not write because the database refused (locked by another connection,
 * disk full), by database handle. The next drain writes them before it claims anything: a send
 * that went out is not sent again when its lease ends, and a claimed send never tried is due at once.
 */
const unwritten = new WeakMap<AppDb, Map<number, SendOutcome>>();

/**
 * Sends what is due, a claimed batch at a time, and writes the outcomes in bulk (one statement
 * each for the sent, the retried and the failed): at the end of a batch, and every second while
 * it is being sent, so that a crash repeats at most a second of sends and a database that went
 * away is noticed within a second. Before each send it asks the budget: once refused, it writes
 * what it did, puts the batch's untried sends back (due at once) and stops.
 */
export async function drainOutbox(
  db: AppDb,
  senders: Partial<Record<PlatformId, Sender>>,
  now: () => number,
  log: Logger,
  budget: Budget = unlimited,
): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retried: 0, failed: 0 };
  const held = unwritten.get(db) ?? new Map<number, SendOutcome>();
  unwritten.set(db, held);
  if (held.size > 0) {
    await settleSends(db, held);
    held.clear();
  }
  /** What a send's result makes of its row: sent, to retry with backoff, or failed for good. */
  function outcomeOf(row: OutboxRow, err: unknown): SendOutcome {
    if (err === null) return { status: 'sent', at: now() };
    const message = err instanceof Error ? err.message : String(err);
    const retryable = !(err instanceof SendError) || err.retryable;
    const wait = err instanceof SendError && err.retryAfterMs ? err.retryAfterMs : backoffMs(row.attempts);
    const uncertain = err instanceof SendError && err.uncertain;
    return retryable && row.attempts < MAX_ATTEMPTS
      ? { status: 'pending', at: now() + wait, error: message, uncertain }
      : { status: 'failed', error: message };
  }
  /** The current batch's outcomes not written yet, with their rows. */
  let outcomes = new Map<number, { row: OutboxRow; outcome: SendOutcome }>();
  let writtenAt = now();
  /** Writes the outcomes gathered so far; kept for the next drain while the database refuses them. */
  async function write(): Promise<void> {
    const batch = outcomes;
    outcomes = new Map();
    writtenAt = now();
    for (const [id, { outcome }] of batch) held.set(id, outcome);
    await settleSends(db, new Map([...batch].map(([id, { outcome }]) => [id, outcome])));
    for (const [id, { row, outcome }] of batch) {
      held.delete(id);
      if (outcome.status === 'sent') result.sent++;
      else if (outcome.status === 'failed') {
        log.error('send failed for good', { id, key: row.key, platform: row.platform, message: outcome.error });
        result.failed++;
      } else if (outcome.error !== null) result.retried++;
    }
  }
  /** A periodic write the database refused: the batch stops sending, and its end writes again or throws. */
  let refused = false;
  async function record(row: OutboxRow, outcome: SendOutcome): Promise<void> {
    outcomes.set(row.id, { row, outcome });
    if (!refused && now() - writtenAt >= WRITE_EVERY_MS)
      await write().catch(() => {
        refused = true;
      });
  }
  const delivery = (row: OutboxRow): Delivery => ({
    target: { kind: row.targetKind, id: row.targetId },
    output: row.payload as Output,
    context: row.context ?? undefined,
  });
  for (;;) {
    if (!budget.allows()) return result;
    const claimedAt = now();
    const rows = await claimDue(db, claimedAt, LEASE_MS, BATCH);
    if (rows.length === 0) return result;
    const tried = await sendBatch(rows, claimedAt);
    // Untried because the budget ran out: due again at once. Those a lease ran out on wait for it
    // to end (a send in flight may outlast it, and another drain may take them by then).
    if (budget.stopped) {
      for (const row of rows)
        if (!tried.has(row.id))
          outcomes.set(row.id, { row, outcome: { status: 'pending', at: claimedAt, error: null } });
    }
    await write();
    refused = false; // it took this write
    // A short batch took all that was due: what is stored meanwhile kicks another drain.
    if (budget.stopped || rows.length < BATCH) return result;
  }

  /** Sends a claimed batch while its lease and the budget allow; the ids it tried. */
  async function sendBatch(rows: OutboxRow[], claimedAt: number): Promise<Set<number>> {
    const tried = new Set<number>();
    // Slow sends can outlast the lease, and a run its budget: the rest of the batch is left.
    const mayGoOn = () => !refused && now() - claimedAt < LEASE_MS - LEASE_MARGIN_MS && budget.allows();
    const platforms = [...new Set(rows.map((r) => r.platform))];
    await Promise.all(
      platforms.map(async (platform) => {
        const mine = rows.filter((r) => r.platform === platform);
        const sender = senders[platform];
        if (sender?.deliverMany) {
          if (!mayGoOn()) return;
          await yieldToEventLoop();
          const results = await sender.deliverMany(mine.map(delivery)).catch((err) => mine.map(() => err));
          for (const [i, row] of mine.entries()) {
            tried.add(row.id);
            await record(row, outcomeOf(row, results[i] ?? null));
          }
          return;
        }
        // Each person's sends in order; several people at once.
        const byTarget = new Map<string, OutboxRow[]>();
        for (const row of mine) {
          const key = `${row.targetKind}:${row.targetId}`;
          byTarget.set(key, [...(byTarget.get(key) ?? []), row]);
        }
        const queues = [...byTarget.values()];
        const worker = async () => {
          for (let queue = queues.shift(); queue; queue = queues.shift()) {
            for (const row of queue) {
              if (!mayGoOn()) return;
              await yieldToEventLoop();
              let err: unknown = null;
              try {
                if (!sender) throw new SendError(`no ${row.platform} channel is configured`, true, 10 * 60_000);
                const d = delivery(row);
                await sender.deliver(d.target, d.output, d.context, { uncertain: row.uncertain });
              } catch (e) {
                err = e;
              }
              tried.add(row.id);
              await record(row, outcomeOf(row, err));
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(PEOPLE_AT_ONCE, queues.length) }, worker));
      }),
    );
    return tried;
  }
}

/**
 * Runs one drain at a time in this process; a kick during a drain runs another after it. A drain
 * the database refused (locked, full) is logged and left to the next kick: kick() never rejects,
 * so no caller can turn a busy database into a crash.
 */
export class Dispatcher {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly what: string,
    private readonly drain: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

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
    })()
      .catch((err) => {
        this.log.error(`${this.what} drain failed; the next kick resumes it`, { err, cause: (err as Error)?.cause });
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
