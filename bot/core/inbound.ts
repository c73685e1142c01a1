// Inbound work, persisted before the platform is answered and done afterwards: a crash in
// between loses nothing (the row is taken up again when its lease ends) and a platform's retry
// is recognised by its key. The assistant registers a processor per kind of work.

import type { PlatformId } from '../../cards/message';
import type { AppDb } from '../../storage/db';
import {
  claimInbound,
  enqueueInbound,
  type InboundItem,
  settleInbound,
  settleInboundDone,
} from '../../storage/inbound';
import { yieldToEventLoop } from '../../storage/yield';
import { type Budget, unlimited } from './budget';
import { backoffMs, Dispatcher } from './delivery';
import type { Logger } from './log';

export type InboundProcessor = (payload: unknown) => Promise<void>;

const LEASE_MS = 60_000;
const BATCH = 20;
/** Rows worked between two turns of the event loop: the HTTP server takes callbacks in between. */
const STEP = 4;
const MAX_ATTEMPTS = 5;
/** Callbacks stored in one statement at most: a bound JSON parameter of a few tens of KB. */
const ACCEPT_BATCH = 32;

/** A callback waiting for the statement that stores it, and its caller waiting for the outcome. */
interface Waiting extends InboundItem {
  stored(fresh: boolean): void;
  failed(err: unknown): void;
}

export class InboundQueue {
  private readonly processors = new Map<string, InboundProcessor>();
  private readonly dispatcher: Dispatcher;
  private waiting: Waiting[] = [];

  constructor(
    private readonly db: AppDb,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly budget: Budget = unlimited,
  ) {
    this.dispatcher = new Dispatcher('inbound', () => this.drain(), log);
  }

  register(kind: string, processor: InboundProcessor): void {
    this.processors.set(kind, processor);
  }

  /**
   * Stores the work; false when its key was seen before (a retry). The callbacks that come in one
   * turn of the event loop are stored together, in one statement and one commit (a commit, not the
   * insert, is most of what storing one costs); each caller hears back once its own is stored.
   * A Worker builds its assistant per invocation, so a batch there never mixes requests (workerd
   * does not let one request settle another's promise).
   */
  accept(platform: PlatformId, key: string, kind: string, payload: unknown): Promise<boolean> {
    return new Promise((stored, failed) => {
      this.waiting.push({ platform, key, kind, payload, stored, failed });
      if (this.waiting.length === 1) void yieldToEventLoop().then(() => this.storeWaiting());
    });
  }

  private async storeWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, ACCEPT_BATCH);
      try {
        const fresh = await enqueueInbound(this.db, batch, this.now());
        for (const [i, w] of batch.entries()) w.stored(fresh[i] === true);
      } catch (err) {
        for (const w of batch) w.failed(err);
      }
    }
  }

  /** Works off what is due, one drain at a time in this process. */
  kick(): Promise<void> {
    return this.dispatcher.kick();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (!this.budget.allows()) return;
      const rows = await claimInbound(this.db, this.now(), LEASE_MS, BATCH);
      for (let i = 0; i < rows.length; i += STEP) {
        // Rows left unworked by a spent budget come back when their lease ends.
        if (!this.budget.allows()) return;
        await yieldToEventLoop();
        const done: number[] = [];
        for (const row of rows.slice(i, i + STEP)) {
          const processor = this.processors.get(row.kind);
          try {
            if (!processor) throw new Error(`no processor for ${row.kind}`);
            await processor(row.payload);
            done.push(row.id);
          } catch (err) {
            const error = err instanceof Error ? err.message : String(err);
            if (row.attempts >= MAX_ATTEMPTS) {
              this.log.error('inbound work failed for good', { key: row.key, error });
              await settleInbound(this.db, row.id, { status: 'failed' });
            } else {
              await settleInbound(this.db, row.id, {
                status: 'pending',
                at: this.now() + backoffMs(row.attempts),
                error,
              });
            }
          }
        }
        await settleInboundDone(this.db, done);
      }
      // A short batch took all that was due: work stored meanwhile kicks another drain.
      if (rows.length < BATCH) return;
    }
  }
}
