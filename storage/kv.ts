// Small named values shared by processes and Worker invocations (the kv table).
import type { AppDb } from './db';
import { inList } from './db';
import { kv } from './schema';

/** The values stored under these keys, in one statement; a key never written is absent. */
export async function readValues(db: AppDb, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db.select().from(kv).where(inList(kv.key, keys));
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** Stores a value (replacing the one before); a query, so that it can join an atomic batch. */
export function writeValue(db: AppDb, key: string, value: string) {
  return db.insert(kv).values({ key, value }).onConflictDoUpdate({ target: kv.key, set: { value } });
}
