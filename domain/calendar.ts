// Dates as the users live them: Asia/Shanghai (UTC+8, no daylight saving) whatever the server's
// zone, and workdays as the State Council sets them, with 调休 Saturdays and Sundays. A year's
// schedule comes from the operator's holiday file (data/holidays.json, set once at start-up by
// `useHolidays`) when it has the year, else from `chinese-days`; a year neither knows counts
// weekends only, and `jobs list` and the start-up log say so.
import chineseDays from 'chinese-days';
import { type HolidayTable, NO_HOLIDAYS } from './holidays';

const SHANGHAI_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an instant, in Shanghai. */
export function shanghaiDate(at: number): string {
  return new Date(at + SHANGHAI_MS).toISOString().slice(0, 10);
}

/** The hour (0–23) of an instant, in Shanghai. */
export function shanghaiHour(at: number): number {
  return new Date(at + SHANGHAI_MS).getUTCHours();
}

/** The instant of `date` at `hour`:00 in Shanghai. */
export function atShanghai(date: string, hour: number): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_MS + hour * 3600_000;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The operator's holiday file, for this process: set by each entry (Node, the Worker, the CLIs) as it starts. */
let holidayFile: HolidayTable = NO_HOLIDAYS;

export function useHolidays(table: HolidayTable): void {
  holidayFile = table;
}

/** True when `chinese-days` knows the year (元旦 is a holiday every year). */
function packageKnows(year: number): boolean {
  return chineseDays.getDayDetail(`${year}-01-01`).name.includes('元旦');
}

/** True when the holiday file or `chinese-days` knows the year. */
export function hasHolidayData(year: number): boolean {
  return holidayFile.years.has(year) || packageKnows(year);
}

/**
 * The years a schedule planned at `now` for the next `days` days touches without holiday data:
 * those the days cover, and from October (when the State Council publishes it) the coming year.
 */
export function yearsWithoutHolidays(now: number, days: number): number[] {
  const first = Number(shanghaiDate(now).slice(0, 4));
  const last = Number(shanghaiDate(now + days * DAY_MS).slice(0, 4));
  const coming = Number(shanghaiDate(now).slice(5, 7)) >= 10 ? first + 1 : first;
  const years: number[] = [];
  for (let y = first; y <= Math.max(last, coming); y++) if (!hasHolidayData(y)) years.push(y);
  return years;
}

export function isWorkday(date: string): boolean {
  if (holidayFile.off.has(date)) return false;
  if (holidayFile.work.has(date)) return true;
  const year = Number(date.slice(0, 4));
  if (!holidayFile.years.has(year) && packageKnows(year)) return chineseDays.isWorkday(date);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The first workday on or after `date`; or, when none comes by `last`, the last one before it. */
export function workdayFrom(date: string, last: string): string {
  for (let d = date; d <= last; d = addDays(d, 1)) if (isWorkday(d)) return d;
  for (let d = addDays(date, -1); ; d = addDays(d, -1)) if (isWorkday(d)) return d;
}

export type Every = 'month' | 'quarter' | 'half-year' | 'year';
const MONTHS: Record<Every, number> = { month: 1, quarter: 3, 'half-year': 6, year: 12 };

export interface Period {
  /** `2026-11`, `2026Q4`, `2026H2`, `2026`. */
  id: string;
  first: string;
  last: string;
}

/** The period of `every` that holds `date`. */
export function periodOf(every: Every, date: string): Period {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const span = MONTHS[every];
  const index = Math.floor((month - 1) / span);
  const startMonth = index * span + 1;
  const first = `${year}-${String(startMonth).padStart(2, '0')}-01`;
  const next =
    startMonth + span > 12 ? `${year + 1}-01-01` : `${year}-${String(startMonth + span).padStart(2, '0')}-01`;
  const id =
    every === 'month'
      ? date.slice(0, 7)
      : every === 'quarter'
        ? `${year}Q${index + 1}`
        : every === 'half-year'
          ? `${year}H${index + 1}`
          : String(year);
  return { id, first, last: addDays(next, -1) };
}

/** The period just before `period`. */
export function previousPeriod(every: Every, period: Period): Period {
  return periodOf(every, addDays(period.first, -1));
}
