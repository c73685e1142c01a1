// better-sqlite3 statements reused (Node only). drizzle prepares every query afresh: parsing and
// planning the same SQL on each call was a tenth of a message's CPU. A prepared statement runs again
// with new parameters, so the handle drizzle talks to keeps the last few hundred by their SQL.
import type Database from 'better-sqlite3';

/** Distinct SQL texts kept: the hot queries are a few dozen; generated ones (IN lists) come and go. */
const KEPT = 500;

/** `sqlite` with `prepare` answered from a cache of statements by SQL text (least recently used dropped). */
export function reusingStatements(sqlite: Database.Database, kept = KEPT): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source); // to the back: most recently used
      // A caller may have switched it to arrays (drizzle's raw()); the next one expects objects.
      if (statement.reader) statement.raw(false);
    } else {
      statement = sqlite.prepare(source);
      if (cache.size >= kept) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, statement);
    return statement;
  };
  // A caller may wrap `prepare` (a test watching reads): the wrapper goes in front of the cache.
  let front = prepare;
  return new Proxy(sqlite, {
    get(target, prop) {
      if (prop === 'prepare') return front;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, prop, value) {
      if (prop !== 'prepare') return Reflect.set(target, prop, value, target);
      front = value as typeof prepare;
      return true;
    },
  });
}
