// Online backups of the SQLite database (Node only). `VACUUM INTO` copies what one read
// transaction sees: every row committed before it began, none half-written, while the server
// keeps writing (WAL: readers do not block the writer, and the copy never restarts the way the
// page-by-page backup API does when another connection writes). The copy is written under a
// temporary name and renamed only once `integrity_check` passed, so a file with a backup's name
// is always a whole one.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { appliedMigrations, type Migration, newerThanCode, schemaState } from './sqlite-migrate';

/** The tables an operator checks a copy by, and what they hold. */
export const MAIN_TABLES: Record<string, string> = {
  organisations: '组织',
  members: '成员',
  meetings: '会议',
  attendance: '签到',
  duty_records: '职责记录',
  form_entries: '自查表',
  kb_documents: '政策文件',
  outbox: '发出的消息',
};

export interface DatabaseReport {
  file: string;
  /** A backup's moment: it holds every row committed before it (ms since the epoch). */
  at?: number;
  bytes: number;
  /** The schema version (tag of the newest applied migration). */
  schema: string | null;
  rows: Record<string, number>;
}

/** A file that is not a whole zhibu database this code can run on: one line why. */
export class BackupError extends Error {}

/** Where backups go: ZHIBU_BACKUP_DIR, or `backups` next to the database. */
export function backupDirFor(dbFile: string, configured?: string): string {
  return resolve(configured ?? join(dirname(resolve(dbFile)), 'backups'));
}

/** Copies the database `sqlite` has open to `file` (which must not exist), checks the copy, reports it. */
export function backupSqlite(sqlite: Database.Database, file: string, migrations: Migration[]): DatabaseReport {
  const target = resolve(file);
  if (existsSync(target)) throw new BackupError(`${target} 已存在，不会覆盖：请换一个文件名。`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  rmSync(partial, { force: true });
  try {
    const at = Date.now(); // VACUUM INTO's read transaction begins after this
    sqlite.prepare('VACUUM INTO ?').run(partial);
    const report = inspectDatabase(partial, migrations);
    renameSync(partial, target);
    return { ...report, file: target, at };
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * Checks that `file` is a whole zhibu database this code can run on (SQLite, `integrity_check`
 * passes, has zhibu's migration history, schema not newer than the code) and counts its rows.
 */
export function inspectDatabase(file: string, migrations: Migration[]): DatabaseReport {
  if (!existsSync(file)) throw new BackupError(`${file} 不存在。`);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BackupError(`${file} 打不开（${(err as Error).message}）。`);
  }
  try {
    return inspectOpen(sqlite, file, migrations);
  } catch (err) {
    if (err instanceof BackupError || !(err instanceof Error)) throw err;
    // SQLITE_NOTADB and friends surface on the first read.
    throw new BackupError(`${file} 读不出来（${err.message}），不是完好的 SQLite 数据库。`);
  } finally {
    sqlite.close();
  }
}

function inspectOpen(sqlite: Database.Database, file: string, migrations: Migration[]): DatabaseReport {
  const problems = (sqlite.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  if (problems.join() !== 'ok') {
    throw new BackupError(`${file} 没有通过完整性检查：${problems.slice(0, 3).join('；')}`);
  }
  // zhibu's: its history begins with zhibu's first migration.
  if (appliedMigrations(sqlite)[0] !== migrations[0]?.when) throw new BackupError(`${file} 不是支部助手的数据库。`);
  const state = schemaState(sqlite, migrations);
  const newer = newerThanCode(state, file);
  if (newer) throw new BackupError(newer);
  const present = tableNames(sqlite);
  const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  // An older schema lacks the later tables: they are left out, not counted as empty.
  const rows = Object.fromEntries(
    Object.keys(MAIN_TABLES)
      .filter((t) => present.has(t))
      .map((t) => [t, count(t)]),
  );
  return { file, bytes: statSync(file).size, schema: state.version, rows };
}

function tableNames(sqlite: Database.Database): Set<string> {
  const rows = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/** The report as an operator reads it: one line, the counts by name. */
export function describeReport(report: DatabaseReport): string {
  const counts = Object.entries(report.rows).map(([t, n]) => `${MAIN_TABLES[t] ?? t} ${n}`);
  const mb = (report.bytes / 1024 / 1024).toFixed(1);
  const at = report.at ? `，含 ${new Date(report.at).toISOString()} 之前提交的全部数据` : '';
  return `${report.file}（${mb} MB，结构版本 ${report.schema ?? '无'}${at}）：${counts.join('，')}`;
}
