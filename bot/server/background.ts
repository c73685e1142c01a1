// Work the server runs outside a request (after a response, on a timer, when a send is queued),
// tracked so that a shutdown can wait for it to finish instead of cutting it off half way.
import type { Logger } from '../core/log';

export class Background {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly log: Logger) {}

  /** Starts `work`; a failure is logged (as `what`), never left unhandled. */
  run(work: () => Promise<unknown>, what: Record<string, unknown> = {}): void {
    this.track(work()).catch((err) => this.log.error('background work failed', { ...what, err }));
  }

  /** The same promise, counted as running until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    void work.then(
      () => this.running.delete(work),
      () => this.running.delete(work),
    );
    return work;
  }

  /** Resolves once nothing runs, including work started by the work waited for. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
