// Opens the embedded SQLite database (Node only) and brings its schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { AppDb } from './db';
import * as schema from './schema';

export const MIGRATIONS = resolve(fileURLToPath(import.meta.url), '../migrations');

export function openSqlite(file: string): { db: AppDb; close(): void } {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // In WAL mode NORMAL keeps every commit safe from a crash of the process (only a power cut can
  // lose the last commits) and spares an fsync per write: de-duplication writes on every callback.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return { db, close: () => sqlite.close() };
}
