// Days and instants typed on a command line, read strictly: a day that does not exist
// (2026-13-01, 2026-02-30) is refused with a reason, never rolled over into another one.
import { addDays } from '../../domain/calendar';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$/;

const exists = (day: string) => !Number.isNaN(Date.parse(day)) && addDays(day, 0) === day;
const noSuchDay = (raw: string, day: string) => ({
  ok: false as const,
  message: `“${raw}”中的日期 ${day} 不存在（月份 01–12，日不超过当月天数）。`,
});

/** `2026-01-31`: a day in Shanghai. */
export function dayArg(raw: string): Parsed<string> {
  if (!DAY.test(raw)) return { ok: false, message: `“${raw}”不是日期，请写成 2026-01-31 的样子。` };
  return exists(raw) ? { ok: true, value: raw } : noSuchDay(raw, raw);
}

/** `2026-10-08T09:00+08:00` (or `2026-10-08 09:00`, read in Beijing time): an instant. */
export function instantArg(raw: string): Parsed<number> {
  const m = raw.match(INSTANT);
  if (!m && DAY.test(raw))
    return exists(raw)
      ? { ok: false, message: `“${raw}”只有日期，请写上时刻，如 ${raw}T09:00+08:00。` }
      : noSuchDay(raw, raw);
  if (!m)
    return { ok: false, message: `“${raw}”不是时刻，请写成 2026-10-08T09:00+08:00 的样子（不写时区按北京时间）。` };
  const [, day = '', hh = '', mm = '', ss = '00', zone] = m;
  if (!exists(day)) return noSuchDay(raw, day);
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59)
    return { ok: false, message: `“${raw}”中的时间 ${hh}:${mm} 不存在。` };
  const at = Date.parse(`${day}T${hh}:${mm}:${ss}${zone ?? '+08:00'}`);
  return Number.isNaN(at) ? { ok: false, message: `“${raw}”的时区看不懂，请写成 +08:00。` } : { ok: true, value: at };
}
