// Opens the embedded SQLite database (Node only) and brings its schema up to date, taking a copy
// first when an upgrade is about to change it (storage/sqlite-migrate.ts says how).
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { AppDb } from './db';
import * as schema from './schema';
import { shipped } from './shipped';
import { backupDirFor, backupSqlite } from './sqlite-backup';
import { holdDatabase } from './sqlite-lock';
import { type Migrated, type Migration, migrateSqlite, readMigrations } from './sqlite-migrate';
import { reusingStatements } from './sqlite-statements';

export const MIGRATIONS = shipped('storage', 'migrations');

/** The database file cannot be opened or written: a configuration problem, told in one line. */
export class DatabaseOpenError extends Error {}

/** What an operator can do something about, by the error's code (fs or SQLite). */
const WHY: [RegExp, string][] = [
  [/^(EACCES|EPERM|EROFS|SQLITE_PERM|SQLITE_READONLY)/, '没有写权限（文件或所在目录只读）'],
  [/^(ENOENT|ENOTDIR|EISDIR|EEXIST|SQLITE_CANTOPEN)/, '路径不存在、不是文件或无法创建'],
  [/^SQLITE_NOTADB/, '这不是 SQLite 数据库文件'],
  [/^SQLITE_CORRUPT/, '数据库文件已损坏'],
  [/^(ENOSPC|SQLITE_FULL)/, '磁盘已满'],
  [/^(SQLITE_BUSY|SQLITE_LOCKED)/, '数据库被另一个进程锁住'],
  [/^SQLITE_IOERR/, '读写出错'],
];

export interface OpenOptions {
  /** The migrations folder (default: the shipped one). */
  migrations?: string;
  /** Where the copy before an upgrade goes (default: `backups` next to the database). */
  backupDir?: string | undefined;
  /** Hold the database for as long as it is open (the server): a restore or a second server is refused meanwhile. */
  hold?: boolean;
}

export interface OpenedSqlite {
  db: AppDb;
  sqlite: Database.Database;
  /** The schema version: the tag of the newest applied migration. */
  schema: string | null;
  /** What opening changed: the versions before and after, and the copy taken first. */
  migrated: Migrated;
  migrations: Migration[];
  close(): void;
}

export function openSqlite(file: string, opts: OpenOptions = {}): OpenedSqlite {
  let sqlite: Database.Database | undefined;
  let hold: { release(): void } | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    // Taken before anything is read: a restore in progress is never migrated under.
    hold = opts.hold ? holdDatabase(file) : undefined;
    sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    // In WAL mode NORMAL keeps every commit safe from a crash of the process (only a power cut can
    // lose the last commits) and spares an fsync per write: de-duplication writes on every callback.
    sqlite.pragma('synchronous = NORMAL');
    // A checkpoint copies the WAL back into the file and syncs it, in the commit that crosses the
    // bound. The hot rows (inbound, outbox, cards) are rewritten message after message: with 10,000
    // pages (~40 MB) instead of 1,000 each page is copied once for many commits. Callback bench:
    // accepted +25%, replied +20%. A clean stop still checkpoints and removes the WAL.
    sqlite.pragma('wal_autocheckpoint = 10000');
    // Rides out a short lock (a backup step, a CLI write); a longer one fails the work, which is
    // retried (bot/core/delivery.ts). The wait blocks the process, so it stays short.
    sqlite.pragma('busy_timeout = 5000');
    const opened = sqlite;
    const migrations = readMigrations(opts.migrations ?? MIGRATIONS);
    const migrated = migrateSqlite(opened, migrations, (first) => {
      const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
      const copy = join(backupDirFor(file, opts.backupDir), `zhibu-${stamp}-before-${first.tag}.db`);
      return backupSqlite(opened, copy, migrations).file;
    });
    const db = drizzle(reusingStatements(opened), { schema });
    const held = hold;
    const close = () => {
      opened.close();
      held?.release();
    };
    return { db, sqlite: opened, schema: migrated.to, migrated, migrations, close };
  } catch (err) {
    sqlite?.close();
    hold?.release();
    throw explained(file, err);
  }
}

/** An error an operator can act on as a DatabaseOpenError of one line; any other as it was. */
function explained(file: string, err: unknown): unknown {
  // drizzle wraps the driver's error: the code is on it or on its cause.
  const code = [err, (err as Error).cause].map((e) => (e as { code?: unknown } | undefined)?.code).find(Boolean);
  const why = WHY.find(([pattern]) => pattern.test(String(code ?? '')))?.[1];
  return why ? new DatabaseOpenError(`配置错误：ZHIBU_DB 数据库文件“${file}”无法使用：${why}`) : err;
}
