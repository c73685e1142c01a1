// Upgrades keep the data: pending migrations run in one transaction after a copy of the
// database is taken; a failing migration leaves the database as it was and says which one failed
// and why, in one line; a database from a newer version is refused; /healthz tells the versions.

import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_COLUMNS } from '../bot/platforms';
import { seedDemo } from '../storage/demo';
import { MIGRATIONS, openSqlite } from '../storage/sqlite';
import { inspectDatabase } from '../storage/sqlite-backup';
import { MigrationError, readMigrations } from '../storage/sqlite-migrate';
import { testBot } from './helpers/bot';
import { ServerExit, startServer } from './helpers/server';

const LATEST = readMigrations(MIGRATIONS).at(-1)?.tag;

/** A copy of the shipped migrations, cut after `keep` of them and/or with one of the test's own added. */
function migrationsFolder(opts: { keep?: number; add?: { tag: string; sql: string } }): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'zhibu-migrations-')), 'migrations');
  cpSync(MIGRATIONS, dir, { recursive: true });
  const journalFile = join(dir, 'meta', '_journal.json');
  type Entry = { idx: number; version: string; when: number; tag: string; breakpoints: boolean };
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Entry[] };
  if (opts.keep !== undefined) journal.entries = journal.entries.slice(0, opts.keep);
  if (opts.add) {
    const last = journal.entries.at(-1) as Entry;
    writeFileSync(join(dir, `${opts.add.tag}.sql`), opts.add.sql);
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: opts.add.tag });
  }
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

/** Everything a database holds: its schema and every row of every table. */
function contents(file: string): unknown {
  const sqlite = new Database(file, { readonly: true });
  const tables = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name")
    .all() as { name: string; sql: string | null }[];
  const rows = Object.fromEntries(
    tables
      .filter((t) => t.sql?.startsWith('CREATE TABLE') || t.sql?.startsWith('CREATE VIRTUAL TABLE'))
      .map((t) => [t.name, sqlite.prepare(`SELECT * FROM "${t.name}"`).all()]),
  );
  sqlite.close();
  return { tables, rows };
}

/** A database with the demo organisation. */
async function demoDatabase(): Promise<{ file: string; backups: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-upgrade-'));
  const file = join(dir, 'zhibu.db');
  const { db, close } = openSqlite(file);
  await seedDemo(db, Date.now(), ACCOUNT_COLUMNS);
  close();
  return { file, backups: join(dir, 'backups') };
}

/** A database as the version before 0009 left it, a branch and two members in it (in that schema's SQL). */
function olderDatabase(): { file: string; backups: string } {
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-upgrade-'));
  const file = join(dir, 'zhibu.db');
  openSqlite(file, { migrations: migrationsFolder({ keep: 9 }) }).close();
  const sqlite = new Database(file);
  sqlite.exec(`
    INSERT INTO organisations (id, name, path, kind, created_at) VALUES ('o1', '兰陵小学党支部', '工委/兰陵小学党支部', 'branch', 1);
    INSERT INTO members (id, name, org_id, roles, created_at, updated_at) VALUES
      ('m1', '王建国', 'o1', '["书记","党员"]', 1, 1), ('m2', '张伟', 'o1', '["党员"]', 1, 1);`);
  sqlite.close();
  return { file, backups: join(dir, 'backups') };
}

describe('upgrades', () => {
  it('stops on a failing migration with one line, leaves the database untouched and a copy from before', async () => {
    const { file, backups } = await demoDatabase();
    const before = contents(file);
    // Its first statement works, its second cannot: both must be gone.
    const migrations = migrationsFolder({
      add: {
        tag: '0099_broken',
        sql: 'ALTER TABLE members ADD COLUMN nickname text;--> statement-breakpoint\nUPDATE no_such_table SET x = 1;',
      },
    });

    const failed = (() => {
      try {
        openSqlite(file, { migrations, backupDir: backups });
      } catch (err) {
        return err;
      }
    })();

    expect(failed).toBeInstanceOf(MigrationError);
    const message = (failed as Error).message;
    const [copy] = readdirSync(backups);
    expect(copy).toMatch(/^zhibu-\d{8}T\d{6}-before-0099_broken\.db$/);
    expect(message).toBe(
      `数据库升级失败：迁移 0099_broken 出错（no such table: no_such_table），数据库保持原样，没有改动。升级前的备份：${join(backups, copy ?? '')}`,
    );
    expect(contents(file)).toEqual(before);
    expect(contents(join(backups, copy ?? ''))).toEqual(before);
    expect(inspectDatabase(join(backups, copy ?? ''), readMigrations(migrations)).schema).toBe(LATEST);
  });

  it('upgrades an older database, keeping its data, after a copy of it', async () => {
    const { file, backups } = olderDatabase();
    const before = contents(file) as { rows: Record<string, unknown[]> };

    const t = await testBot({ dbPath: file, demo: false });
    const health = (await (await t.app.request('/healthz')).json()) as Record<string, unknown>;
    expect(health).toEqual({ status: 'ok', version: 'test', schema: LATEST, database: 'ok' });
    const members = (await (await t.app.request('/sim/api/members')).json()) as { members: unknown[] };
    expect(members.members).toHaveLength(before.rows.members?.length ?? -1);
    t.close();

    const after = contents(file) as { rows: Record<string, unknown[]> };
    // 0014 gave members a column (党小组): every row kept, the new column empty.
    expect(after.rows.members).toEqual(before.rows.members?.map((m) => ({ ...(m as object), party_group: null })));
    // 0010 gave organisations a column: every row kept, the new column empty.
    expect(after.rows.organisations).toEqual(
      before.rows.organisations?.map((o) => ({ ...(o as object), term_ends: null })),
    );
    const [copy, ...more] = readdirSync(backups);
    expect(more).toEqual([]);
    expect(copy).toMatch(new RegExp(`-before-${readMigrations(MIGRATIONS)[9]?.tag}\\.db$`));
    expect(contents(join(backups, copy ?? ''))).toEqual(before);
  });

  it('refuses to start on a database a newer version has upgraded, in one line', async () => {
    const { file } = await demoDatabase();
    const sqlite = new Database(file);
    sqlite.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('later', Date.now() * 2);
    sqlite.close();
    const before = contents(file);
    const refused = await startServer({ ZHIBU_DB: file }).catch((err: ServerExit) => err);
    expect(refused).toBeInstanceOf(ServerExit);
    expect((refused as ServerExit).code).toBe(1);
    expect((refused as ServerExit).said).toEqual([
      '数据库的结构版本比这个程序新（有 1 个本程序不认识的迁移）：请运行新版本的程序，或恢复升级前的备份。',
    ]);
    expect(contents(file)).toEqual(before);
  }, 60_000);
});
