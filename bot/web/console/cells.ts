// The colour of a 台账 cell: green when every period of the duty that has begun is done, amber when
// only the one still running is missing (there is time), red when a period that has ended is missing,
// grey when nothing is expected (no 联系点 names the branch, or the period has not begun).
import type { Period } from '../../../domain/calendar';

export type State = 'ok' | 'due' | 'late' | 'none';

export interface Cell {
  state: State;
  /** What the cell shows: a count, a grade, a status. */
  label: string;
  /** A line under it: done of expected, a score, a deadline. */
  note?: string;
  /** A 研判 that found risk. */
  risk?: boolean;
  href: string;
}

/** The state of a duty done once per period, over the periods in view: which are done, as of `today`. */
export function cadenceState(periods: readonly Period[], done: ReadonlySet<string>, today: string) {
  const begun = periods.filter((p) => p.first <= today);
  const missing = begun.filter((p) => !done.has(p.id));
  const state: State =
    begun.length === 0 ? 'none' : missing.length === 0 ? 'ok' : missing.every((p) => p.last >= today) ? 'due' : 'late';
  return { state, done: begun.length - missing.length, expected: begun.length };
}

export const STATE_WORDS: Record<State, string> = { ok: '已完成', due: '进行中', late: '未完成', none: '不适用' };
