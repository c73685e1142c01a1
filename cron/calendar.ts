// Dates as the users live them: Asia/Shanghai (UTC+8, no daylight saving) whatever the server's
// zone, and workdays as the State Council sets them, with 调休 Saturdays and Sundays. Holiday
// data comes from `chinese-days`; a new year's schedule arrives with a new version of it
// (`npm install chinese-days@latest`), and a year it does not cover yet counts weekends only.
import chineseDays from 'chinese-days';

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

/** True when the holiday data knows the year (元旦 is a holiday every year). */
export function hasHolidayData(year: number): boolean {
  return chineseDays.getDayDetail(`${year}-01-01`).name.includes('元旦');
}

export function isWorkday(date: string): boolean {
  if (hasHolidayData(Number(date.slice(0, 4)))) return chineseDays.isWorkday(date);
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
