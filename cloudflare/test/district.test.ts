// A district on D1, as Cloudflare runs it: a 2,000-member roster's quarterly reminders (a fan-out
// to 203 班子成员, over D1's 100 bound parameters many times) planned and sent by the cron triggers
// across runs that each stay within a small statement budget, every reminder once at the fake
// WeCom API; a run with nothing due costs a handful of statements; one WeCom access token, kept
// in D1, serves every invocation until WeCom refuses it.

import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { ACCOUNT_COLUMNS } from '../../bot/platforms';
import { CRONS } from '../../bot/worker';
import { importRoster } from '../../storage/roster';
import { wecomAppEnv } from '../../tests/fakes/accounts';
import { accountsWithRole, districtRoster } from './district';
import { TEST_DISTRICT } from './global-setup';
import { db, fakeWindow, fire } from './helpers';

const BUDGET = 60;
const vars = () => ({
  ...wecomAppEnv(inject('fakes').districtWecomApi),
  ZHIBU_SIMULATOR: '0',
  ZHIBU_RUN_STATEMENTS: String(BUDGET),
});
const roster = districtRoster(TEST_DISTRICT);
const withRole = (role: string) => accountsWithRole(roster, role);

/** An hour of cron triggers from `from`, as Cloudflare fires them (both at once every tenth minute): the statements of each run. */
async function hourFrom(from: string): Promise<number[]> {
  const runs: number[] = [];
  for (let minute = 0; minute < 60; minute++) {
    const at = Date.parse(from) + minute * 60_000;
    const fires = [fire(CRONS.everyMinute, at, vars())];
    if (minute % 10 === 0) fires.push(fire(CRONS.duties, at, vars()));
    runs.push(...(await Promise.all(fires)));
  }
  return runs;
}

/** Who the fake WeCom API showed a reminder with this title, one entry per message. */
async function received(title: string): Promise<string[]> {
  const sends = await fakeWindow<{ to: string; title: string }[]>('/district/sends');
  return sends
    .filter((s) => s.title === title)
    .map((s) => s.to)
    .sort();
}

/** Watches what the Worker logs as errors (a failed job, a send failed for good). */
function watchErrors(): () => string[] {
  // The Worker logs records as objects (Workers Logs indexes their fields) and only errors go to
  // console.error, so every call is one.
  const spy = vi.spyOn(console, 'error');
  return () => spy.mock.calls.map((c) => (typeof c[0] === 'string' ? c[0] : JSON.stringify(c[0])));
}

beforeAll(async () => {
  const imported = await importRoster(db, roster, Date.parse('2026-03-01T00:00:00Z'), 'test', ACCOUNT_COLUMNS);
  expect(imported.ok).toBe(true);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('a district on Workers', () => {
  it('sends the first reminders of a quarter to every one of 306 people, once, in runs within the budget', async () => {
    const errors = watchErrors();
    // 2026-04-01 10:00 Shanghai, Q2's first workday.
    const runs = await hourFrom('2026-04-01T02:00:00Z');
    expect(Math.max(...runs)).toBeLessThanOrEqual(BUDGET);
    expect(await received('联系点走访提醒')).toEqual(withRole('班子成员'));
    expect(await received('流动党员摸底排查提醒')).toEqual(withRole('书记'));
    expect(await received('组织设置清理提醒')).toEqual(withRole('管理员'));
    expect(await fakeWindow('/district/dropped')).toEqual([]);
    expect(errors()).toEqual([]);
  });

  it('costs a handful of statements on a run with nothing due', async () => {
    // A run with the default budget finishes what the small one left (the overdue lists, found empty)…
    const { ZHIBU_RUN_STATEMENTS: _, ...defaults } = vars();
    await fire(CRONS.duties, Date.parse('2026-04-01T03:10:00Z'), defaults);
    // …and the runs after it find nothing new.
    expect(await fire(CRONS.duties, Date.parse('2026-04-01T03:20:00Z'), defaults)).toBeLessThanOrEqual(10);
    expect(await fire(CRONS.everyMinute, Date.parse('2026-04-01T03:21:00Z'), defaults)).toBeLessThanOrEqual(10);
  });

  it('keeps one WeCom access token for every invocation, and renews it once WeCom calls it expired', async () => {
    const errors = watchErrors();
    expect(await fakeWindow<number>('/district/tokens')).toBe(1);
    await fakeWindow('/district/expire-token');
    // 2026-04-20 10:00, the month's 研判 nudge to the 100 书记.
    const runs = await hourFrom('2026-04-20T02:00:00Z');
    expect(Math.max(...runs)).toBeLessThanOrEqual(BUDGET);
    expect(await received('意识形态研判提醒')).toEqual(withRole('书记'));
    expect(await fakeWindow<number>('/district/tokens')).toBe(2);
    expect(await fakeWindow('/district/dropped')).toEqual([]);
    expect(errors()).toEqual([]);
  });
});
