// Counts the statements SQLite runs for a Node bot, as bot/statements.ts counts a D1 binding's:
// each run of a prepared statement (run, all, get, iterate), however often it was prepared.
import type Database from 'better-sqlite3';

const RUNS = new Set<PropertyKey>(['run', 'all', 'get', 'iterate']);

/** From now on, every statement `sqlite` prepares counts its runs; the count so far. */
export function countSqliteStatements(sqlite: Database.Database): () => number {
  let count = 0;
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    const proxy: Database.Statement = new Proxy(prepare(source), {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (RUNS.has(prop)) count++;
          const result = value.apply(target, args);
          return result === target ? proxy : result; // raw(), pluck(), bind() chain on the statement
        };
      },
    });
    return proxy;
  }) as typeof sqlite.prepare;
  return () => count;
}
