// npm run backup -- FILE
// An online copy of the database ZHIBU_DB names, taken while the server keeps running: every row
// committed before the copy began, checked with integrity_check, reported with the row counts
// of the main tables. The database is opened read-only: a backup never migrates or writes it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../storage/sqlite';
import { BackupError, backupSqlite, describeReport } from '../../storage/sqlite-backup';
import { readMigrations } from '../../storage/sqlite-migrate';
import { loadConfig } from '../config';
import { PLATFORMS } from '../platforms';
import { command, runCli, usage } from './run';

const USAGE = '用法：npm run backup -- 备份文件.db（服务运行时也可以备份）';

export const main = command(
  async (args, io) => {
    const [file] = args;
    if (!file || args.length !== 1) return usage(io, USAGE);
    const { ZHIBU_DB } = loadConfig(io.env, PLATFORMS);
    const source = resolve(io.cwd, ZHIBU_DB);
    if (!existsSync(source)) throw new BackupError(`数据库 ${source} 不存在（ZHIBU_DB 指向哪里？）。`);
    const sqlite = new Database(source, { readonly: true, fileMustExist: true });
    try {
      const report = backupSqlite(sqlite, resolve(io.cwd, file), readMigrations(MIGRATIONS));
      io.print(`已备份，完整性检查通过：${describeReport(report)}`);
      return 0;
    } finally {
      sqlite.close();
    }
  },
  [BackupError],
);

runCli(import.meta.url, main);
