// Reminds a branch of its 整改表's deadline and asks it to confirm completion: on the first
// workday of the month it named, and again on the first workday after it (once each, keyed by
// entry, stage and person), until the branch presses 已完成整改.
import type { Assistant } from '../bot/core/assistant';
import type { Card } from '../cards/model';
import { addDays, atShanghai, periodOf, workdayFrom } from '../domain/calendar';
import { entriesWithStatus } from '../storage/form-entries';
import { orgById } from '../storage/orgs';
import { leadersOf } from '../storage/people';
import { isQuiet } from './duty-reminders';
import { Planned } from './planned';

const HOUR = 9;

/** The stages of a deadline month `YYYY-MM`: its first workday, and the first workday after it. */
export function rectificationStages(deadline: string): { name: 'due' | 'late'; at: number }[] {
  const month = periodOf('month', `${deadline}-01`);
  const after = periodOf('month', addDays(month.last, 1));
  return [
    { name: 'due', at: atShanghai(workdayFrom(month.first, month.last), HOUR) },
    { name: 'late', at: atShanghai(workdayFrom(after.first, after.last), HOUR) },
  ];
}

/**
 * Reminds each submitted 整改表's branch at the stage its deadline has reached; a stage planned
 * in full is marked (planned.ts), so a run with nothing new reads the submitted entries and the
 * marks: two statements.
 */
export async function remindRectifications(assistant: Assistant, now: Date): Promise<number> {
  if (isQuiet(now.getTime())) return 0;
  const due = (await entriesWithStatus(assistant.db, 'rectification', 'submitted')).flatMap((entry) => {
    const deadline = String(entry.answers.deadline ?? '');
    if (!/^\d{4}-\d{2}$/.test(deadline)) return [];
    const stage = rectificationStages(deadline)
      .filter((s) => s.at <= now.getTime())
      .pop();
    return stage ? [{ entry, deadline, stage, unit: `rectify:${entry.id}:${stage.name}` }] : [];
  });
  if (due.length === 0) return 0;
  const planned = await Planned.read(
    assistant,
    due.map((d) => d.unit),
  );
  let stored = 0;
  for (const { entry, deadline, stage, unit } of due) {
    if (planned.has(unit)) continue;
    if (!assistant.budget.allows()) return stored;
    const org = await orgById(assistant.db, entry.orgId);
    const card: Card = {
      title: stage.name === 'due' ? '整改提醒：本月到期' : '整改提醒：期限已过',
      body: [
        `${org?.name ?? ''} ${entry.period} 整改表定于 **${deadline}** 完成整改。`,
        `存在的主要问题：${String(entry.answers.problems ?? '')}`,
        `主要整改措施：${String(entry.answers.measures ?? '')}`,
        stage.name === 'due'
          ? '完成后请点“已完成整改”。'
          : '如已完成请点“已完成整改”；未完成的请抓紧并向定点联系人说明。',
      ].join('\n'),
      buttons: [{ action: `selfcheck.done:${entry.id}`, label: '已完成整改', style: 'primary' }],
      status: `定点联系人：${String(entry.answers.contact ?? '')}`,
    };
    const sends = (await leadersOf(assistant.db, entry.orgId)).map((m) => ({
      memberId: m.id,
      key: `rectify:${entry.id}:${stage.name}:${m.id}`,
      outputs: [{ type: 'card' as const, card }],
    }));
    stored += await assistant.notifyAll(sends);
    await planned.done(unit);
  }
  return stored;
}
