// The period a console page looks at: a month, a quarter or a year (the picker), written in the
// URL as the duty periods are written (2026-11, 2026Q4, 2026); and the duty periods inside it.
import { addDays, type Every, type Period, periodOf } from '../../../domain/calendar';

export type Span = 'month' | 'quarter' | 'year';
export interface Window extends Period {
  span: Span;
}

const FIRST_DAY: [Span, RegExp, (id: string) => string][] = [
  ['month', /^\d{4}-(0[1-9]|1[0-2])$/, (id) => `${id}-01`],
  ['quarter', /^\d{4}Q[1-4]$/, (id) => `${id.slice(0, 4)}-${String(Number(id.slice(5)) * 3 - 2).padStart(2, '0')}-01`],
  ['year', /^\d{4}$/, (id) => `${id}-01-01`],
];

/** The window a `?p=` names; anything else (or nothing) is this quarter. */
export function windowOf(param: string | undefined, today: string): Window {
  for (const [span, pattern, first] of FIRST_DAY)
    if (param && pattern.test(param)) return { span, ...periodOf(span, first(param)) };
  return { span: 'quarter', ...periodOf('quarter', today) };
}

/** The window of the same span `steps` before (negative) or after this one. */
export function shifted(w: Window, steps: number): Window {
  let day = w.first;
  for (let i = 0; i < Math.abs(steps); i++)
    day = steps < 0 ? addDays(periodOf(w.span, day).first, -1) : addDays(periodOf(w.span, day).last, 1);
  return { span: w.span, ...periodOf(w.span, day) };
}

/** The periods of `every` that overlap the window, in order (a quarter's months; a month's quarter). */
export function periodsIn(every: Every, w: Period): Period[] {
  const out: Period[] = [];
  for (let p = periodOf(every, w.first); p.first <= w.last; p = periodOf(every, addDays(p.last, 1))) out.push(p);
  return out;
}

export const SPAN_WORDS: Record<Span, string> = { month: '月', quarter: '季度', year: '年' };

/** 2026年11月, 2026年第4季度, 2026年. */
export function windowTitle(w: Window): string {
  if (w.span === 'month') return `${w.id.slice(0, 4)}年${Number(w.id.slice(5))}月`;
  if (w.span === 'quarter') return `${w.id.slice(0, 4)}年第${w.id.slice(5)}季度`;
  return `${w.id}年`;
}
