// How the Node server stops on SIGTERM (docker stop, systemctl stop) or SIGINT (Ctrl-C): take no
// new work, let the work in flight finish, close the database, exit 0. Work still running after
// the grace period is left as it is: its rows stay leased in the database and are taken up again
// when their lease ends after the next start, so nothing is lost either way.
import type { Logger } from '../core/log';

/** Under Docker's default 10 s between SIGTERM and SIGKILL. */
export const GRACE_MS = 8000;

export interface Stopping {
  /** Stop taking work: timers, long connections, the HTTP server (requests in flight are answered). */
  stopIntake(): Promise<unknown>;
  /** Resolves when the work in flight is done. */
  settle(): Promise<unknown>;
  /** Closes the database (and gives back its hold). */
  close(): void;
}

export function stopOnSignals(stopping: Stopping, log: Logger, graceMs = GRACE_MS): void {
  let started = false;
  const stop = async (signal: string) => {
    if (started) return;
    started = true;
    log.info('shutting down', { signal });
    const timer = setTimeout(() => {
      log.warn('work still running at shutdown: left to resume after the next start', { graceMs });
      finish();
    }, graceMs);
    timer.unref();
    try {
      await stopping.stopIntake();
      await stopping.settle();
    } catch (err) {
      log.error('shutdown step failed', { err });
    }
    clearTimeout(timer);
    finish();
  };
  const finish = () => {
    stopping.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** Stops accepting connections and resolves once the requests in flight are answered (idle keep-alive connections are closed). */
export function closeHttpServer(server: { close(cb: (err?: Error) => void): unknown }): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
