// Which database an operator command works on: with `--local` or `--remote` the Workers' D1
// (through wrangler, d1.ts), otherwise the SQLite database the configuration names (database.ts).
// The Workers scripts (`npm run roster --prefix cloudflare -- …`) add `--d1`, and there one of
// the two is required.
import { resolve } from 'node:path';
import type { AppDb } from '../../storage/db';
import { loadConfig } from '../config';
import { PLATFORMS } from '../platforms';
import { openDatabase } from './database';
import { type Io, option } from './run';

/** A D1 the commands cannot work on (wrangler missing, migrations not applied, a refused statement): one clear line. */
export class D1CommandError extends Error {}

export const D1_USAGE =
  '请指定数据库：--local（本地 D1，npm run dev --prefix cloudflare 用的那个）或 --remote（Cloudflare 上的 D1）';

export interface Database {
  db: AppDb;
  close(): void | Promise<void>;
}

/**
 * The arguments left once the database flags are taken out, and how to open that database;
 * undefined for `--d1` without a target.
 */
export function databaseArgs(argv: string[]): { args: string[]; open(io: Io): Promise<Database> } | undefined {
  const persistTo = option(argv, 'persist-to');
  const flags = new Set(['--d1', '--local', '--remote']);
  const args = argv.filter((a, i) => !flags.has(a) && a !== '--persist-to' && argv[i - 1] !== '--persist-to');
  const where = argv.includes('--remote') ? 'remote' : argv.includes('--local') ? 'local' : undefined;
  if (!where && argv.includes('--d1')) return undefined;
  return {
    args,
    async open(io) {
      if (!where) return openDatabase(loadConfig(io.env, PLATFORMS));
      // Loaded only here: the SQLite commands need none of it.
      const { openD1 } = await import('./d1');
      return openD1({ where, ...(persistTo ? { persistTo: resolve(io.cwd, persistTo) } : {}) });
    },
  };
}
