// The daily backup (Node only; a Worker has no files: D1 keeps its own, see docs/operations.md):
// `zhibu-<Shanghai date>.db` in the backup folder, checked as every backup is, and the folder
// kept to the newest 14 days plus the first backup of each of the last 12 months. Copies taken
// before an upgrade or a restore have other names and are never removed here.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { CRONS, type Job } from '../../cron/jobs';
import { shanghaiDate } from '../../domain/calendar';
import { backupSqlite } from '../../storage/sqlite-backup';
import type { Migration } from '../../storage/sqlite-migrate';
import type { Logger } from '../core/log';

const DAILY = /^zhibu-(\d{4}-\d{2}-\d{2})\.db$/;
const KEEP = { daily: 14, monthly: 12 };

/** The dates (YYYY-MM-DD) of the daily backups to keep: the newest `daily`, and each of the newest `monthly` months' first. */
export function backupsToKeep(dates: string[], keep = KEEP): Set<string> {
  const newestFirst = [...new Set(dates)].sort().reverse();
  const firstOfMonth = new Map<string, string>();
  for (const d of newestFirst) firstOfMonth.set(d.slice(0, 7), d); // the oldest of a month is set last
  return new Set([...newestFirst.slice(0, keep.daily), ...[...firstOfMonth.values()].slice(0, keep.monthly)]);
}

export function dailyBackupJob(sqlite: Database.Database, dir: string, migrations: Migration[], log: Logger): Job {
  const dates = () => readdirSync(dir).flatMap((n) => n.match(DAILY)?.[1] ?? []);
  return {
    name: 'backup',
    schedule: CRONS.daily,
    async run(now) {
      const today = shanghaiDate(now.getTime());
      mkdirSync(dir, { recursive: true });
      if (!dates().includes(today)) {
        const started = Date.now();
        const report = backupSqlite(sqlite, join(dir, `zhibu-${today}.db`), migrations);
        log.info('daily backup written', { file: report.file, bytes: report.bytes, ms: Date.now() - started });
      }
      const keep = backupsToKeep(dates());
      for (const old of dates().filter((d) => !keep.has(d))) {
        rmSync(join(dir, `zhibu-${old}.db`), { force: true });
        log.info('old backup removed', { date: old });
      }
    },
  };
}
