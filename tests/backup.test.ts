// Backups and restore as an operator runs them against the compiled server: `npm run backup`
// while a 300-member branch checks in through the simulator API, the copy checked, restored into
// a fresh path and served again; restore (compiled, as the container runs it) refuses a running
// server's database, and files that are not a whole zhibu database this version can run on; the
// daily backup's retention.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as backupCli } from '../bot/cli/backup';
import { main as restoreCli } from '../bot/cli/restore';
import { silentLogger } from '../bot/core/log';
import { ACCOUNT_COLUMNS } from '../bot/platforms';
import { dailyBackupJob } from '../bot/server/backups';
import type { SimOutput } from '../bot/sim/cards';
import { bindChatQuery, rememberChat } from '../storage/chats';
import { orgsNamed } from '../storage/orgs';
import { importRoster } from '../storage/roster';
import { openSqlite } from '../storage/sqlite';
import { inspectDatabase } from '../storage/sqlite-backup';
import { runMain } from './helpers/cli';
import { compiledCommand, npmRun, ServerExit, type ServerProcess, startServer } from './helpers/server';

const MEMBERS = 300;
const dir = mkdtempSync(join(tmpdir(), 'zhibu-backup-'));
const dbFile = join(dir, 'zhibu.db');
let server: ServerProcess;

/** One branch of 300 members and a simulator group bound to it, stored before the server starts. */
async function seedBigBranch(file: string): Promise<void> {
  const { db, close } = openSqlite(file);
  const rows = [['组织', '学校', '姓名', '角色']];
  for (let i = 0; i < MEMBERS; i++) rows.push(['工委/大校党支部', '大校', `党员${i}`, i === 0 ? '书记、党员' : '党员']);
  await importRoster(db, rows, Date.now(), 'test', ACCOUNT_COLUMNS);
  const [org] = await orgsNamed(db, '大校党支部');
  await rememberChat(db, 'sim', 'big', '大校群', Date.now());
  await bindChatQuery(db, 'sim', 'big', org?.id ?? '', 'test', Date.now());
  close();
}

async function post(base: string, path: string, body: unknown): Promise<SimOutput[]> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { outputs: SimOutput[] }).outputs;
}

const textOf = (outputs: SimOutput[]) => outputs.map((o) => (o.type === 'text' ? o.text : '')).join('\n');

function write(file: string, sql: string): void {
  const sqlite = new Database(file);
  sqlite.exec(sql);
  sqlite.close();
}

function attendanceIn(file: string): Set<string> {
  const sqlite = new Database(file, { readonly: true });
  const rows = sqlite.prepare('SELECT meeting_id, name FROM attendance').all() as {
    meeting_id: string;
    name: string;
  }[];
  sqlite.close();
  return new Set(rows.map((r) => `${r.meeting_id}/${r.name}`));
}

beforeAll(async () => {
  await seedBigBranch(dbFile);
  server = await startServer({ ZHIBU_DB: dbFile, ZHIBU_BACKUP_DIR: join(dir, 'backups') });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('npm run backup and npm run restore', () => {
  it('copies the database while 300 members check in, and the copy restored serves the same data', async () => {
    // Check-in bursts (16 clicks at a time, every member once a meeting) run until the backup is done.
    const answered: { key: string; at: number }[] = [];
    let backupDone = false;
    const bursts = (async () => {
      for (let m = 0; m === 0 || !backupDone; m++) {
        const [out] = await post(server.url, '/sim/api/message', {
          member: '党员0',
          chat: 'big',
          text: `签到 支部党员大会 第${m}次 30分钟`,
        });
        if (out?.type !== 'card') throw new Error(`no check-in card: ${JSON.stringify(out)}`);
        const card = out.card;
        const meetingId = card.actions[0]?.id.split(':')[1] ?? '';
        let next = 0;
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (next < MEMBERS) {
              const i = next++;
              await post(server.url, '/sim/api/action', {
                member: `党员${i}`,
                card: card.id,
                action: card.actions[0]?.id,
              });
              answered.push({ key: `${meetingId}/党员${i}`, at: Date.now() });
            }
          }),
        );
        await post(server.url, '/sim/api/message', { member: '党员0', chat: 'big', text: '结束签到' });
      }
    })();
    // Start the backup once the first burst is under way.
    await expect.poll(() => answered.length, { timeout: 30_000 }).toBeGreaterThan(50);
    const copy = join(dir, 'copy.db');
    const backupStarted = Date.now();
    const backup = await npmRun('backup', [copy], { ZHIBU_DB: dbFile });
    const backupEnded = Date.now();
    backupDone = true;
    await bursts;

    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain('完整性检查通过');
    expect(backup.stdout).toMatch(/成员 300，会议 \d+，签到 \d+/);
    // The members kept checking in while the copy was taken.
    expect(answered.some((a) => a.at > backupStarted && a.at < backupEnded)).toBe(true);

    const sqlite = new Database(copy, { readonly: true });
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    sqlite.close();
    // Every click answered before the moment the backup reports is in the copy.
    const moment = Date.parse(backup.stdout.match(/含 (\S+) 之前提交的全部数据/)?.[1] ?? '');
    expect(moment).toBeGreaterThan(backupStarted);
    const copied = attendanceIn(copy);
    const committedBefore = answered.filter((a) => a.at < moment).map((a) => a.key);
    expect(committedBefore.length).toBeGreaterThan(50);
    expect(committedBefore.filter((k) => !copied.has(k))).toEqual([]);

    // Restored into a fresh path, the copy is served by a new server with the same data.
    const fresh = join(dir, 'restored', 'zhibu.db');
    const restore = await npmRun('restore', [copy], { ZHIBU_DB: fresh });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const restored = await startServer({ ZHIBU_DB: fresh });
    try {
      expect(attendanceIn(fresh)).toEqual(copied);
      const members = (await (await fetch(`${restored.url}/sim/api/members`)).json()) as { members: unknown[] };
      expect(members.members).toHaveLength(MEMBERS);
      const record = textOf(
        await post(restored.url, '/sim/api/message', { member: '党员0', chat: 'big', text: '会议记录' }),
      );
      const perMeeting = new Map<string, number>();
      for (const key of copied)
        perMeeting.set(key.split('/')[0] ?? '', (perMeeting.get(key.split('/')[0] ?? '') ?? 0) + 1);
      const present = [...record.matchAll(/实到 (\d+)\/300/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
      expect(present).toEqual([...perMeeting.values()].sort((a, b) => a - b));
    } finally {
      expect(await restored.stop()).toBe(0);
    }
  }, 180_000);

  it('refuses to restore over the database of a running server, and leaves it as it was', async () => {
    const copy = join(dir, 'refused.db');
    expect((await compiledCommand('backup', [copy], { ZHIBU_DB: dbFile })).code).toBe(0);
    const before = attendanceIn(dbFile);
    const restore = await compiledCommand('restore', [copy], { ZHIBU_DB: dbFile });
    expect(restore.code).toBe(1);
    expect(restore.stderr.trim()).toBe(
      `数据库 ${dbFile} 正由另一个进程使用（正在运行的服务，或正在进行的恢复）：请先停止它。`,
    );
    expect(attendanceIn(dbFile)).toEqual(before);
    // A second server on the same database is refused the same way, in one line.
    const second = await startServer({ ZHIBU_DB: dbFile }).catch((err: ServerExit) => err);
    expect(second).toBeInstanceOf(ServerExit);
    expect((second as ServerExit).code).toBe(1);
    expect((second as ServerExit).said).toEqual([restore.stderr.trim()]);
  }, 60_000);

  it('checks the file before restoring it: not SQLite, not zhibu, or newer than this version', async () => {
    const target = join(dir, 'never', 'zhibu.db');
    const notSqlite = join(dir, 'notes.db');
    writeFileSync(notSqlite, '会议记录\n'.repeat(100));
    const other = join(dir, 'other.db');
    write(other, 'CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    const newer = join(dir, 'newer.db');
    expect((await runMain(backupCli, [newer], { env: { ZHIBU_DB: dbFile } })).code).toBe(0);
    // As a later version's migration would leave it.
    write(newer, `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('later', ${Date.now() * 2})`);

    const refusals = [
      [notSqlite, '不是完好的 SQLite 数据库'],
      [other, '不是支部助手的数据库'],
      [newer, '的结构版本比这个程序新（有 1 个本程序不认识的迁移）'],
      [join(dir, 'missing.db'), '不存在'],
    ];
    const restores = await Promise.all(
      refusals.map(([file]) => runMain(restoreCli, [file ?? ''], { env: { ZHIBU_DB: target } })),
    );
    for (const [i, restore] of restores.entries()) {
      expect(restore.code).toBe(1);
      expect(restore.stderr.trim().split('\n')).toHaveLength(1);
      expect(restore.stderr).toContain(refusals[i]?.[1]);
    }
    expect(() => readFileSync(target)).toThrow(/ENOENT/);
  }, 60_000);
});

describe('the daily backup', () => {
  it('writes the day’s copy and keeps the newest 14 days and the first of each of the last 12 months', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'zhibu-daily-'));
    const { sqlite, migrations, close } = openSqlite(join(folder, 'zhibu.db'));
    const backups = join(folder, 'backups');
    mkdirSync(backups);
    // 500 days of earlier backups, and two copies taken before upgrades and a restore.
    const day = (n: number) => new Date(Date.parse('2026-12-06T00:00:00Z') - n * 86400_000).toISOString().slice(0, 10);
    for (let n = 1; n <= 500; n++) writeFileSync(join(backups, `zhibu-${day(n)}.db`), '');
    writeFileSync(join(backups, 'zhibu-20250101T000000-before-0009_form_entries.db'), '');
    writeFileSync(join(backups, 'zhibu.db.before-restore-20250101T000000'), '');

    await dailyBackupJob(sqlite, backups, migrations, silentLogger).run(new Date('2026-12-06T19:17:00Z'));
    close();

    const kept = readdirSync(backups).sort();
    expect(inspectDatabase(join(backups, 'zhibu-2026-12-07.db'), migrations).rows.organisations).toBe(0);
    const daily = kept.flatMap((n) => n.match(/^zhibu-(\d{4}-\d{2}-\d{2})\.db$/)?.[1] ?? []);
    // The newest 14: today's and the 13 before it (2026-11-23 … 2026-12-05; none was taken on 12-06).
    expect(daily.slice(-14)).toEqual([...Array.from({ length: 13 }, (_, i) => day(13 - i)), '2026-12-07']);
    // The first of each of the last 12 months (December's, 2026-12-01, is among the newest 14).
    expect(daily.slice(0, -14)).toEqual(
      Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01`),
    );
    expect(kept).toContain('zhibu-20250101T000000-before-0009_form_entries.db');
    expect(kept).toContain('zhibu.db.before-restore-20250101T000000');
  });
});
