// The 换届 notice: the superior organisation tells a branch six months before its committee's
// term ends (建始通知 二、(二)“上级党组织对任期届满的党支部提前6个月通知，提醒做好换届准备”).
// From the first workday of the month six months ahead until the term's end, the branch's 书记
// and the superior's 书记 (its admins when it has none) are told once each.
import type { Assistant } from '../bot/core/assistant';
import type { Card } from '../cards/model';
import { addDays, atShanghai, periodOf, shanghaiDate, workdayFrom } from '../domain/calendar';
import { basisOf } from '../handlers/duties';
import { allOrgs } from '../storage/orgs';
import { leadersOf, superiorLeadersOf } from '../storage/people';
import { isQuiet } from './duty-reminders';
import { Planned } from './planned';

const BASIS = { doc: '003_1a5507e8c81473ec.txt', quote: '上级党组织对任期届满的党支部提前6个月通知，提醒做好换届准备' };
const HOUR = 9;

/** The day the notice for a term ending in `termEnds` (YYYY-MM) goes out: six months before, on a workday. */
export function termNoticeDay(termEnds: string): string {
  const [y, m] = termEnds.split('-').map(Number) as [number, number];
  const months = y * 12 + (m - 1) - 6;
  const month = periodOf('month', `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}-01`);
  return workdayFrom(month.first, month.last);
}

/**
 * Tells each organisation in its notice window, once; an organisation told in full is marked
 * (planned.ts), so a run with nothing new reads the organisations and the marks: two statements.
 */
export async function remindTerms(assistant: Assistant, now: Date): Promise<number> {
  if (isQuiet(now.getTime())) return 0;
  const today = shanghaiDate(now.getTime());
  const due = (await allOrgs(assistant.db)).flatMap((org) => {
    if (!org.termEnds) return [];
    const last = periodOf('month', `${org.termEnds}-01`).last;
    if (now.getTime() < atShanghai(termNoticeDay(org.termEnds), HOUR) || today > last) return [];
    return [{ org, termEnds: org.termEnds, last, unit: `term:${org.id}:${org.termEnds}` }];
  });
  if (due.length === 0) return 0;
  const planned = await Planned.read(
    assistant,
    due.map((d) => d.unit),
  );
  let stored = 0;
  let basis: string | undefined;
  for (const { org, termEnds, last, unit } of due) {
    if (planned.has(unit)) continue;
    if (!assistant.budget.allows()) return stored;
    basis ??= await basisOf(assistant.db, BASIS);
    const card: Card = {
      title: '换届提醒',
      body: `**${org.name}**的任期将于 **${termEnds}** 届满（${addDays(last, 1)} 前），请提前做好换届准备。\n\n依据：${basis}`,
    };
    const people = [...(await leadersOf(assistant.db, org.id)), ...(await superiorLeadersOf(assistant.db, org.id))];
    const unique = people.filter((p, i) => people.findIndex((q) => q.id === p.id) === i);
    stored += await assistant.notifyAll(
      unique.map((m) => ({
        memberId: m.id,
        key: `term:${org.id}:${termEnds}:${m.id}`,
        outputs: [{ type: 'card' as const, card }],
      })),
    );
    await planned.done(unit);
  }
  return stored;
}
