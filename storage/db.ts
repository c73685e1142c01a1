// The database handle every module takes. It is either better-sqlite3 (Node) or D1 (Workers);
// code awaits every call so that the same code runs on both.

import { getTableColumns, type SQL, sql, type Table } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { BaseSQLiteDatabase, SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema';

export type AppDb = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;
export type WriteQuery = BatchItem<'sqlite'>;

/**
 * Runs writes all-or-nothing. D1 refuses BEGIN and better-sqlite3 refuses async transaction
 * callbacks, so this is the one portable way: `db.batch` on D1, a synchronous transaction on
 * better-sqlite3. A batch cannot read: callers plan first, then write upserts or conditional updates.
 */
export async function atomic(db: AppDb, queries: WriteQuery[]): Promise<void> {
  const [first, ...rest] = queries;
  if (!first) return;
  const d1 = db as unknown as { batch?: (q: [WriteQuery, ...WriteQuery[]]) => Promise<unknown> };
  if (typeof d1.batch === 'function') {
    await d1.batch([first, ...rest]);
    return;
  }
  const sync = db as unknown as { transaction<T>(fn: () => T): T };
  sync.transaction(() => {
    for (const q of queries) (q as unknown as { run(): unknown }).run();
  });
}

/**
 * A hot query prepared once per database handle, its values given as placeholders when it runs:
 * drizzle builds a query's SQL afresh on every call (about 90 µs; a prepared one runs in 4 µs), and
 * a message runs a handful of the same queries. Works the same on better-sqlite3 and D1.
 */
export function preparedOn<Q>(build: (db: AppDb) => Q): (db: AppDb) => Q {
  const prepared = new WeakMap<AppDb, Q>();
  return (db) => {
    let query = prepared.get(db);
    if (!query) {
      query = build(db);
      prepared.set(db, query);
    }
    return query;
  };
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
/** Random bytes drawn 4 KB at a time: one getRandomValues call per id cost 5 µs (0.5 s for a roster of 50,000). */
const pool = new Uint8Array(4096);
let used = pool.length;

/** A short random id with a readable prefix, e.g. `m_3f9a1c2b7d`. */
export function newId(prefix: string): string {
  if (used + 8 > pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  let hex = '';
  for (let i = used; i < used + 8; i++) hex += HEX[pool[i] as number];
  used += 8;
  return `${prefix}_${hex}`;
}

/** D1 binds at most 100 parameters a statement (better-sqlite3 32766). */
export const MAX_PARAMS = 100;

/** A statement drizzle can render: its bound parameters are what D1 counts against the limit. */
interface Renders {
  toSQL(): { params: unknown[] };
}

/**
 * One multi-row statement per slice of `rows`, each binding at most MAX_PARAMS parameters.
 * The parameters are counted on what `build` renders, never assumed per column: drizzle also
 * binds the defaults of columns a row leaves out (`attempts`), and ON CONFLICT … SET values once
 * a statement. The first row sets the slice size; a slice over the limit is halved until it fits.
 */
export function underParamLimit<R, Q extends Renders>(rows: readonly R[], build: (rows: R[]) => Q): Q[] {
  if (rows.length === 0) return [];
  const params = (q: Q) => q.toSQL().params.length;
  const perRow = Math.max(1, params(build(rows.slice(0, 1))));
  const size = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  const out: Q[] = [];
  for (let i = 0; i < rows.length; ) {
    let n = Math.min(size, rows.length - i);
    let query = build(rows.slice(i, i + n));
    while (n > 1 && params(query) > MAX_PARAMS) {
      n = Math.ceil(n / 2);
      query = build(rows.slice(i, i + n));
    }
    if (params(query) > MAX_PARAMS)
      throw new Error(`one row binds ${params(query)} parameters, over D1's ${MAX_PARAMS}`);
    out.push(query);
    i += n;
  }
  return out;
}

/** SQLite's and D1's words for a database that cannot take the work just now, whatever the query. */
const UNAVAILABLE =
  /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN)|database is locked|database or disk is full|disk I\/O error|readonly database|D1 DB is overloaded|Network connection lost|storage operation exceeded timeout/i;

/**
 * Whether an error (or its cause: drizzle wraps the driver's) says the database is unavailable —
 * locked by another connection, disk full, read-only — rather than that the work is wrong: such
 * work is retried later (or refused with 503), not answered with an apology.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (UNAVAILABLE.test(typeof code === 'string' ? code : '') || UNAVAILABLE.test(e.message)) return true;
  }
  return false;
}

/**
 * `column IN (the values)` with the list bound as one JSON parameter, so that a list of any
 * length stays one statement under D1's parameter limit.
 */
export function inList(column: SQLiteColumn, values: readonly (string | number)[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify(values)}))`;
}

/**
 * The bytes of one JSON parameter at most: D1 refuses a statement over 100 KB, and the remote
 * commands write parameters into the text as literals (bot/cli/d1.ts), quotes doubled.
 */
const JSON_PARAM_BYTES = 40_000;

/**
 * Values as JSON arrays of at most JSON_PARAM_BYTES, each the one parameter of a statement that
 * walks it with `json_each`: a long list is a few statements, not thousands of multi-row VALUES
 * (drizzle takes about a millisecond to build and render each; 50,000 members were 5 s of it).
 */
export function jsonSlices(values: readonly unknown[]): string[] {
  const out: string[] = [];
  let slice: string[] = [];
  let bytes = 2;
  for (const value of values) {
    const json = JSON.stringify(value);
    const size = json.length * 3 + 1; // a UTF-16 unit is at most 3 bytes of UTF-8
    if (slice.length > 0 && bytes + size > JSON_PARAM_BYTES) {
      out.push(`[${slice.join(',')}]`);
      slice = [];
      bytes = 2;
    }
    slice.push(json);
    bytes += size;
  }
  if (slice.length > 0) out.push(`[${slice.join(',')}]`);
  return out;
}

/**
 * Rows of `table` as `select`s of its columns in order, a slice of rows each (jsonSlices), for
 * `db.insert(table).select(…)`: a statement per slice, one bound parameter each. Values are stored
 * as drizzle's insert stores them (JSON columns stringified); a column a row leaves out is NULL.
 * `where true` tells SQLite that an ON CONFLICT after it is the upsert's, not a join's.
 */
export function rowsAsSelects<T extends Table>(table: T, rows: readonly T['$inferInsert'][]): SQL[] {
  const columns = Object.entries(getTableColumns(table));
  const values = rows.map((row) =>
    columns.map(([key, column]) => {
      const v = (row as Record<string, unknown>)[key];
      return v === undefined || v === null ? null : column.mapToDriverValue(v);
    }),
  );
  const fields = sql.join(
    columns.map((_, i) => sql.raw(`json_extract(value, '$[${i}]')`)),
    sql`, `,
  );
  return jsonSlices(values).map((json) => sql`select ${fields} from json_each(${json}) where true`);
}
