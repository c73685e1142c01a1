// Waiting for something to happen, not for time to pass: a test waits until its condition holds and
// fails only if it never does. The deadline is far beyond any healthy run, so that a busy machine is
// slower but never red (speed is measured by `npm run bench`, not by tests).

/** How long a test waits for an event before calling it lost. */
export const EVENT_DEADLINE_MS = 10_000;

/** Resolves once `cond` holds, running `between` (or yielding a turn) while it does not. */
export async function until(
  cond: () => boolean | Promise<boolean>,
  opts: { timeoutMs?: number; between?: () => Promise<unknown>; pauseMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? EVENT_DEADLINE_MS);
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${opts.what ?? 'condition'} not met in time`);
    await (opts.between?.() ?? Promise.resolve());
    await new Promise((r) => setTimeout(r, opts.pauseMs ?? 5));
  }
}
