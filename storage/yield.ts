// Long work in one process (a queue worked off, a roster imported) must let the process answer
// requests meanwhile. With better-sqlite3 every await on the database is a microtask, which never
// lets I/O in: a long drain would hold every incoming callback until it ends. This gives the event
// loop a turn.
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}
