// Reminds each duty's audience at each stage of each period, once per (duty, period, person,
// stage): the outbox key is that tuple, so planning again (a crash mid fan-out, a restart, a
// second process) stores nothing twice. Only the latest stage whose time has come is planned,
// so a process that was down sends the reminder still useful, not a backlog of stale ones.
import type { Assistant } from '../bot/core/assistant';
import {
  addDays,
  atShanghai,
  type Period,
  periodOf,
  previousPeriod,
  shanghaiDate,
  shanghaiHour,
  workdayFrom,
} from '../domain/calendar';
import { type Duty, reminderPrefix } from '../domain/duties';
import { basisOf, dutyCard } from '../handlers/duties';
import { recordedAmong, recordsOf } from '../storage/duty-records';
import { latestEntries } from '../storage/form-entries';
import { orgsByIds } from '../storage/orgs';
import { cancelPending, keysBetween, pendingKeysStartingWith } from '../storage/outbox';
import { type Member, membersWithRole, membersWithRolePage } from '../storage/people';
import { yieldToEventLoop } from '../storage/yield';
import { Planned } from './planned';

type Stage = Duty['stages'][number];

/** People per page of a fan-out (a crash part way leaves the rest to the next run, keyed as before). */
const FAN_OUT_PAGE = 200;

/** People per page of the overdue report, which only reads them: a few statements for a large district. */
const REPORT_PAGE = 1000;

/** No reminder is handed over outside these Shanghai hours. */
export const QUIET = { from: 21, to: 8 };

export interface Due {
  duty: Duty;
  period: Period;
  stage: Stage;
  /** When the stage's reminders go out. */
  at: number;
}

/** The day a stage falls on in a period: its nominal day, moved to a workday inside the period. */
export function stageDate(stage: Stage, period: Period): string {
  const nominal =
    stage.day !== undefined
      ? addDays(period.first, stage.day - 1)
      : stage.on !== undefined
        ? `${period.first.slice(0, 4)}-${stage.on}`
        : addDays(period.last, -(stage.beforeEnd ?? 0));
  // biome-ignore lint/complexity/useMathMinMax: ISO dates compare as strings; Math.min would make them NaN
  const inside = nominal > period.last ? period.last : nominal < period.first ? period.first : nominal;
  return workdayFrom(inside, period.last);
}

export function stagesOf(duty: Duty, period: Period): Due[] {
  return duty.stages.map((stage) => ({ duty, period, stage, at: atShanghai(stageDate(stage, period), duty.hour) }));
}

export function isQuiet(now: number): boolean {
  const hour = shanghaiHour(now);
  return hour >= QUIET.from || hour < QUIET.to;
}

/**
 * For each duty, the latest stage of the current period whose time has come, outside quiet hours;
 * none once that stage has outlived its `lastsDays` (a “七一” reminder is no use in November).
 */
export function dueAt(duties: readonly Duty[], now: number): Due[] {
  if (isQuiet(now)) return [];
  return duties.flatMap((duty) => {
    const reached = stagesOf(duty, periodOf(duty.every, shanghaiDate(now))).filter((d) => d.at <= now);
    const latest = reached[reached.length - 1];
    const stale = latest?.stage.lastsDays !== undefined && now >= latest.at + latest.stage.lastsDays * 86_400_000;
    return latest && !stale ? [latest] : [];
  });
}

/** The stages falling in the next `days` days, in time order (for `npm run jobs -- list`). */
export function upcoming(duties: readonly Duty[], now: number, days: number): Due[] {
  const until = now + days * 86_400_000;
  const seen = new Set<string>();
  const out: Due[] = [];
  for (let d = shanghaiDate(now); atShanghai(d, 0) <= until; d = addDays(d, 1)) {
    for (const duty of duties) {
      const period = periodOf(duty.every, d);
      if (seen.has(`${duty.id}:${period.id}`)) continue;
      seen.add(`${duty.id}:${period.id}`);
      out.push(...stagesOf(duty, period).filter((s) => s.at >= now && s.at <= until));
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * Plans what is due at `now` into the outbox; the number of reminders newly stored. A stage whose
 * fan-out was planned in full (see planned.ts) is skipped without a read, so the run every ten
 * minutes costs a couple of statements while nothing new is due. Each stage and each fan-out batch
 * is a step of the bot's budget: when one does not fit, the run stops and the next one goes on
 * from the keys already stored.
 */
export async function remindDuties(assistant: Assistant, duties: readonly Duty[], now: Date): Promise<number> {
  const t = now.getTime();
  const due = dueAt(duties, t);
  const overdue = isQuiet(t) ? [] : duties.flatMap((duty) => overdueUnit(duty, t));
  let stored = 0;
  if (due.length > 0 || overdue.length > 0) {
    const planned = await Planned.read(assistant, [...due.map(stageUnit), ...overdue.map((o) => o.unit)]);
    for (const d of due) {
      if (planned.has(stageUnit(d))) continue;
      if (!assistant.budget.allows()) return stored;
      const r = await remindStage(assistant, d, planned);
      stored += r.stored;
      if (!r.complete) return stored;
      await planned.done(stageUnit(d));
    }
    for (const o of overdue) {
      if (planned.has(o.unit)) continue;
      if (!assistant.budget.allows()) return stored;
      stored += await reportOverdue(assistant, o.duty, o.before);
      await planned.done(o.unit);
    }
  }
  await dropPlannedForDone(assistant, duties, t);
  return stored;
}

const stageUnit = (d: Due) => `duty:${d.duty.id}:${d.period.id}:${d.stage.name}`;

/**
 * Reminds a stage's audience a page of people at a time (in member id order), never the whole
 * roster at once: who did the duty, who was planned already and who can be reached are read for
 * the page, its cards built and written, and the page recorded as reached. Incomplete when the
 * budget stopped it part way; the next run takes up after the last page recorded.
 */
async function remindStage(
  assistant: Assistant,
  due: Due,
  planned: Planned,
): Promise<{ stored: number; complete: boolean }> {
  const unit = stageUnit(due);
  const stage = due.duty.stages.indexOf(due.stage);
  const keyOf = (m: Member) => `${reminderPrefix(due.duty.id, due.period.id, m.id)}${due.stage.name}`;
  const basis = await basisOf(assistant.db, due.duty.basis);
  const doneOrgs = await orgsDone(assistant, due.duty, due.period);
  let { after, unreachable } = planned.progress(unit);
  let stored = 0;
  for (let page = 0; ; page++) {
    if (page > 0) {
      if (!assistant.budget.allows()) return { stored, complete: false };
      // The database calls are synchronous on Node: between pages the server answers what came in.
      await yieldToEventLoop();
    }
    const people = await membersWithRolePage(assistant.db, due.duty.audience, after, FAN_OUT_PAGE);
    const last = people.at(-1);
    if (!last) break;
    const done = await doneAmong(assistant, due.duty, due.period, people, doneOrgs);
    const reached = await stageReached(assistant, due, people[0]?.id ?? '', last.id);
    const todo = people.filter((m) => !done.has(m.id) && (reached.get(m.id) ?? -1) < stage);
    const cannot = new Set(await assistant.unreachable(todo.map((m) => m.id)));
    // Nobody to build cards for who cannot be reached: they are reported instead, once.
    unreachable = [...unreachable, ...todo.filter((m) => cannot.has(m.id)).map((m) => m.name)];
    const lead = due.stage.lead;
    const sends = todo
      .filter((m) => !cannot.has(m.id))
      .map((m) => ({
        memberId: m.id,
        key: keyOf(m),
        outputs: [{ type: 'card' as const, card: dutyCard(due.duty, due.period, m, basis, { lead }) }],
      }));
    if (sends.length > 0) stored += await assistant.notifyAll(sends);
    after = last.id;
    await planned.advance(unit, { after, unreachable });
  }
  stored += await reportUnreachable(assistant, due, unreachable);
  return { stored, complete: true };
}

/**
 * Reminders planned for a later hour (`jobs run --at` ahead) that the person no longer needs: the
 * duty was done since. A confirmation on the card drops its own at once; this catches the rest,
 * e.g. a self-check form submitted, before they fall due. One read finds every duty's pending
 * reminders; only a duty that has some reads who did it.
 */
async function dropPlannedForDone(assistant: Assistant, duties: readonly Duty[], now: number): Promise<void> {
  const pending = await pendingKeysStartingWith(assistant.db, 'duty:');
  if (pending.length === 0) return;
  for (const duty of duties) {
    const period = periodOf(duty.every, shanghaiDate(now));
    const prefix = reminderPrefix(duty.id, period.id);
    const mine = pending.filter((key) => key.startsWith(prefix));
    if (mine.length === 0) continue;
    const done = await doneBy(assistant, duty, period);
    const members = new Set(mine.map((key) => key.split(':')[3] ?? '').filter((id) => done.has(id)));
    await cancelPending(
      assistant.db,
      [...members].map((id) => reminderPrefix(duty.id, period.id, id)),
    );
  }
}

/**
 * For each person of a page (member ids `first` to `last`), the latest stage of the due period
 * already planned for them (its index in the duty's stages). A stage is planned only for people
 * below it: run for an earlier instant after a later one (`jobs run --at` into the past), the
 * earlier stage never follows the later one.
 */
async function stageReached(assistant: Assistant, due: Due, first: string, last: string): Promise<Map<string, number>> {
  const reached = new Map<string, number>();
  const prefix = reminderPrefix(due.duty.id, due.period.id);
  // Keys are duty:<duty>:<period>:<member>:<stage>#<output> (reminderPrefix).
  for (const key of await keysBetween(assistant.db, `${prefix}${first}`, `${prefix}${last}:\uffff`)) {
    const [, , , member = '', stage = ''] = key.split(':');
    const index = due.duty.stages.findIndex((s) => s.name === stage.replace(/#\d+$/, ''));
    reached.set(member, Math.max(reached.get(member) ?? -1, index));
  }
  return reached;
}

/**
 * The admins learn, once per duty and period, who should have been reminded but has no account
 * the bot can reach (a roster row without a WeCom or DingTalk id): they can tell them another way.
 */
async function reportUnreachable(assistant: Assistant, due: Due, names: readonly string[]): Promise<number> {
  if (names.length === 0) return 0;
  const card = {
    title: `${due.duty.title} · 无法提醒的人员`,
    body: `${due.period.id} 的${due.duty.title}提醒发不到以下 ${names.length} 人（名册里没有可用的企业微信或钉钉账号），请另行通知并补全名册：\n${names.map((n) => `- ${n}`).join('\n')}`,
  };
  const admins = await membersWithRole(assistant.db, '管理员');
  const cannot = new Set(await assistant.unreachable(admins.map((a) => a.id)));
  return assistant.notifyAll(
    admins
      .filter((a) => !cannot.has(a.id))
      .map((a) => ({
        memberId: a.id,
        key: `duty-unreachable:${due.duty.id}:${due.period.id}:${a.id}`,
        outputs: [{ type: 'card' as const, card }],
      })),
  );
}

/**
 * Who did a duty in a period: those with a record, or for a duty that opens a self-check form,
 * everyone in a branch whose entry of the period was submitted.
 */
async function doneBy(assistant: Assistant, duty: Duty, period: Period): Promise<Set<string>> {
  const orgs = await orgsDone(assistant, duty, period);
  if (!orgs) return new Set((await recordsOf(assistant.db, duty.id, period.id)).map((r) => r.memberId));
  return new Set(
    (await membersWithRole(assistant.db, duty.audience)).filter((m) => orgs.has(m.orgId)).map((m) => m.id),
  );
}

/** Of a page of people, those who did the duty in the period (`orgs`: see orgsDone). */
async function doneAmong(
  assistant: Assistant,
  duty: Duty,
  period: Period,
  people: readonly Member[],
  orgs: Set<string> | undefined,
): Promise<Set<string>> {
  if (orgs) return new Set(people.filter((m) => orgs.has(m.orgId)).map((m) => m.id));
  return recordedAmong(
    assistant.db,
    duty.id,
    period.id,
    people.map((m) => m.id),
  );
}

/** For a duty that opens a self-check form, the branches whose entry of the period was submitted; else undefined. */
async function orgsDone(assistant: Assistant, duty: Duty, period: Period): Promise<Set<string> | undefined> {
  if (!duty.opens) return undefined;
  const entries = await latestEntries(assistant.db, duty.opens, period.id);
  return new Set(entries.filter((e) => e.status !== 'draft').map((e) => e.orgId));
}

/** The overdue report of the period before, once the current period's first workday has come. */
function overdueUnit(duty: Duty, now: number): { duty: Duty; before: Period; unit: string }[] {
  const current = periodOf(duty.every, shanghaiDate(now));
  if (now < atShanghai(workdayFrom(current.first, current.last), duty.hour)) return [];
  const before = previousPeriod(duty.every, current);
  return [{ duty, before, unit: `duty-overdue:${duty.id}:${before.id}` }];
}

/**
 * On the first workday of a period the admins get who did not do the duty in the period before
 * (once each: the key names duty, period and admin). Only those the bot reminded in that period
 * count: a period before the deployment, or before someone joined, is nobody's fault here.
 * Nothing is sent when everyone did it.
 */
async function reportOverdue(assistant: Assistant, duty: Duty, before: Period): Promise<number> {
  // Reported already (one row per admin): nothing to read again for the rest of the period.
  if ((await assistant.plannedKeys(`duty-overdue:${duty.id}:${before.id}:`)).length > 0) return 0;
  const prefix = reminderPrefix(duty.id, before.id);
  const doneOrgs = await orgsDone(assistant, duty, before);
  const missing: Pick<Member, 'name' | 'orgId'>[] = [];
  // The audience a page at a time, as a fan-out reads it (larger pages: nothing is built for them).
  for (let after = ''; ; ) {
    const people = await membersWithRolePage(assistant.db, duty.audience, after, REPORT_PAGE);
    const last = people.at(-1);
    if (!last) break;
    // Keys are duty:<duty>:<period>:<member>:<stage> (reminderPrefix).
    const keys = await keysBetween(assistant.db, `${prefix}${people[0]?.id}`, `${prefix}${last.id}:\uffff`);
    const reminded = new Set(keys.map((key) => key.split(':')[3]));
    const done = await doneAmong(assistant, duty, before, people, doneOrgs);
    for (const m of people) if (reminded.has(m.id) && !done.has(m.id)) missing.push({ name: m.name, orgId: m.orgId });
    after = last.id;
    await yieldToEventLoop();
  }
  missing.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (missing.length === 0) return 0;
  const orgs = new Map(
    (await orgsByIds(assistant.db, [...new Set(missing.map((m) => m.orgId))])).map((o) => [o.id, o.name]),
  );
  const card = {
    title: `${duty.title} · ${before.id} 未完成名单`,
    body: `${before.first} 至 ${before.last}，以下 ${missing.length} 人没有${duty.title}记录：\n${missing
      .map((m) => `- ${m.name}（${orgs.get(m.orgId) ?? ''}）`)
      .join('\n')}`,
  };
  return assistant.notifyAll(
    (await membersWithRole(assistant.db, '管理员')).map((admin) => ({
      memberId: admin.id,
      key: `duty-overdue:${duty.id}:${before.id}:${admin.id}`,
      outputs: [{ type: 'card' as const, card }],
    })),
  );
}
