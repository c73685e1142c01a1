// The database the configuration names, opened as the server and every command open it: brought
// up to date, with the copy taken before an upgrade in the configured backup folder.
import { type OpenedSqlite, type OpenOptions, openSqlite } from '../../storage/sqlite';
import type { Config } from '../config';

export type DatabaseConfig = Pick<Config, 'ZHIBU_DB' | 'ZHIBU_BACKUP_DIR'>;

export function openDatabase(config: DatabaseConfig, opts: Pick<OpenOptions, 'hold'> = {}): OpenedSqlite {
  return openSqlite(config.ZHIBU_DB, { ...opts, backupDir: config.ZHIBU_BACKUP_DIR });
}
