// Which period a person means when they name one after a duty command: `研判情况 上月`,
// `上报研判 2026-11`, `联系点情况 2026Q3`. Only the duty's own kind of period is taken, and never
// one still to come.
import { type Every, type Period, periodOf, previousPeriod } from '../../domain/calendar';

const EXAMPLES: Record<Every, string> = {
  month: '2026-11、11月 或 上月',
  quarter: '2026Q3、2026年第三季度 或 上季度',
  'half-year': '2026H1、2026年上半年 或 上半年',
  year: '2026 或 去年',
};
const CURRENT = /^(本|这个?|当)(月|季度?|半年|年)$|^今年$/;
const PREVIOUS: Record<Every, RegExp> = {
  month: /^上个?月$/,
  quarter: /^上个?季度?$/,
  'half-year': /^上个?半年$/,
  year: /^去年$|^上一?年$/,
};
const QUARTER_WORDS = ['一', '二', '三', '四'];

/** The first day of the period `text` names, and the kind of period it is; null when it names none. */
function named(text: string, today: string): { every: Every; first: string } | null {
  const year = today.slice(0, 4);
  const pad = (n: number) => String(n).padStart(2, '0');
  let m = text.match(/^(\d{4})[-/.年](\d{1,2})月?$/) ?? text.match(/^()(\d{1,2})月$/);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return null;
    // A bare month later in the year than today is last year's (in January, 12月 is last December).
    const y = m[1] || (`${year}-${pad(month)}` > today.slice(0, 7) ? String(Number(year) - 1) : year);
    return { every: 'month', first: `${y}-${pad(month)}-01` };
  }
  m = text.match(/^(\d{4})?(?:年)?(?:Q|第)([1-4一二三四])(?:季度?)?$/i);
  if (m) {
    const q = QUARTER_WORDS.includes(m[2] ?? '') ? QUARTER_WORDS.indexOf(m[2] ?? '') + 1 : Number(m[2]);
    return { every: 'quarter', first: `${m[1] ?? year}-${pad((q - 1) * 3 + 1)}-01` };
  }
  m = text.match(/^(\d{4})?(?:年)?(?:H([12])|([上下])半年)$/i);
  if (m) {
    const half = m[2] === '2' || m[3] === '下' ? 2 : 1;
    return { every: 'half-year', first: `${m[1] ?? year}-${half === 1 ? '01' : '07'}-01` };
  }
  m = text.match(/^(\d{4})年?$/);
  return m ? { every: 'year', first: `${m[1]}-01-01` } : null;
}

/**
 * The period of `every` that `text` names as of `today` (a Shanghai date): the current one when
 * `text` is empty; otherwise the named one, or a message in words a member understands.
 */
export function periodNamed(every: Every, text: string, today: string): Period | { problem: string } {
  const said = text.normalize('NFKC').replace(/\s+/g, '');
  const current = periodOf(every, today);
  if (!said || CURRENT.test(said)) return current;
  if (PREVIOUS[every].test(said)) return previousPeriod(every, current);
  const found = named(said, today);
  if (!found || found.every !== every) return { problem: `看不懂“${text.trim()}”，请写成 ${EXAMPLES[every]}。` };
  const period = periodOf(every, found.first);
  if (period.first > current.first) return { problem: `${period.id} 还没到。` };
  return period;
}

/** The period of `every` with this id (`2026-11`, `2026Q4`, `2026H2`, `2026`), as records store it. */
export function periodById(every: Every, id: string): Period {
  return periodOf(every, named(id, `${id.slice(0, 4)}-12-31`)?.first ?? `${id.slice(0, 4)}-01-01`);
}

/** A record made after its period ended: a 补报 (a visit is dated inside its quarter, so never one). */
export function isLate(record: { doneOn: string }, period: Period): boolean {
  return record.doneOn > period.last;
}
