// Counts the D1 statements a Worker invocation runs: D1 limits them per invocation (1,000 on
// the paid plan, each statement of a batch counting). The binding is wrapped once; each count
// goes to the invocation whose code ran the statement (AsyncLocalStorage, so that invocations
// sharing an isolate keep their own counts). Tests and the bench wrap a binding the same way.
import { AsyncLocalStorage } from 'node:async_hooks';

type Fn = (...args: unknown[]) => unknown;
const RUNS = new Set<PropertyKey>(['run', 'all', 'raw', 'first']);

/**
 * A D1 binding (typed loosely, so that this file needs no Workers types) that reports each
 * statement it runs to `count`: a prepared statement when it runs, a batch by its length.
 */
export function countStatements<T extends object>(db: T, count: (n: number) => void): T {
  const originals = new WeakMap<object, object>();
  const wrap = (statement: object): object => {
    const proxy = new Proxy(statement, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'bind') return (...args: unknown[]) => wrap((value as Fn).apply(target, args) as object);
        if (RUNS.has(prop)) {
          return (...args: unknown[]) => {
            count(1);
            return (value as Fn).apply(target, args);
          };
        }
        return (value as Fn).bind(target);
      },
    });
    originals.set(proxy, statement);
    return proxy;
  };
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'prepare') return (query: string) => wrap((value as Fn).call(target, query) as object);
      if (prop === 'batch') {
        return (statements: object[]) => {
          count(statements.length);
          return (value as Fn).call(
            target,
            statements.map((s) => originals.get(s) ?? s),
          );
        };
      }
      if (prop === 'exec') {
        return async (query: string) => {
          const result = (await (value as Fn).call(target, query)) as { count: number };
          count(result.count);
          return result;
        };
      }
      return (value as Fn).bind(target);
    },
  });
}

const tallies = new AsyncLocalStorage<{ statements: number }>();

/** Adds to the count of the invocation running now (outside one, nothing counts). */
export function countIntoInvocation(n: number): void {
  const tally = tallies.getStore();
  if (tally) tally.statements += n;
}

/** Runs `work` as one invocation: `spent` tells the statements it has run so far. */
export function asInvocation<R>(work: (spent: () => number) => R): R {
  const tally = { statements: 0 };
  return tallies.run(tally, () => work(() => tally.statements));
}
