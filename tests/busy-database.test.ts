// A database another connection holds (a backup, a long CLI write) must not end the server. The
// real server drains 2,000 reminders to the fake WeCom and takes a callback while a second
// connection holds BEGIN EXCLUSIVE on the same file; once it lets go, everything is delivered,
// each send once, and the process is still serving.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Assistant } from '../bot/core/assistant';
import { silentLogger } from '../bot/core/log';
import { ACCOUNT_COLUMNS, PLATFORMS } from '../bot/platforms';
import { allMembers } from '../storage/people';
import { importRoster } from '../storage/roster';
import { openSqlite } from '../storage/sqlite';
import { AGENT_ID, CORP_ID, KEYS, WECOM_SECRET, wecomAppEnv } from './fakes/accounts';
import { type FakeWecomApi, startFakeWecomApi } from './fakes/wecom-api';
import { textMessageXml, WecomCallbackClient } from './fakes/wecom-callback';
import { type ServerProcess, startServer } from './helpers/server';

const N = 2000;
const REMINDED = Array.from({ length: N }, (_, i) => `u${i}`);
const ASKERS = ['asker1', 'asker2'];

let api: FakeWecomApi | undefined;
let server: ServerProcess | undefined;
let locker: Database.Database | undefined;

afterEach(async () => {
  locker?.close();
  await server?.stop();
  await api?.close();
});

/** Waits for a condition the server brings about, failing at once should the server exit. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) {
    if (server?.child.exitCode !== null) throw new Error(`the server exited:\n${server?.log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A database with 2,000 reminders planned to people on WeCom, as the reminder job stores them. */
async function plannedDatabase(file: string): Promise<void> {
  const { db, close } = openSqlite(file);
  const table = [
    ['组织', '姓名', '角色', '企业微信账号'],
    ...[...REMINDED, ...ASKERS].map((u) => ['测试工委/第一支部', `成员${u}`, '党员', u]),
  ];
  expect((await importRoster(db, table, Date.now(), 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
  const planner = new Assistant({ db, features: [], log: silentLogger, platforms: PLATFORMS, delivering: ['wecom'] });
  const reminded = (await allMembers(db)).filter((m) => /^成员u\d+$/.test(m.name));
  const text = '请按时完成本月意识形态研判。';
  await planner.notifyAll(
    reminded.map((m) => ({ memberId: m.id, key: `busy:${m.id}`, outputs: [{ type: 'text', text }] })),
  );
  close();
}

describe('a database locked by another connection', () => {
  it('holds up the drain and a callback without ending the process; afterwards each send goes once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhibu-busy-')), 'zhibu.db');
    await plannedDatabase(file);
    api = await startFakeWecomApi({
      corpId: CORP_ID,
      secret: WECOM_SECRET,
      agentId: AGENT_ID,
      users: [...REMINDED, ...ASKERS],
    });
    const fake = api;
    server = await startServer({
      ZHIBU_DB: file,
      ZHIBU_DEMO: '0',
      ...wecomAppEnv(fake.url),
    });
    const client = new WecomCallbackClient({ url: `${server.url}/wecom/callback`, ...KEYS });
    // WeCom re-sends a callback three times; the lock below is held until the server has logged both
    // failures, which on a loaded box can outlast those four attempts. What this test checks is the
    // server's side (the re-send taken once the lock is gone), so its WeCom keeps re-sending longer.
    const ask = (from: string, msgId: string) =>
      client.deliver(textMessageXml({ corpId: CORP_ID, from, content: '帮助', msgId, agentId: AGENT_ID }), {
        retries: 12,
      });
    const sends = () => fake.calls.filter((c) => c.path === '/cgi-bin/message/send');

    // A message: its answer is queued, and the drain that sends it takes the reminders too.
    expect((await ask('asker1', '9001')).statuses).toEqual([200]);
    await until(() => sends().length >= 300);

    locker = new Database(file);
    locker.exec('BEGIN EXCLUSIVE');
    const second = ask('asker2', '9002');
    await server.waitForLog(/outbox drain failed/);
    await server.waitForLog(/request refused: database unavailable/);
    locker.exec('COMMIT');

    // The callback is taken once the lock is gone.
    expect((await second).statuses.at(-1)).toBe(200);
    const reader = new Database(file, { readonly: true });
    const unsent = () =>
      (reader.prepare(`select count(*) n from outbox where status <> 'sent'`).get() as { n: number }).n;
    await until(() => unsent() === 0 && sends().length >= N + 2);
    const rows = reader.prepare('select target_id as target from outbox').all() as { target: string }[];
    reader.close();

    // What people receive: a send whose outcome the lock kept from being written may go again once
    // its lease ends, but only as a resend that asks WeCom's duplicate check, which drops it.
    const resent = sends().filter((c) => (c.body as { enable_duplicate_check?: number }).enable_duplicate_check === 1);
    expect(sends().length - rows.length).toBeLessThanOrEqual(resent.length);
    const count = new Map<string, number>();
    for (const s of sends()) {
      const to = (s.body as { touser: string }).touser;
      count.set(to, (count.get(to) ?? 0) + 1);
    }
    for (const d of fake.dropped) count.set(d.userid, (count.get(d.userid) ?? 0) - 1);
    expect([...count.values()].reduce((a, b) => a + b, 0)).toBe(rows.length);
    expect(REMINDED.filter((u) => count.get(u) !== 1)).toEqual([]);
    for (const asker of ASKERS) {
      expect(count.get(asker)).toBe(rows.filter((r) => r.target === asker).length);
      expect(count.get(asker)).toBeGreaterThan(0);
    }
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 240_000);
});
