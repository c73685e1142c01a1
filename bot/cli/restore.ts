// npm run restore -- FILE
// Puts a backup in the place of the database ZHIBU_DB names. The file is checked first (a whole
// SQLite database, integrity_check, zhibu's, schema not newer than this code: an older one is
// upgraded when the server starts, with a copy taken first). Refused while a server or another
// restore holds the database. The database it replaces is kept next to it, renamed.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../storage/sqlite';
import { BackupError, describeReport, inspectDatabase } from '../../storage/sqlite-backup';
import { DatabaseBusyError, holdDatabase } from '../../storage/sqlite-lock';
import { type Migration, readMigrations } from '../../storage/sqlite-migrate';
import { loadConfig } from '../config';
import { PLATFORMS } from '../platforms';
import { command, runCli, usage } from './run';

const USAGE = '用法：npm run restore -- 备份文件.db（先停止服务）';

export const main = command(
  async (args, io) => {
    const [name] = args;
    if (!name || args.length !== 1) return usage(io, USAGE);
    const file = resolve(io.cwd, name);
    const target = resolve(io.cwd, loadConfig(io.env, PLATFORMS).ZHIBU_DB);
    const migrations = readMigrations(MIGRATIONS);
    const report = inspectDatabase(file, migrations);
    const hold = holdDatabase(target);
    // Made and checked beside the target before anything is moved: a restore that stops half way
    // leaves the old database in place.
    const partial = join(dirname(target), `.${basename(target)}.restoring-${process.pid}`);
    try {
      copyChecked(file, partial, migrations);
      const kept = existsSync(target) ? setAside(target) : undefined;
      renameSync(partial, target);
      io.print(`已恢复到 ${describeReport({ ...report, file: target })}`);
      if (kept) io.print(`原来的数据库保留为 ${kept}。`);
      io.print('现在可以启动服务。');
      return 0;
    } finally {
      rmSync(partial, { force: true });
      hold.release();
    }
  },
  [BackupError, DatabaseBusyError],
);

/** The backup copied to `partial` with VACUUM INTO (which also takes in a -wal that came with it), and checked. */
function copyChecked(file: string, partial: string, migrations: Migration[]): void {
  rmSync(partial, { force: true });
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    source.prepare('VACUUM INTO ?').run(partial);
  } finally {
    source.close();
  }
  inspectDatabase(partial, migrations);
}

/**
 * Renames the database and its -wal (its newest commits, after a crash) aside, so that nothing of
 * it is lost and no stale -wal is ever replayed into the restored file; the -shm is rebuilt.
 */
function setAside(target: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  const aside = `${target}.before-restore-${stamp}`;
  renameSync(target, aside);
  if (existsSync(`${target}-wal`)) renameSync(`${target}-wal`, `${aside}-wal`);
  rmSync(`${target}-shm`, { force: true });
  return aside;
}

runCli(import.meta.url, main);
