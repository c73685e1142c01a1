// npm run bench --prefix cloudflare: districts of 1,000, 5,000 and 10,000 members (BENCH_SIZES) on a local D1
// (test/district.ts: 5% 书记, 10% 班子成员) get a quarter's first reminders (2026-04-01 10:00:
// 联系点走访, 流动党员摸底排查, 组织设置清理) and a month's 研判 nudge (2026-04-20 10:00) from the
// cron triggers as Cloudflare fires them (every minute, and every tenth minute both at once),
// with the default budget, through a fake WeCom that holds each message BENCH_LATENCY_MS.
// Every reminder must reach the fake exactly once, no run may pass the statement budget or log
// an error. Prints, per district and date, the runs it took and the statements and time of each.

import { env } from 'cloudflare:workers';
import { getTableName, is, sql } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { ACCOUNT_COLUMNS } from '../../bot/platforms';
import { CRONS } from '../../bot/worker';
import { importRoster } from '../../storage/roster';
import * as schema from '../../storage/schema';
import { wecomAppEnv } from '../../tests/fakes/accounts';
import { accountsWithRole, districtRoster } from '../test/district';
import { db, fakeWindow, fire } from '../test/helpers';

const BUDGET = 900; // wrangler.toml's ZHIBU_RUN_STATEMENTS
const vars = () => ({ ...wecomAppEnv(inject('fakes').districtWecomApi), ZHIBU_SIMULATOR: '0' });
/** Cron time allowed for one date before the bench gives up on it. */
const MAX_MINUTES = 24 * 60;

interface Run {
  cron: string;
  statements: number;
  ms: number;
}
const table: string[] = [];

/** Empties every table but the knowledge base, for the next district. */
async function wipe(): Promise<void> {
  const tables = Object.values(schema).filter((t) => is(t, SQLiteTable) && !getTableName(t).startsWith('kb_'));
  await env.DB.batch([
    env.DB.prepare('PRAGMA defer_foreign_keys = on'),
    ...tables.map((t) => env.DB.prepare(`delete from "${getTableName(t as SQLiteTable)}"`)),
  ]);
}

async function timed(cron: string, at: number): Promise<Run> {
  const started = Date.now();
  const statements = await fire(cron, at, vars());
  return { cron, statements, ms: Date.now() - started };
}

/** What the fake WeCom showed, by title, as `account title` lines. */
async function shown(): Promise<string[]> {
  return (await fakeWindow<{ to: string; title: string }[]>('/district/sends')).map((s) => `${s.to} ${s.title}`);
}

async function pending(): Promise<number> {
  const [row] = await db.all<{ n: number }>(
    sql`select count(*) as n from outbox where status in ('pending', 'sending')`,
  );
  return row?.n ?? 0;
}

/**
 * Fires the triggers minute by minute from `from` until the expected messages have all arrived and
 * the outbox is empty; then one more `*\/10` run, which must find nothing to do.
 */
async function cronUntilSent(
  from: string,
  expected: string[],
): Promise<{ runs: Run[]; minutes: number; idle: number }> {
  const before = await shown();
  const arrived = async () => (await shown()).filter((line) => !before.includes(line));
  const runs: Run[] = [];
  let minute = 0;
  for (; minute < MAX_MINUTES; minute++) {
    const at = Date.parse(from) + minute * 60_000;
    const fires = [timed(CRONS.everyMinute, at)];
    if (minute % 10 === 0) fires.push(timed(CRONS.duties, at));
    runs.push(...(await Promise.all(fires)));
    if ((await arrived()).length >= expected.length && (await pending()) === 0) break;
  }
  const next = Date.parse(from) + (Math.floor(minute / 10) + 1) * 600_000;
  const idle = (await timed(CRONS.duties, next)).statements;
  expect((await arrived()).sort()).toEqual(expected.sort());
  return { runs, minutes: minute + 1, idle };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

afterAll(() => {
  console.log(
    [
      `\n## Reminders on Workers (local D1, default budget ${BUDGET} statements / 20 s, WeCom ${inject('bench').latencyMs} ms a message)`,
      '| members | date | reminders | cron runs until all sent (minutes) | statements a run: max / median | time a run: max / median | next */10 run |',
      '|---|---|---|---|---|---|---|',
      ...table,
    ].join('\n'),
  );
});

describe.each(inject('bench').sizes)('a district of $members members', ({ members, prefix }) => {
  it('sends a quarter’s first reminders and a month’s 研判 nudge, each once, every run within the budget', async () => {
    await wipe();
    const roster = districtRoster(members, prefix);
    expect((await importRoster(db, roster, Date.parse('2026-03-01T00:00:00Z'), 'bench', ACCOUNT_COLUMNS)).ok).toBe(
      true,
    );
    const errors = vi.spyOn(console, 'error');
    const dates = [
      {
        label: '04-01 季度',
        from: '2026-04-01T02:00:00Z',
        expected: [
          ...accountsWithRole(roster, '班子成员').map((a) => `${a} 联系点走访提醒`),
          ...accountsWithRole(roster, '书记').map((a) => `${a} 流动党员摸底排查提醒`),
          ...accountsWithRole(roster, '管理员').map((a) => `${a} 组织设置清理提醒`),
        ],
      },
      {
        label: '04-20 研判',
        from: '2026-04-20T02:00:00Z',
        expected: accountsWithRole(roster, '书记').map((a) => `${a} 意识形态研判提醒`),
      },
    ];
    for (const date of dates) {
      const { runs, minutes, idle } = await cronUntilSent(date.from, date.expected);
      const statements = runs.map((r) => r.statements);
      const ms = runs.map((r) => r.ms);
      table.push(
        `| ${members.toLocaleString('en')} | ${date.label} | ${date.expected.length} | ${runs.length} (${minutes}) | ${Math.max(...statements)} / ${median(statements)} | ${(Math.max(...ms) / 1000).toFixed(1)} s / ${(median(ms) / 1000).toFixed(1)} s | ${idle} statements |`,
      );
      expect(Math.max(...statements)).toBeLessThanOrEqual(BUDGET);
      expect(idle).toBeLessThanOrEqual(10);
    }
    expect(errors.mock.calls.map((c) => String(c[0])).filter((line) => / ERROR /.test(line))).toEqual([]);
    expect(await fakeWindow('/district/dropped')).toEqual([]);
    errors.mockRestore();
  });
});
