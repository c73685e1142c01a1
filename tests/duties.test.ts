// Recurring duty reminders driven by an explicit clock: who is reminded on which day, the holiday
// shift with 调休, quiet hours, catch-up after downtime, a crash mid fan-out, bad rules files.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { asc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Output } from '../bot/core/model';
import { shanghaiDate, shanghaiHour } from '../cron/calendar';
import { type Duty, parseDuties } from '../cron/duties';
import { remindDuties } from '../cron/duty-reminders';
import { importRoster } from '../storage/roster';
import { outbox } from '../storage/schema';
import { testBot } from './helpers/bot';

const PRESETS = parseDuties(JSON.parse(readFileSync('cron/duties.json', 'utf8')));
if (!PRESETS.ok) throw new Error(PRESETS.message);
const preset = (id: string) => PRESETS.duties.filter((d) => d.id === id);
const HOUR = 3600_000;

/** A bot whose clock the test sets; `at` runs the planner at an instant, as the scheduler would. */
async function clocked(opts: { corpus?: boolean; demo?: boolean } = {}) {
  let clock = 0;
  const t = await testBot({ ...opts, now: () => new Date(clock) });
  const at = (duties: Duty[], iso: string | number) => {
    clock = typeof iso === 'number' ? iso : Date.parse(iso);
    return remindDuties(t.bot, duties, new Date(clock));
  };
  /** Every hour from `from` to `to` (Shanghai ISO times). */
  const hourly = async (duties: Duty[], from: string, to: string) => {
    for (let h = Date.parse(from); h <= Date.parse(to); h += HOUR) await at(duties, h);
  };
  return { ...t, at, hourly };
}

async function sends(t: Awaited<ReturnType<typeof testBot>>) {
  const rows = await t.db.select().from(outbox).orderBy(asc(outbox.id));
  return rows.map((r) => {
    const payload = r.payload as Output;
    return {
      key: r.key.replace(/#\d+$/, ''),
      to: r.targetId,
      day: shanghaiDate(r.createdAt),
      hour: shanghaiHour(r.createdAt),
      body: payload.type === 'card' ? (payload.card.body ?? '') : '',
    };
  });
}

describe('联系点 reminders over a quarter', () => {
  it('reminds each leader at three stages, once each, moved off 国庆 and weekends, at 09:00', async () => {
    const t = await clocked({ corpus: true });
    await t.hourly(preset('visit'), '2026-10-01T00:00+08:00', '2026-12-31T23:00+08:00');
    const got = await sends(t);
    // The demo's two 班子成员 (周红, 吴刚); 10-01 is 国庆 (first workday 10-08), day 46 is Sunday 11-15.
    const days = got.map((s) => `${s.day} ${s.hour}:00 ${s.key.split(':')[4]}`);
    expect(days).toEqual([
      '2026-10-08 9:00 first',
      '2026-10-08 9:00 first',
      '2026-11-16 9:00 mid',
      '2026-11-16 9:00 mid',
      '2026-12-17 9:00 late',
      '2026-12-17 9:00 late',
    ]);
    expect(new Set(got.map((s) => s.to))).toEqual(new Set(['dt-wugang', 'dt-zhouhong']));
    expect(got[0]?.body).toContain('每季度到联络点不少于1次');
    expect(got[0]?.body).toContain('固党教工委〔2022〕23号');
    t.close();
  });
});

describe('holidays and quiet hours', () => {
  it('moves the 研判 nudge past 春节 and keeps a 调休 Saturday as a workday', async () => {
    const t = await clocked();
    const saturday: Duty = {
      ...(preset('ideology')[0] as Duty),
      id: 'sat',
      stages: [{ name: 's', day: 28, lead: '测试' }],
    };
    await t.hourly([...preset('ideology'), saturday], '2026-02-01T00:00+08:00', '2026-02-28T23:00+08:00');
    const got = await sends(t);
    const byStage = (stage: string) => [...new Set(got.filter((s) => s.key.endsWith(`:${stage}`)).map((s) => s.day))];
    expect(byStage('nudge')).toEqual(['2026-02-24']); // 02-20 falls in the 春节 holiday (02-15…02-23)
    expect(byStage('follow-up')).toEqual(['2026-02-25']);
    expect(byStage('s')).toEqual(['2026-02-28']); // a Saturday, but a 调休 working day
    t.close();
  });

  it('sends nothing at night: a 20:00 stage first planned at 22:00 goes out at 08:00', async () => {
    const t = await clocked();
    const late: Duty = { ...(preset('ideology')[0] as Duty), hour: 20 };
    expect(await t.at([late], '2026-11-20T22:00+08:00')).toBe(0);
    expect(await t.at([late], '2026-11-21T07:59+08:00')).toBe(0);
    expect(await t.at([late], '2026-11-21T08:00+08:00')).toBe(2);
    t.close();
  });
});

describe('exactly once', () => {
  it('after downtime sends only the stage still useful, and never a skipped or sent one again', async () => {
    const t = await clocked();
    const visits = preset('visit');
    // Down from before the quarter began until 11-20: the mid-quarter reminder, not the first.
    expect(await t.at(visits, '2026-11-20T10:00+08:00')).toBe(2);
    await t.hourly(visits, '2026-11-20T11:00+08:00', '2026-12-31T23:00+08:00');
    const stages = (await sends(t)).map((s) => s.key.split(':')[4]);
    expect(stages).toEqual(['mid', 'mid', 'late', 'late']);
    t.close();
  });

  it('resumes a fan-out of 2,000 reminders that crashed part way, without loss or repeat', async () => {
    const t = await clocked({ demo: false });
    const rows = [['组织', '学校', '姓名', '角色', '企业微信账号']];
    for (let i = 0; i < 2000; i++) rows.push([`工委/第${i}支部`, `学校${i}`, `书记${i}`, '书记', `sec${i}`]);
    expect((await importRoster(t.db, rows, 0, 'test')).ok).toBe(true);
    const send = t.bot.send.bind(t.bot);
    let calls = 0;
    t.bot.send = async (...args) => {
      if (++calls === 700) throw new Error('process killed');
      return send(...args);
    };
    const at = '2026-11-20T09:30+08:00';
    await expect(t.at(preset('ideology'), at)).rejects.toThrow('process killed');
    expect((await sends(t)).length).toBe(699);
    expect(await t.at(preset('ideology'), at)).toBe(1301);
    expect(await t.at(preset('ideology'), '2026-11-20T10:30+08:00')).toBe(0);
    const got = await sends(t);
    expect(got.length).toBe(2000);
    expect(new Set(got.map((s) => s.to)).size).toBe(2000);
    t.close();
  });
});

describe('rules file', () => {
  it('names the rule and the field that is wrong, and refuses a duplicate id', () => {
    const bad = { duties: [{ ...(preset('visit')[0] as Duty), id: 'visit', every: 'weekly' }] };
    expect(parseDuties(bad)).toEqual({ ok: false, message: expect.stringMatching(/^规则 "visit" 字段 every：/) });
    const noDay = { duties: [{ ...(preset('visit')[0] as Duty), stages: [{ name: 'x', lead: 'y' }] }] };
    expect(parseDuties(noDay)).toEqual({ ok: false, message: expect.stringContaining('stages.0') });
    const twice = { duties: [preset('visit')[0], preset('visit')[0]] };
    expect(parseDuties(twice)).toEqual({ ok: false, message: '规则 "visit" 重复定义' });
  });
});

describe('jobs CLI', () => {
  it('runs what is due at an instant once however often it is run, and refuses a bad rules file', async () => {
    const run = promisify(execFile);
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-jobs-'));
    const env = { ...process.env, ZHIBU_DB: join(dir, 'jobs.db') };
    const roster = join(dir, 'roster.csv');
    writeFileSync(roster, '组织,学校,姓名,角色,企业微信账号\n工委/兰陵小学党支部,兰陵小学,王建国,书记,wangjianguo\n');
    await run('npx', ['tsx', 'bot/cli/roster.ts', 'import', roster], { env });
    const args = ['tsx', 'bot/cli/jobs.ts', 'run', '--at', '2026-11-20T09:30+08:00'];
    expect((await run('npx', args, { env })).stdout).toContain('新排入提醒 2 条'); // 研判, and the quarter's 流动党员 reminder still due;
    expect((await run('npx', args, { env })).stdout).toContain('新排入提醒 0 条');
    const bad = join(dir, 'duties.json');
    writeFileSync(bad, JSON.stringify({ duties: [{ ...(preset('visit')[0] as Duty), hour: 23 }] }));
    const failed = await run('npx', ['tsx', 'bot/cli/jobs.ts', 'list'], { env: { ...env, ZHIBU_DUTIES: bad } }).catch(
      (e) => e,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('规则 "visit" 字段 hour');
  });
});
