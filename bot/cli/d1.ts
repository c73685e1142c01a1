// The Workers database (D1) for the operator commands (Node only), so that `roster` and `kb` run
// their usual code on it:
// - `--local`, the database `npm run dev --prefix cloudflare` serves (.wrangler/state, or
//   wrangler's --persist-to): through wrangler's getPlatformProxy, a real D1 binding in-process
//   with drizzle's D1 driver, as in the Worker (atomic writes are D1 batches). Offline, and one
//   start of workerd a command (~1 s) instead of one wrangler process a query.
// - `--remote`, the one on Cloudflare: through `wrangler d1 execute --remote`, the way wrangler
//   reaches it with the operator's login. Reads go out as `--command … --json`; the writes of one
//   command (an atomic batch) as one SQL file (`--file`). wrangler takes no bound parameters, so
//   values are written into the SQL as literals (sqlStatements, tested on SQLite).
// Both check first that every migration is applied, so a missing one is named, not a SQL error.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle as d1Drizzle } from 'drizzle-orm/d1';
import { drizzle as proxyDrizzle } from 'drizzle-orm/sqlite-proxy';
import type { AppDb } from '../../storage/db';
import * as schema from '../../storage/schema';
import { shipped } from '../../storage/shipped';
import { MIGRATIONS } from '../../storage/sqlite';
import { D1CommandError } from './db-target';

const CLOUDFLARE = shipped('cloudflare');
const CONFIG = shipped('wrangler.toml');
/** D1 refuses a statement longer than this (bytes). */
const MAX_STATEMENT = 100_000;

export interface D1Target {
  where: 'local' | 'remote';
  /** wrangler's --persist-to: another local state folder than .wrangler/state. */
  persistTo?: string;
}

const placeName = (t: D1Target) => (t.where === 'local' ? '本地 D1' : 'Cloudflare 上的 D1');

function requireWorkersTooling(): NodeJS.Require {
  if (!existsSync(join(CLOUDFLARE, 'node_modules/wrangler'))) {
    throw new D1CommandError('找不到 wrangler：请先运行 npm install --prefix cloudflare');
  }
  return createRequire(join(CLOUDFLARE, 'package.json'));
}

/** One value as an SQLite literal. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} into SQL`);
    return String(value);
  }
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'string') return `'${value.replaceAll('\0', '').replaceAll("'", "''")}'`;
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString('hex')}'`;
  throw new Error(`cannot write a ${typeof value} into SQL`);
}

/** A statement with its `?` placeholders (those outside quotes) replaced by the parameters as literals. */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  let out = '';
  let next = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
    } else if (ch === '?') {
      if (next >= params.length) throw new Error(`more placeholders than parameters in: ${sql}`);
      out += sqlLiteral(params[next++]);
      continue;
    }
    out += ch;
  }
  if (next !== params.length) throw new Error(`${params.length - next} parameters left over in: ${sql}`);
  return out;
}

/** A batch of statements as the SQL file `wrangler d1 execute --file` runs. */
export function sqlStatements(batch: readonly { sql: string; params: readonly unknown[] }[]): string {
  const statements = batch.map((q) => inlineParams(q.sql, q.params));
  const long = statements.find((s) => Buffer.byteLength(s) > MAX_STATEMENT);
  if (long) throw new D1CommandError(`一条语句超过了 D1 的 100 KB 上限：${long.slice(0, 80)}…`);
  return `${statements.join(';\n')};\n`;
}

/** Runs `wrangler d1 execute --remote` and returns the rows of each statement. */
async function executeRemote(input: { command: string } | { file: string }) {
  const wrangler = join(CLOUDFLARE, 'node_modules/.bin/wrangler');
  const args = ['d1', 'execute', 'DB', '-c', CONFIG, '--remote', '--json'];
  args.push(...('command' in input ? ['--command', input.command] : ['--file', input.file]));
  const { stdout, stderr, failed } = await new Promise<{ stdout: string; stderr: string; failed: boolean }>((done) => {
    execFile(
      wrangler,
      args,
      { cwd: CLOUDFLARE, maxBuffer: 1 << 30, env: { WRANGLER_SEND_METRICS: 'false', ...process.env } },
      (err, out, errOut) => done({ stdout: out, stderr: errOut, failed: err !== null }),
    );
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    parsed = undefined;
  }
  const error = (parsed as { error?: { text?: string } } | undefined)?.error?.text;
  if (failed || error || !Array.isArray(parsed)) {
    const reason = error ?? (stderr.trim() || stdout.trim() || '（wrangler 没有给出原因）');
    throw new D1CommandError(`${placeName({ where: 'remote' })} 执行失败：${reason}`);
  }
  return (parsed as { results?: Record<string, unknown>[] }[]).map((r) => r.results ?? []);
}

/** Where SQL text goes: a read returns its rows; a write is a file of statements run as one batch. */
export interface SqlExecutor {
  read(statement: string): Promise<Record<string, unknown>[]>;
  write(file: string): Promise<void>;
}

/**
 * A drizzle handle whose every query goes out as SQL text with its values written in: reads one
 * by one, each write or atomic batch as one file.
 */
export function sqlTextDb(executor: SqlExecutor): AppDb {
  const db = proxyDrizzle(
    async (sql, params, method) => {
      if (method === 'run') {
        await executor.write(sqlStatements([{ sql, params }]));
        return { rows: [] };
      }
      // A read (or a write returning rows): the rows as arrays, in the statement's column order.
      const arrays = (await executor.read(inlineParams(sql, params))).map((r) => Object.values(r));
      return { rows: method === 'get' ? (arrays[0] as unknown[]) : arrays };
    },
    async (batch) => {
      await executor.write(sqlStatements(batch));
      return batch.map(() => ({ rows: [] }));
    },
    { schema },
  );
  return db as unknown as AppDb;
}

/** The remote D1: `wrangler d1 execute --remote`, a write's statements through a temporary file. */
function remoteD1(): { db: AppDb; close(): Promise<void> } {
  requireWorkersTooling();
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-d1-'));
  let files = 0;
  const db = sqlTextDb({
    read: async (command) => (await executeRemote({ command }))[0] ?? [],
    async write(sql) {
      const file = join(dir, `write-${++files}.sql`);
      writeFileSync(file, sql);
      await executeRemote({ file });
    },
  });
  return { db, close: async () => rmSync(dir, { recursive: true, force: true }) };
}

interface PlatformProxy {
  env: Record<string, unknown>;
  dispose(): Promise<void>;
}

/** The local D1 through getPlatformProxy, at the state folder wrangler d1 execute and dev use. */
async function localD1(persistTo: string | undefined): Promise<{ db: AppDb; close(): Promise<void> }> {
  // wrangler's notes (which .dev.vars it read) would land in the command's output, e.g. an exported CSV.
  process.env.WRANGLER_LOG ??= 'error';
  const { getPlatformProxy } = requireWorkersTooling()('wrangler') as {
    getPlatformProxy(o: { configPath: string; persist: { path: string } }): Promise<PlatformProxy>;
  };
  const state = persistTo ?? shipped('.wrangler', 'state');
  const proxy = await getPlatformProxy({ configPath: CONFIG, persist: { path: join(state, 'v3') } });
  const db = d1Drizzle(proxy.env.DB as Parameters<typeof d1Drizzle>[0], { schema });
  return { db: db as unknown as AppDb, close: () => proxy.dispose() };
}

/** The migrations in storage/migrations that the D1 has not applied (wrangler records them in d1_migrations). */
async function missingMigrations(db: AppDb): Promise<string[]> {
  const files = readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql'));
  let applied: string[];
  try {
    applied = (await db.all<{ name: string }>('select name from d1_migrations')).map((r) => r.name);
  } catch {
    applied = [];
  }
  return files.filter((f) => !applied.includes(f));
}

/** A drizzle handle on the D1 behind `target`, once its migrations are known to be applied. */
export async function openD1(target: D1Target): Promise<{ db: AppDb; close(): Promise<void> }> {
  const opened = target.where === 'local' ? await localD1(target.persistTo) : remoteD1();
  const missing = await missingMigrations(opened.db).catch(async (err) => {
    await opened.close();
    throw err;
  });
  if (missing.length > 0) {
    await opened.close();
    const applied = readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).length - missing.length;
    const what = applied === 0 ? '还没有建表' : `缺少迁移 ${missing.join('、')}`;
    throw new D1CommandError(
      `${placeName(target)} ${what}：先运行 npm run migrate:${target.where} --prefix cloudflare`,
    );
  }
  return opened;
}
