// Recurring duty reminders driven by an explicit clock: who is reminded on which day, the holiday
// shift with 调休, quiet hours, catch-up after downtime, a crash mid fan-out, bad rules files.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chineseDays from 'chinese-days';
import { asc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { main as exportCli } from '../bot/cli/export';
import { loadHolidaysFile } from '../bot/cli/holidays-file';
import { main as jobsCli } from '../bot/cli/jobs';
import { main as rosterCli } from '../bot/cli/roster';
import { readTable } from '../bot/cli/table-file';
import { drainOutbox } from '../bot/core/delivery';
import { silentLogger } from '../bot/core/log';
import { ACCOUNT_COLUMNS } from '../bot/platforms';
import type { SimOutput } from '../bot/sim/cards';
import { simSender } from '../bot/sim/sender';
import type { Output, PlatformId } from '../cards/message';
import { remindDuties, upcoming } from '../cron/duty-reminders';
import { runReminders } from '../cron/reminders';
import {
  addDays,
  isWorkday,
  periodOf,
  shanghaiDate,
  shanghaiHour,
  useHolidays,
  yearsWithoutHolidays,
} from '../domain/calendar';
import { type Duty, parseDuties } from '../domain/duties';
import { dutyWorkbook } from '../handlers/duties/workbook';
import { advanceEntry, startDraft } from '../storage/form-entries';
import { orgsNamed } from '../storage/orgs';
import { membersNamed } from '../storage/people';
import { exportRoster, importRoster } from '../storage/roster';
import { dutyRecords, kv, outbox } from '../storage/schema';
import { cardsIn, presetDuties, testBot, textsIn } from './helpers/bot';
import { runMain } from './helpers/cli';

const PRESETS = presetDuties();
const preset = (id: string) => PRESETS.filter((d) => d.id === id);
const HOUR = 3600_000;

/** A workbook's first sheet: its title (a merged first row), then rows of cell values (empty cells as ''). */
async function sheetRows(book: ExcelJS.Workbook): Promise<unknown[][]> {
  const sheet = book.worksheets[0];
  const rows: unknown[][] = [[sheet?.getCell('A1').value]];
  sheet?.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(Array.from({ length: row.cellCount }, (_, i) => row.getCell(i + 1).value ?? ''));
  });
  return rows;
}

/** A bot whose clock the test sets; `at` runs the planner at an instant, as the scheduler would. */
async function clocked(opts: { corpus?: boolean; demo?: boolean; channels?: PlatformId[] } = {}) {
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
  const set = (iso: string) => {
    clock = Date.parse(iso);
  };
  return { ...t, at, hourly, set };
}

/** As if nothing had been planned yet: the outbox emptied, and what the planner marked finished. */
async function forgetPlanned(t: Awaited<ReturnType<typeof testBot>>): Promise<void> {
  await t.db.delete(outbox);
  await t.db.delete(kv);
}

/** What was handed to the outbox whose key starts with `prefix` (reminders by default). */
async function sends(t: Awaited<ReturnType<typeof testBot>>, prefix = 'duty:') {
  const rows = await t.db.select().from(outbox).orderBy(asc(outbox.id));
  return rows
    .filter((r) => r.key.startsWith(prefix))
    .map((r) => {
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
    // From Q3's last stage (so Q3 has people reminded and not done) through Q4.
    await t.hourly(preset('visit'), '2026-09-15T00:00+08:00', '2026-12-31T23:00+08:00');
    const got = (await sends(t)).filter((s) => s.key.includes(':2026Q4:'));
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
    const schools = got.map((s) => `${s.to} ${s.body.match(/您的联系点：(\S+)/)?.[1]}`);
    expect(new Set(schools)).toEqual(new Set(['dt-zhouhong 兰陵小学', 'dt-wugang 延陵小学']));
    // On the quarter's first workday the admin got Q3's overdue list, once.
    const overdue = await sends(t, 'duty-overdue:');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ to: 'dt-zhouhong', day: '2026-10-08', hour: 9 });
    expect(overdue[0]?.key).toMatch(/^duty-overdue:visit:2026Q3:m_/);
    expect(overdue[0]?.body).toContain('以下 2 人没有联系点走访记录');
    expect(overdue[0]?.body).toContain('- 吴刚（天宁区教育工委）');
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

  it('ships the 2026 notice in the holiday file exactly as chinese-days has it, day for day', () => {
    for (let d = '2026-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
      expect(isWorkday(d), d).toBe(chineseDays.isWorkday(d));
    }
  });

  it('plans a year chinese-days lacks from the holiday file: 元旦 and 春节 off, a 调休 Saturday worked', async () => {
    const t = await clocked();
    try {
      // chinese-days (pinned) has no 2027: without the file, 2027-01-01 (元旦) is a Friday like any other.
      expect(await t.at(preset('visit'), '2027-01-01T09:00+08:00')).toBe(2);
      await forgetPlanned(t);
      const december = Date.parse('2026-12-01T09:00+08:00');
      expect(yearsWithoutHolidays(december, 45)).toEqual([2027]); // what jobs list warns about
      expect(yearsWithoutHolidays(Date.parse('2026-09-01T09:00+08:00'), 45)).toEqual([]); // before the notice is due
      useHolidays(loadHolidaysFile('tests/fixtures/holidays-2027.json'));
      expect(yearsWithoutHolidays(december, 45)).toEqual([]);
      expect(await t.at(preset('visit'), '2027-01-01T09:00+08:00')).toBe(0);
      expect(await t.at(preset('visit'), '2027-01-04T09:00+08:00')).toBe(2); // the first workday after 元旦
      const saturday = upcoming(preset('ideology'), Date.parse('2027-02-01T00:00+08:00'), 28);
      expect(saturday.map((d) => `${shanghaiDate(d.at)} ${d.stage.name}`)).toEqual([
        '2027-02-20 nudge', // a Saturday, worked (调休)
        '2027-02-25 follow-up',
      ]);
    } finally {
      useHolidays(loadHolidaysFile('data/holidays.json'));
      t.close();
    }
  });

  it('refuses a holiday file with a wrong entry in one line naming the year, the holiday and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-holidays-'));
    const file = join(dir, 'holidays.json');
    const tryFile = (years: unknown) => {
      writeFileSync(file, JSON.stringify({ years }));
      return () => loadHolidaysFile(file);
    };
    const spring = (h: Record<string, unknown>) => ({
      2027: {
        notice: '通知',
        holidays: [
          { name: '元旦', off: '2027-01-01' },
          { name: '春节', ...h },
        ],
      },
    });
    expect(tryFile(spring({ off: '2027-02-05/2027-02-13', work: ['2027-02-17'] }))).toThrow(
      `节假日文件 ${file}：2027 年“春节” 字段 work：2027-02-17 不是周六或周日，调休上班只会在周末`,
    );
    expect(tryFile(spring({ off: '2027-02-13/2027-02-05' }))).toThrow(
      '2027 年“春节” 字段 off：2027-02-05 早于 2027-02-13',
    );
    expect(tryFile(spring({ off: '2027-02-30' }))).toThrow('2027 年“春节”：没有 2027-02-30 这一天');
    expect(tryFile(spring({ off: '2028-02-05' }))).toThrow('2027 年“春节”：2028-02-05 不在 2027 年的安排之内');
    expect(tryFile(spring({ off: '2月5日' }))).toThrow(
      '2027 年第 2 项（春节） 字段 off：写成 2027-02-06/2027-02-12 或 2027-01-01',
    );
    expect(tryFile({ 2027: { holidays: [] } })).toThrow('2027 年 字段 notice');
    writeFileSync(file, '{');
    expect(() => loadHolidaysFile(file)).toThrow(`节假日文件 ${file} 读不出来`);
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

  it('never sends an earlier stage after a later one: `jobs run --at` the quarter’s start after its middle', async () => {
    const t = await clocked();
    const visits = preset('visit');
    expect(await t.at(visits, '2026-11-16T09:00+08:00')).toBe(2); // 季度已过半, to both leaders
    // An operator replays the quarter's first day on the same database: 新季度开始 would now follow 季度已过半.
    expect(await t.at(visits, '2026-10-08T09:00+08:00')).toBe(0);
    expect(await t.at(visits, '2026-12-17T09:00+08:00')).toBe(2);
    expect((await sends(t)).map((s) => s.body.split('：')[0])).toEqual([
      '**季度已过半**',
      '**季度已过半**',
      '**距季度结束还有两周**',
      '**距季度结束还有两周**',
    ]);
    t.close();
  });

  it('resumes a fan-out of 2,000 reminders that crashed part way, without loss or repeat', async () => {
    const t = await clocked({ demo: false });
    const rows = [['组织', '学校', '姓名', '角色', '企业微信账号']];
    for (let i = 0; i < 2000; i++) rows.push([`工委/第${i}支部`, `学校${i}`, `书记${i}`, '书记', `sec${i}`]);
    expect((await importRoster(t.db, rows, 0, 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
    // The fan-out is written in batches; the process dies half way through writing the fourth.
    const notifyAll = t.bot.notifyAll.bind(t.bot);
    let calls = 0;
    t.bot.notifyAll = async (batch) => {
      if (++calls < 4) return notifyAll(batch);
      await notifyAll(batch.slice(0, batch.length / 2));
      throw new Error('process killed');
    };
    const at = '2026-11-20T09:30+08:00';
    await expect(t.at(preset('ideology'), at)).rejects.toThrow('process killed');
    const before = (await sends(t)).length;
    expect(before).toBe(700); // three batches of 200, and half of the fourth
    t.bot.notifyAll = notifyAll;
    expect(await t.at(preset('ideology'), at)).toBe(2000 - before);
    expect(await t.at(preset('ideology'), '2026-11-20T10:30+08:00')).toBe(0);
    const got = await sends(t);
    expect(got.length).toBe(2000);
    expect(new Set(got.map((s) => s.to)).size).toBe(2000);
    t.close();
  });

  it('reads the roster of a fan-out of 2,000 a page at a time, never the whole roster in one read', async () => {
    const t = await clocked({ demo: false });
    const rows = [['组织', '学校', '姓名', '角色', '企业微信账号']];
    for (let i = 0; i < 2000; i++) rows.push([`工委/第${i}支部`, `学校${i}`, `书记${i}`, '书记', `sec${i}`]);
    expect((await importRoster(t.db, rows, 0, 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
    // The rows of every read of the roster as the database hands them over (drizzle's better-sqlite3 client).
    const client = (t.db as unknown as { $client: { prepare(sql: string): Record<string, unknown> } }).$client;
    const prepare = client.prepare.bind(client);
    let largest = 0;
    client.prepare = (sql: string) => {
      const statement = prepare(sql);
      if (!/^select .* from "members"/.test(sql)) return statement;
      for (const read of ['all', 'raw', 'values'] as const) {
        const run = statement[read] as ((...a: unknown[]) => unknown) | undefined;
        if (typeof run !== 'function') continue;
        statement[read] = (...a: unknown[]) => {
          const out = run.apply(statement, a);
          if (Array.isArray(out)) largest = Math.max(largest, out.length);
          return out;
        };
      }
      return statement;
    };
    expect(await t.at(preset('ideology'), '2026-11-20T09:30+08:00')).toBe(2000);
    // Pages of 200 to build cards for; of 1,000 for the overdue report of the month before, which only reads.
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThanOrEqual(1000);
    client.prepare = prepare;
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

describe('presets', () => {
  it('quotes each rule word for word from the document it names', () => {
    for (const duty of PRESETS) {
      const text = readFileSync(join('data/corpus', duty.basis.doc), 'utf8');
      expect(text.includes(duty.basis.quote), `${duty.id}: “${duty.basis.quote}”`).toBe(true);
    }
  });

  it('reminds on calendar days: “七一” falls on a Saturday in 2026, so the 书记 hear of it on Monday', async () => {
    const t = await clocked();
    const care = preset('july-first-care');
    expect(await t.at(care, '2026-06-20T09:00+08:00')).toBe(0);
    expect(await t.at(care, '2026-06-22T09:00+08:00')).toBe(2); // 王建国 and 刘洋
    expect(await t.at(care, '2026-06-23T09:00+08:00')).toBe(0);
    // Had the bot been down since June, it would still remind on 07-01, but no longer from 07-03
    // (the stage lasts 11 days): a 七一 reminder after 七一 is no use.
    await forgetPlanned(t);
    expect(await t.at(care, '2026-07-01T09:00+08:00')).toBe(2);
    await forgetPlanned(t);
    expect(await t.at(care, '2026-07-03T09:00+08:00')).toBe(0);
    const lecture = upcoming(preset('leader-lecture'), Date.parse('2026-06-01T00:00+08:00'), 200);
    expect(lecture.map((d) => shanghaiDate(d.at))).toEqual(['2026-07-01', '2026-11-16']);
    t.close();
  });
});

describe('换届 notice', () => {
  it('tells the branch and its superior six months before the term ends, once, from the roster’s 任期届满', async () => {
    const t = await clocked();
    const lanling = '天宁区教育工委/兰陵小学党支部';
    const header = ['组织', '姓名', '角色', '任期届满'];
    const bad = await importRoster(
      t.db,
      [header, [lanling, '王建国', '书记、党员', '明年六月']],
      0,
      'test',
      ACCOUNT_COLUMNS,
    );
    expect(bad).toMatchObject({
      ok: false,
      errors: [{ row: 2, column: '任期届满', message: expect.stringContaining('2027-06') }],
    });
    const clash = [
      header,
      [lanling, '王建国', '书记、党员', '2027-06'],
      [lanling, '李敏', '支委委员、党员、教师', '2027-07'],
    ];
    expect((await importRoster(t.db, clash, 0, 'test', ACCOUNT_COLUMNS)).ok).toBe(false);
    expect(
      (await importRoster(t.db, [header, [lanling, '王建国', '书记、党员', '2027年6月']], 0, 'test', ACCOUNT_COLUMNS))
        .ok,
    ).toBe(true);

    const at = (iso: string) => runReminders(t.bot, [], new Date(iso));
    expect(await at('2026-11-30T10:00+08:00')).toBe(0);
    expect(await at('2026-12-01T09:00+08:00')).toBe(2); // 王建国, and 周红 for the 工委 (no 书记 there)
    expect(await at('2026-12-15T09:00+08:00')).toBe(0);
    const notices = await sends(t, 'term:');
    expect(notices.map((n) => n.to).sort()).toEqual(['dt-wangjianguo', 'dt-zhouhong']);
    expect(notices[0]?.body).toContain('兰陵小学党支部**的任期将于 **2027-06** 届满');
    expect(notices[0]?.body).toContain('上级党组织对任期届满的党支部提前6个月通知');
    expect((await exportRoster(t.db, ACCOUNT_COLUMNS)).find((r) => r[2] === '王建国')?.at(-1)).toBe('2027-06');
    t.close();
  });
});

describe('jobs CLI', () => {
  it('runs what is due at an instant once however often it is run, and refuses a bad rules file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-jobs-'));
    const env = { ZHIBU_DB: join(dir, 'jobs.db') };
    const roster = join(dir, 'roster.csv');
    writeFileSync(roster, '组织,学校,姓名,角色,企业微信账号\n工委/兰陵小学党支部,兰陵小学,王建国,书记,wangjianguo\n');
    expect((await runMain(rosterCli, ['import', roster], { env })).code).toBe(0);
    const args = ['run', '--at', '2026-11-20T09:30+08:00'];
    expect((await runMain(jobsCli, args, { env })).stdout).toContain('新排入提醒 2 条'); // 研判, and the quarter's 流动党员 reminder still due;
    expect((await runMain(jobsCli, args, { env })).stdout).toContain('新排入提醒 0 条');
    const out = join(dir, '研判.xlsx');
    const exported = await runMain(exportCli, ['ideology', '--month', '2026-11', '--out', out], { env });
    expect(exported.stdout).toContain(`已导出到 ${out}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    expect((await sheetRows(book))[2]).toEqual(['王建国', '兰陵小学党支部', '', '', '', '', '', '', '', '', '未完成']);
    const wrong = await runMain(exportCli, ['visits', '--quarter', '2026Q5'], { env });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--quarter “2026Q5”不对，请写成 2026Q4 的样子。');
    const bad = join(dir, 'duties.json');
    writeFileSync(bad, JSON.stringify({ duties: [{ ...(preset('visit')[0] as Duty), hour: 23 }] }));
    const failed = await runMain(jobsCli, ['list'], { env: { ...env, ZHIBU_DUTIES: bad } });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('规则 "visit" 字段 hour');
  });
});

describe('jobs list and the holiday file', () => {
  it('warns while the coming year has no holiday data, plans by the file once it has, and refuses a bad one', async () => {
    const list = (holidays: string) =>
      runMain(jobsCli, ['list', '--at', '2026-12-01T09:00+08:00', '--days', '45'], {
        env: { ZHIBU_HOLIDAYS: holidays },
      });
    const shipped = (await list('data/holidays.json')).stdout;
    expect(shipped).toContain('注意：2027 年的法定节假日安排还没有数据（chinese-days 和 data/holidays.json 都没有）');
    expect(shipped).toContain('2027-01-01  联系点走访（班子成员）  新季度开始  2027Q1');
    const bad = join(mkdtempSync(join(tmpdir(), 'zhibu-holidays-')), 'holidays.json');
    writeFileSync(
      bad,
      JSON.stringify({ years: { 2027: { notice: '通知', holidays: [{ name: '春节', off: '2027-02-31' }] } } }),
    );
    const failed = await list(bad);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toBe(`节假日文件 ${bad}：2027 年“春节”：没有 2027-02-31 这一天`);
    try {
      const filled = (await list('tests/fixtures/holidays-2027.json')).stdout;
      expect(filled).not.toContain('注意');
      expect(filled).toContain('2027-01-04  联系点走访（班子成员）  新季度开始  2027Q1');
    } finally {
      useHolidays(loadHolidaysFile('data/holidays.json')); // the CLI set the fixture for this process
    }
  });
});

describe('confirming a duty', () => {
  it('records a 联系点 visit from the card, refuses bad dates and other people, and stops the reminders', async () => {
    const t = await clocked();
    t.set('2026-11-20T10:00+08:00');
    const [card] = cardsIn(await t.say('吴刚', 'direct', '走访'));
    const action = card?.actions?.[0]?.id ?? '';
    expect(card?.inputs?.map((i) => i.label)).toEqual([
      '走访的联系点',
      '走访日期',
      '做了什么',
      '发现的问题及帮助解决情况',
    ]);
    expect(card?.inputs?.[0]).toMatchObject({ options: [{ value: '延陵小学' }], value: '延陵小学' });
    const click = (who: string, values: Record<string, unknown>) =>
      t.click(who, card?.id ?? '', action, { where: '延陵小学', ...values });
    expect(textsIn(await click('吴刚', { where: '兰陵小学', did: ['调查研究'] }))[0]).toBe(
      '“走访的联系点”没有“兰陵小学”这个选项，请重新选择。',
    );
    expect(textsIn(await click('吴刚', { date: '2026-11-21', did: ['调查研究'] }))[0]).toContain('还没到');
    expect(textsIn(await click('吴刚', { date: '2026-09-30', did: ['调查研究'] }))[0]).toContain('不在 2026Q4');
    expect(textsIn(await click('吴刚', { date: '2026-11-31', did: ['调查研究'] }))[0]).toContain('看不懂');
    expect(textsIn(await click('吴刚', { date: '2026-11-18' }))[0]).toBe('请填写“做了什么”。');
    expect(textsIn(await click('王建国', { date: '2026-11-18', did: ['调查研究'] }))[0]).toContain('只有本人或管理员');
    expect(await t.at(preset('visit'), '2026-11-20T10:00+08:00')).toBe(2); // both leaders
    const ok = await click('吴刚', { date: '11月18日', did: ['调查研究', '讲党课/党史'], problems: '缺少活动室' });
    expect(textsIn(ok)[0]).toBe('已记录：吴刚 联系点走访 2026-11-18 延陵小学，本季度第 1 次走访。');
    expect(cardsIn(ok)[0]?.status).toBe('已确认 · 2026-11-18');
    // An admin records 周红's own visit; the late-quarter reminder then goes to nobody.
    const [mine] = cardsIn(await t.say('周红', 'direct', '走访'));
    const byAdmin = await t.click('周红', mine?.id ?? '', mine?.actions?.[0]?.id ?? '', {
      where: '兰陵小学',
      did: ['其他'],
    });
    expect(textsIn(byAdmin)[0]).toBe('已记录：周红 联系点走访 2026-11-20 兰陵小学，本季度第 1 次走访。');
    expect(await t.at(preset('visit'), '2026-12-17T09:00+08:00')).toBe(0);
    const [mineOnly] = cardsIn(await t.say('吴刚', 'direct', '联系点情况'));
    expect(mineOnly?.body).toBe('- 吴刚：已完成（2026-11-18 延陵小学）');
    const [all] = cardsIn(await t.say('周红', 'direct', '联系点情况'));
    expect(all?.status).toBe('2/2 已完成 · 截止 2026-12-31');
    // The 台账: one row per visit, with who recorded it.
    const rows = await sheetRows(
      await dutyWorkbook(t.db, preset('visit')[0] as Duty, periodOf('quarter', '2026-11-20')),
    );
    expect(rows[0]).toEqual(['联系点走访台账（2026Q4：2026-10-01 至 2026-12-31）']);
    expect(rows.slice(1)).toEqual([
      ['姓名', '所在组织', '日期', '走访的联系点', '做了什么', '发现的问题及帮助解决情况', '登记人', '情况'],
      ['吴刚', '天宁区教育工委', '2026-11-18', '延陵小学', '调查研究、讲党课/党史', '缺少活动室', '本人', '已完成'],
      ['周红', '天宁区教育工委', '2026-11-20', '兰陵小学', '其他', '', '本人', '已完成'],
    ]);
    t.close();
  });

  it('lets an admin assign 联系点 in chat and a leader name the one visited', async () => {
    const t = await clocked();
    t.set('2026-11-20T10:00+08:00');
    expect(textsIn(await t.say('吴刚', 'direct', '联系点 设置 吴刚 兰陵小学'))[0]).toContain('管理员');
    expect(textsIn(await t.say('周红', 'direct', '联系点 设置 王建国 兰陵小学'))[0]).toBe(
      '王建国不是班子成员，只有班子成员有联系点。',
    );
    expect(textsIn(await t.say('周红', 'direct', '联系点 设置 吴刚 延陵小学、兰陵小学'))[0]).toBe(
      '已设置吴刚的联系点：延陵小学、兰陵小学（原为：延陵小学）。',
    );
    expect(textsIn(await t.say('吴刚', 'direct', '走访 红梅小学'))[0]).toBe(
      '“红梅小学”不是您登记的联系点，登记的联系点有：延陵小学、兰陵小学。',
    );
    const [card] = cardsIn(await t.say('吴刚', 'direct', '走访 兰陵'));
    expect(card?.inputs?.[0]).toMatchObject({
      value: '兰陵小学',
      options: [{ value: '延陵小学' }, { value: '兰陵小学' }],
    });
    const ok = await t.click('吴刚', card?.id ?? '', card?.actions?.[0]?.id ?? '', {
      where: '兰陵小学',
      did: ['帮助解决问题'],
    });
    expect(textsIn(ok)[0]).toBe('已记录：吴刚 联系点走访 2026-11-20 兰陵小学，本季度第 1 次走访。');
    // A visit reported by phone: the admin records it, and the record says so.
    expect(textsIn(await t.say('周红', 'direct', '代登记 王建国 走访'))[0]).toBe(
      '王建国不是班子成员，没有联系点走访这项职责。',
    );
    const [proxy] = cardsIn(await t.say('周红', 'direct', '代登记 吴刚 走访 延陵'));
    expect(proxy?.title).toBe('联系点走访（代吴刚登记）');
    const recorded = await t.click('周红', proxy?.id ?? '', proxy?.actions?.[0]?.id ?? '', {
      where: '延陵小学',
      date: '2026-11-19',
      did: ['调查研究'],
    });
    expect(textsIn(recorded)[0]).toBe(
      '已记录：吴刚 联系点走访 2026-11-19 延陵小学，本季度第 2 次走访（管理员周红代为登记）。',
    );
    expect(textsIn(await t.say('吴刚', 'direct', '代登记 吴刚 走访'))[0]).toContain('管理员');
    t.close();
  });

  it('imports 天宁 附件4 (one leader, many schools) through the roster and offers each school on the card', async () => {
    const t = await clocked();
    t.set('2026-11-20T10:00+08:00');
    const table = await readTable('tests/fixtures/附件4-局领导工作联系点.csv');
    const imported = await importRoster(t.db, table, Date.now(), 'test', ACCOUNT_COLUMNS);
    expect(imported).toMatchObject({ ok: true, summary: { membersCreated: 5 } });
    const [ding] = await membersNamed(t.db, '丁方'); // “丁  方” in the table
    expect(ding?.contacts).toHaveLength(10);
    expect(ding?.contacts[0]).toBe('第八中学');
    const [zhang] = await membersNamed(t.db, '张金松');
    expect(zhang?.contacts).toContain('解放路小学(含香梅小学)');
    const [card] = cardsIn(await t.say('丁方', 'direct', '走访'));
    expect(card?.inputs?.[0]).toMatchObject({ label: '走访的联系点', required: true });
    expect(card?.inputs?.[0]?.kind === 'select' && card.inputs[0].options.length).toBe(10);
    // The table has no accounts: the quarter's reminder reaches the two demo leaders, and the
    // admin learns, once, whom it could not reach.
    expect(await t.at(preset('visit'), '2026-10-08T09:00+08:00')).toBe(3);
    expect(await t.at(preset('visit'), '2026-10-08T10:00+08:00')).toBe(0);
    const [unreachable] = await sends(t, 'duty-unreachable:');
    expect(unreachable?.to).toBe('dt-zhouhong');
    expect(unreachable?.body).toContain('发不到以下 5 人');
    expect(unreachable?.body).toContain('- 丁方');
    t.close();
  });

  it('takes a month of 研判: refuses one without a situation, forwards a risk upward, follows up the rest', async () => {
    const t = await clocked();
    // 王建国 and 刘洋; no October list, as the bot reminded nobody in October.
    expect(await t.at(preset('ideology'), '2026-11-20T09:00+08:00')).toBe(2);
    const [card] = cardsIn(await t.say('王建国', 'direct', '上报研判'));
    const submit = (values: Record<string, unknown>) =>
      t.click('王建国', card?.id ?? '', card?.actions?.[0]?.id ?? '', values);
    expect(textsIn(await submit({ areas: ['网络舆情'] }))[0]).toBe('请填写“总体态势”。');
    expect(textsIn(await submit({ situation: '存在风险' }))[0]).toContain('请写明发现的风险');
    const out = textsIn(await submit({ situation: '存在风险', areas: ['网络舆情'], risks: '家长群传播不实信息' }));
    expect(out).toEqual(['已记录：王建国 2026-11 意识形态研判，2026-11-20 上报。', '已转报天宁区教育工委：周红。']);
    const forwarded = await sends(t, 'duty-risk:');
    expect(forwarded.map((s) => s.to)).toEqual(['dt-zhouhong']);
    expect(forwarded[0]?.body).toContain('家长群传播不实信息');
    expect(textsIn(await submit({ situation: '平稳' }))[0]).toBe('这张卡片已关闭：已确认 · 2026-11-20。');
    expect(textsIn(await t.say('王建国', 'direct', '上报研判'))[0]).toBe(
      '王建国的意识形态研判（2026-11）已于 2026-11-20 上报，无需重复提交。',
    );
    expect(await t.at(preset('ideology'), '2026-11-25T09:00+08:00')).toBe(1);
    expect((await sends(t)).filter((s) => s.key.endsWith(':follow-up')).map((s) => s.to)).toEqual(['dt-liuyang']);
    const [board] = cardsIn(await t.say('周红', 'direct', '研判情况'));
    expect(board?.body).toBe('- 刘洋：未完成\n- 王建国：已完成（2026-11-20）');
    await t.at(preset('ideology'), '2026-12-01T09:00+08:00');
    const [november] = (await sends(t, 'duty-overdue:')).filter((s) => s.key.includes(':2026-11:'));
    expect(november?.body).toContain('以下 1 人没有意识形态研判记录：\n- 刘洋（延陵小学党支部）');
    // Late for November, 刘洋 and an admin confirm at the same moment: one record, the other told it is done.
    const [mine] = cardsIn(await t.say('刘洋', 'direct', '上报研判 上月'));
    const [theirs] = cardsIn(await t.say('周红', 'direct', '代登记 刘洋 研判 2026-11'));
    expect(theirs?.title).toBe('意识形态研判（补报 2026-11）（代刘洋登记）');
    const both = await Promise.all([
      t.click('刘洋', mine?.id ?? '', mine?.actions?.[0]?.id ?? '', { situation: '平稳' }),
      t.click('周红', theirs?.id ?? '', theirs?.actions?.[0]?.id ?? '', { situation: '平稳' }),
    ]);
    expect(both.map((o) => textsIn(o).join()).filter((s) => s.includes('无需重复提交'))).toHaveLength(1);
    const [liu] = await membersNamed(t.db, '刘洋');
    const records = await t.db
      .select()
      .from(dutyRecords)
      .where(eq(dutyRecords.memberId, liu?.id ?? ''));
    expect(records).toMatchObject([{ period: '2026-11', doneOn: '2026-12-01' }]);
    t.close();
  });

  it('records a late 研判 for the month it covers and says it is a 补报; 研判情况 takes a month', async () => {
    const t = await clocked({ channels: ['sim'] });
    expect(await t.at(preset('ideology'), '2026-11-20T09:00+08:00')).toBe(2);
    await drainOutbox(t.db, { sim: simSender(t.db) }, () => Date.parse('2026-11-20T09:01+08:00'), silentLogger);
    t.set('2026-12-02T10:00+08:00');
    // 刘洋 opens this month's form: it tells him November is still open and how to report it.
    const [december] = cardsIn(await t.say('刘洋', 'direct', '上报研判'));
    expect(december?.status).toBe('2026-12 · 截止 2026-12-31');
    expect(december?.body).toContain('2026-11 的意识形态研判尚未上报，补报请发“上报研判 上月”。');
    const [late] = cardsIn(await t.say('刘洋', 'direct', '上报研判 上月'));
    expect(late).toMatchObject({ title: '意识形态研判（补报 2026-11）', status: '2026-11 · 截止 2026-11-30' });
    const risk = await t.click('刘洋', late?.id ?? '', late?.actions?.[0]?.id ?? '', {
      situation: '存在风险',
      risks: '个别教师课堂言论不当',
    });
    expect(textsIn(risk)[0]).toBe(
      '已记录：刘洋 2026-11 意识形态研判（补报：2026-11 已于 2026-11-30 截止），2026-12-02 上报。',
    );
    expect(cardsIn(risk)[0]?.status).toBe('已确认 · 2026-12-02（补报 2026-11）');
    const [forwarded] = await sends(t, 'duty-risk:');
    expect(forwarded?.body).toContain('刘洋 于 2026-12-02 补报 2026-11 研判：存在风险');
    // 王建国 answers November's reminder card in December: it is November's, late.
    const inbox = (await (await t.app.request('/sim/api/inbox?member=王建国')).json()) as { messages: SimOutput[] };
    const [reminder] = cardsIn(inbox.messages);
    const answered = await t.click('王建国', reminder?.id ?? '', reminder?.actions?.[0]?.id ?? '', {
      situation: '平稳',
    });
    expect(textsIn(answered)[0]).toContain('王建国 2026-11 意识形态研判（补报');
    expect(textsIn(await t.say('刘洋', 'direct', '上报研判 11月'))[0]).toBe(
      '刘洋的意识形态研判（2026-11）已于 2026-12-02 上报，无需重复提交。',
    );

    const board = async (text: string) => cardsIn(await t.say('周红', 'direct', text))[0];
    for (const text of ['研判情况 上月', '研判情况 2026-11', '研判情况 2026年11月']) {
      expect(await board(text)).toMatchObject({
        title: '意识形态研判 · 2026-11',
        body: '- 刘洋：已完成（2026-12-02 补报）\n- 王建国：已完成（2026-12-02 补报）',
        status: '2/2 已完成 · 已于 2026-11-30 截止',
      });
    }
    expect((await board('研判情况'))?.status).toBe('0/2 已完成 · 截止 2026-12-31');
    expect(textsIn(await t.say('周红', 'direct', '研判情况 2027-01'))).toEqual(['2027-01 还没到。']);
    expect(textsIn(await t.say('周红', 'direct', '研判情况 2026Q4'))).toEqual([
      '看不懂“2026Q4”，请写成 2026-11、11月 或 上月。',
    ]);
    expect((await cardsIn(await t.say('吴刚', 'direct', '联系点情况 上季度')))[0]?.title).toBe('联系点走访 · 2026Q3');
    expect((await cardsIn(await t.say('吴刚', 'direct', '联系点情况 2026年第三季度')))[0]?.title).toBe(
      '联系点走访 · 2026Q3',
    );
    t.set('2027-01-05T10:00+08:00'); // in January, “12月” is last December
    expect((await board('研判情况 12月'))?.title).toBe('意识形态研判 · 2026-12');
    // The 台账 of November marks both as 补报.
    const rows = await sheetRows(
      await dutyWorkbook(t.db, preset('ideology')[0] as Duty, periodOf('month', '2026-11-05')),
    );
    expect(rows.slice(2).map((r) => `${r[0]} ${r[2]} ${r.at(-1)}`)).toEqual([
      '刘洋 2026-12-02 补报',
      '王建国 2026-12-02 补报',
    ]);
    t.close();
  });
});

describe('a 研判 that finds risk', () => {
  it('is answered by the superior on its card (已阅, 回复, 已处理), each recorded and told to the reporter', async () => {
    const t = await clocked({ channels: ['sim'] });
    const drain = (iso: string) => drainOutbox(t.db, { sim: simSender(t.db) }, () => Date.parse(iso), silentLogger);
    const inbox = async (who: string) =>
      ((await (await t.app.request(`/sim/api/inbox?member=${who}`)).json()) as { messages: SimOutput[] }).messages;
    t.set('2026-11-20T10:00+08:00');
    const [form] = cardsIn(await t.say('王建国', 'direct', '上报研判'));
    await t.click('王建国', form?.id ?? '', form?.actions?.[0]?.id ?? '', {
      situation: '存在风险',
      risks: '家长群传播不实信息',
    });
    await drain('2026-11-20T10:01+08:00');
    const [risk] = cardsIn(await inbox('周红'));
    expect(risk?.actions.map((a) => a.label)).toEqual(['已阅', '已处理', '回复']);
    expect(risk?.inputs).toMatchObject([{ kind: 'text', name: 'reply', label: '回复王建国（可不填）' }]);
    expect(risk?.status).toBe('待处理');
    const press = (who: string, label: string, reply?: string) =>
      t.click(who, risk?.id ?? '', risk?.actions.find((a) => a.label === label)?.id ?? '', reply ? { reply } : {});

    expect(textsIn(await press('吴刚', '已阅'))).toEqual(['只有上级组织的书记或管理员可以处理这份研判。']);
    expect(textsIn(await press('周红', '回复'))).toEqual(['请先在“回复王建国”一栏写好回复，再点“回复”。']);
    const read = await press('周红', '已阅');
    expect(textsIn(read)).toEqual(['已告知王建国：周红已阅您上报的 2026-11 意识形态研判（存在风险）。']);
    expect(cardsIn(read)[0]?.status).toBe('已阅 · 周红 11月20日 10:00');
    t.set('2026-11-21T09:30+08:00');
    await press('周红', '回复', '请于本周内约谈相关家长，澄清事实');
    const handled = cardsIn(await press('周红', '已处理'))[0];
    expect(handled?.status).toBe('已处理 · 周红 11月21日 09:30');
    expect(handled?.body).toContain(
      '**处理情况**\n- 周红 11月20日 10:00 已阅\n- 周红 11月21日 09:30 回复：请于本周内约谈相关家长，澄清事实\n- 周红 11月21日 09:30 已处理',
    );
    await drain('2026-11-21T09:31+08:00');
    expect(textsIn(await inbox('王建国'))).toEqual([
      '周红已阅您上报的 2026-11 意识形态研判（存在风险）。',
      '周红回复您上报的 2026-11 意识形态研判（存在风险）：请于本周内约谈相关家长，澄清事实',
      '周红已处理您上报的 2026-11 意识形态研判（存在风险）。',
    ]);
    // The 台账 keeps what the superior did with it.
    const rows = await sheetRows(
      await dutyWorkbook(t.db, preset('ideology')[0] as Duty, periodOf('month', '2026-11-05')),
    );
    expect(rows[1]).toContain('上级处理');
    expect(rows[2]?.[(rows[1] as unknown[]).indexOf('上级处理')]).toBe(
      '周红 11月20日 10:00 已阅\n周红 11月21日 09:30 回复：请于本周内约谈相关家长，澄清事实\n周红 11月21日 09:30 已处理',
    );
    t.close();
  });
});

describe('reminders planned ahead', () => {
  const inbox = async (t: Awaited<ReturnType<typeof clocked>>, who: string) =>
    (await (await t.app.request(`/sim/api/inbox?member=${encodeURIComponent(who)}`)).json()) as {
      messages: { type: string; card?: { body: string } }[];
    };

  it('drops a reminder planned for a later hour once the person confirms the duty', async () => {
    const t = await clocked({ channels: ['sim'] });
    // `jobs run --at` the 25th, run on the 21st: the follow-up waits in the outbox for its hour.
    expect(await t.at(preset('ideology'), '2026-11-25T09:00+08:00')).toBe(2);
    t.set('2026-11-21T10:00+08:00');
    const [card] = cardsIn(await t.say('王建国', 'direct', '上报研判'));
    await t.click('王建国', card?.id ?? '', card?.actions?.[0]?.id ?? '', { situation: '平稳' });
    await drainOutbox(t.db, { sim: simSender(t.db) }, () => Date.parse('2026-11-25T09:01+08:00'), silentLogger);
    const followUps = async (who: string) =>
      (await inbox(t, who)).messages.filter((m) => m.card?.body.includes('本月研判尚未上报')).length;
    expect(await followUps('王建国')).toBe(0);
    expect(await followUps('刘洋')).toBe(1);
    const statuses = (await t.db.select().from(outbox)).filter((r) => r.key.includes(':follow-up'));
    expect(statuses.map((r) => r.status).sort()).toEqual(['cancelled', 'sent']);
    t.close();
  });

  it('drops those of a branch that submitted the self-check the reminder opens, before they fall due', async () => {
    const t = await clocked({ channels: ['sim'] });
    const grading = preset('grading-selfcheck')[0] as Duty;
    const late: Duty = { ...grading, stages: [{ name: 'late', on: '11-20', lead: '分类定级自查尚未提交' }] };
    expect(await t.at([late], '2026-11-26T10:00+08:00')).toBe(2); // planned ahead for 王建国 and 刘洋
    const [lanling] = await orgsNamed(t.db, '兰陵小学党支部');
    const entry = await startDraft(t.db, {
      formId: 'grading',
      orgId: lanling?.id ?? '',
      period: '2026',
      answers: {},
      by: 'test',
      now: Date.parse('2026-11-25T09:00+08:00'),
    });
    await advanceEntry(t.db, entry.id, 'draft', 'submitted', { by: 'test', now: entry.createdAt, result: {} });
    expect(await t.at([late], '2026-11-25T10:00+08:00')).toBe(0); // the job that runs meanwhile
    await drainOutbox(t.db, { sim: simSender(t.db) }, () => Date.parse('2026-11-26T10:01+08:00'), silentLogger);
    expect((await inbox(t, '王建国')).messages).toEqual([]);
    expect((await inbox(t, '刘洋')).messages.map((m) => m.card?.body.split('：')[0])).toEqual([
      '**分类定级自查尚未提交**',
    ]);
    t.close();
  });
});

describe('where a reminder goes', () => {
  it('reaches people on a channel that can deliver: in the simulator-only demo, their simulator inbox', async () => {
    const t = await clocked({ channels: ['sim'] });
    expect(await t.at(preset('ideology'), '2026-11-20T09:00+08:00')).toBe(2);
    expect((await sends(t)).map((s) => s.to).every((to) => to.startsWith('m_'))).toBe(true);
    await drainOutbox(t.db, { sim: simSender(t.db) }, () => Date.parse('2026-11-20T09:01+08:00'), silentLogger);
    const inbox = await t.app.request('/sim/api/inbox?member=王建国');
    expect(await inbox.text()).toContain('意识形态研判提醒');
    t.close();
  });
});
