// Brings an SQLite database's schema up to date (Node only): every pending migration in one
// transaction, so a failure leaves the database as it was; a copy is taken first when the schema
// is about to change; a database newer than this code is refused rather than run on. History
// goes to drizzle's `__drizzle_migrations` table (hash, created_at = the journal's `when`), which
// databases migrated before this file already have.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';

export interface Migration {
  tag: string;
  when: number;
  hash: string;
  statements: string[];
}

/** A start-up that cannot go on: one line saying what and why. */
export class MigrationError extends Error {}

const HISTORY = '__drizzle_migrations';

/** The migrations of a folder in journal order (drizzle-kit's layout: meta/_journal.json + <tag>.sql). */
export function readMigrations(folder: string): Migration[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return readMigrationFiles({ migrationsFolder: folder }).map((m, i) => ({
    tag: journal.entries[i]?.tag ?? String(i),
    when: m.folderMillis,
    hash: m.hash,
    statements: m.sql.filter((s) => s.trim() !== ''),
  }));
}

/** When each applied migration was written (the journal's `when`), oldest first; [] for a new database. */
export function appliedMigrations(sqlite: Database.Database): number[] {
  const history = sqlite.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get('table', HISTORY);
  if (!history) return [];
  return (
    sqlite.prepare(`SELECT created_at FROM ${HISTORY} ORDER BY created_at`).all() as { created_at: number }[]
  ).map((r) => Number(r.created_at));
}

export interface SchemaState {
  /** The tag of the newest applied migration this code knows, e.g. `0010_org_term_ends`; null for a new database. */
  version: string | null;
  pending: Migration[];
  /** Applied migrations this code does not know: the database was upgraded by a newer version. */
  unknown: number;
}

export function schemaState(sqlite: Database.Database, migrations: Migration[]): SchemaState {
  const applied = appliedMigrations(sqlite);
  const last = applied.at(-1) ?? 0;
  const known = new Set(migrations.map((m) => m.when));
  return {
    version: migrations.filter((m) => m.when <= last).at(-1)?.tag ?? null,
    // As drizzle's migrator decides: whatever was written after the newest applied one.
    pending: migrations.filter((m) => m.when > last),
    unknown: applied.filter((w) => !known.has(w)).length,
  };
}

/** Why a database written by a newer version of the code is refused (old code on it could lose data). */
export function newerThanCode(state: SchemaState, what: string): string | undefined {
  if (state.unknown === 0) return undefined;
  return `${what}的结构版本比这个程序新（有 ${state.unknown} 个本程序不认识的迁移）：请运行新版本的程序，或恢复升级前的备份。`;
}

export interface Migrated {
  /** The schema version before and after (null: a new database). */
  from: string | null;
  to: string | null;
  /** The copy taken before the schema changed. */
  backup?: string;
}

/**
 * Applies the pending migrations in one transaction. `beforeChange` runs first when the database
 * already holds a schema: it takes the copy and says where; a failure's message names it.
 */
export function migrateSqlite(
  sqlite: Database.Database,
  migrations: Migration[],
  beforeChange: (first: Migration) => string,
): Migrated {
  const state = schemaState(sqlite, migrations);
  const newer = newerThanCode(state, '数据库');
  if (newer) throw new MigrationError(newer);
  const [first] = state.pending;
  if (!first) return { from: state.version, to: state.version };
  const copy = state.version ? beforeChange(first) : undefined;
  let current = first;
  try {
    sqlite.transaction(() => {
      sqlite.exec(
        `CREATE TABLE IF NOT EXISTS ${HISTORY} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
      );
      const record = sqlite.prepare(`INSERT INTO ${HISTORY} (hash, created_at) VALUES (?, ?)`);
      for (const m of state.pending) {
        current = m;
        for (const statement of m.statements) sqlite.exec(statement);
        record.run(m.hash, m.when);
      }
    })();
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
    const kept = copy ? `升级前的备份：${copy}` : '';
    throw new MigrationError(
      `数据库升级失败：迁移 ${current.tag} 出错（${reason}），数据库保持原样，没有改动。${kept}`,
    );
  }
  return { from: state.version, to: state.pending.at(-1)?.tag ?? null, ...(copy ? { backup: copy } : {}) };
}
