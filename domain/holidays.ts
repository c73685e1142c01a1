// The operator's holiday file (data/holidays.json): for each year, the State Council's notice as
// published — its 放假 ranges and 调休上班 days — so that a year `chinese-days` does not know yet
// (or knows wrongly) is planned right. Checked as a whole before the bot starts: a bad entry stops
// start-up with one line naming the year, the holiday and what is wrong.
import { z } from 'zod';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The longest a holiday has run (春节 with 调休: 9 days); more is a typing mistake. */
const MAX_DAYS = 12;

const Holiday = z.object({
  name: z.string().trim().min(1, { error: '不能为空' }),
  /** `2027-02-06/2027-02-12` (first and last day off) or one day `2027-01-01`. */
  off: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(\/\d{4}-\d{2}-\d{2})?$/, { error: '写成 2027-02-06/2027-02-12 或 2027-01-01' }),
  /** The weekend days worked instead (调休上班), as the notice lists them. */
  work: z.array(z.string().regex(DAY, { error: '写成 2027-02-20' })).default([]),
});

const Year = z.object({
  /** The notice's title, e.g. 国务院办公厅关于2027年部分节假日安排的通知. */
  notice: z.string().trim().min(1, { error: '请写明国务院通知的标题' }),
  /** Where it was published (www.gov.cn). */
  url: z.url({ error: '请写通知的网址' }).optional(),
  holidays: z.array(Holiday).min(1, { error: '至少一个节日' }),
});

const File = z.object({
  /** For the operator: how to fill the file. */
  note: z.string().optional(),
  years: z.record(z.string().regex(/^\d{4}$/, { error: '年份写成 2027' }), Year),
});

/** The days a file declares, and the years it covers (in them, an unlisted day is a weekday or a weekend as usual). */
export interface HolidayTable {
  years: Set<number>;
  off: Set<string>;
  work: Set<string>;
}

export const NO_HOLIDAYS: HolidayTable = { years: new Set(), off: new Set(), work: new Set() };

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const isRealDay = (date: string) =>
  !Number.isNaN(Date.parse(date)) && new Date(Date.parse(date)).toISOString().slice(0, 10) === date;

function daysFrom(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(first); t <= Date.parse(last); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The table of a holiday file's JSON, or a one-line problem naming the entry. */
export function parseHolidays(json: unknown): { ok: true; table: HolidayTable } | { ok: false; message: string } {
  const parsed = File.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).map(String); // years.2027.holidays.1.work.0
    const [, year, list, index] = path;
    const item = list === 'holidays' && index !== undefined ? Number(index) : undefined;
    const raw = json as { years?: Record<string, { holidays?: { name?: unknown }[] }> } | null;
    const name = item === undefined ? undefined : raw?.years?.[year ?? '']?.holidays?.[item]?.name;
    const where =
      (year ? `${year} 年` : '') +
      (item === undefined ? '' : `第 ${item + 1} 项${typeof name === 'string' ? `（${name}）` : ''}`);
    const field = path.slice(item === undefined ? 2 : 4).join('.');
    return { ok: false, message: `${where}${field ? ` 字段 ${field}` : ''}：${issue?.message ?? '格式不对'}` };
  }
  const table: HolidayTable = { years: new Set(), off: new Set(), work: new Set() };
  for (const [year, entry] of Object.entries(parsed.data.years)) {
    table.years.add(Number(year));
    for (const h of entry.holidays) {
      const where = `${year} 年“${h.name}”`;
      const [first = '', last = first] = h.off.split('/');
      for (const day of [first, last, ...h.work]) {
        if (!isRealDay(day)) return { ok: false, message: `${where}：没有 ${day} 这一天` };
        // A year's notice covers that year; 元旦 may begin in the December before (2018: 2017-12-30).
        if (day < `${Number(year) - 1}-12-01` || day > `${year}-12-31`)
          return { ok: false, message: `${where}：${day} 不在 ${year} 年的安排之内` };
      }
      if (last < first) return { ok: false, message: `${where} 字段 off：${last} 早于 ${first}` };
      const days = daysFrom(first, last);
      if (days.length > MAX_DAYS)
        return {
          ok: false,
          message: `${where} 字段 off：${first} 至 ${last} 共 ${days.length} 天，超过 ${MAX_DAYS} 天`,
        };
      for (const day of h.work) {
        if (weekday(day) !== 0 && weekday(day) !== 6)
          return { ok: false, message: `${where} 字段 work：${day} 不是周六或周日，调休上班只会在周末` };
      }
      for (const day of days) table.off.add(day);
      for (const day of h.work) table.work.add(day);
    }
  }
  const both = [...table.work].find((d) => table.off.has(d));
  if (both) return { ok: false, message: `${both} 既写成放假又写成调休上班` };
  return { ok: true, table };
}
