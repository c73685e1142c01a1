// What the console reads for a window, in a handful of queries whatever the number of branches:
// the organisations the viewer may see, the roster, the meetings with their counts, the visit and
// 研判 records of the duty periods the window touches, the graded 自查 and the open 整改.
import { atShanghai, type Period, periodOf } from '../../../cron/calendar';
import type { Duty } from '../../../cron/duties';
import type { FormDefinition } from '../../../handlers/selfcheck/definition';
import type { AppDb } from '../../../storage/db';
import { type DutyRecord, recordsIn } from '../../../storage/duty-records';
import { entriesWithStatus, type FormEntry, latestEntries } from '../../../storage/form-entries';
import { type MeetingTally, meetingTallies } from '../../../storage/meetings';
import { allOrgs, branchesOf, isNamed, type Org } from '../../../storage/orgs';
import { allMembers, hasRole, type Member } from '../../../storage/people';
import type { Scope } from '../../core/rights';
import { periodsIn } from './period';

export interface ConsoleData {
  db: AppDb;
  duties: readonly Duty[];
  forms: readonly FormDefinition[];
}

export interface Ledger {
  /** The branches the viewer sees (the rows), in path order. */
  branches: Org[];
  members: Member[];
  /** Meetings from the start of the first quarter the window touches to the end of its last. */
  meetings: MeetingTally[];
  visit?: { duty: Duty; records: DutyRecord[] };
  ideology?: { duty: Duty; records: DutyRecord[] };
  graded?: { form: FormDefinition; period: string; entries: Map<string, FormEntry> };
  /** 整改 not yet completed, by branch. */
  openRectifications: Map<string, FormEntry[]>;
}

const dutyOf = (duties: readonly Duty[], form: Duty['form']) => duties.find((d) => d.form === form);

export async function loadLedger(deps: ConsoleData, scope: Scope, window: Period): Promise<Ledger> {
  const { db } = deps;
  const [orgs, members] = await Promise.all([allOrgs(db), allMembers(db)]);
  const branches = branchesOf(orgs).filter((o) => scope.all || scope.orgIds.has(o.id));
  const quarters = periodsIn('quarter', window);
  const from = atShanghai(quarters[0]?.first ?? window.first, 0);
  const to = atShanghai(quarters.at(-1)?.last ?? window.last, 24) - 1;
  const records = async (form: Duty['form']) => {
    const duty = dutyOf(deps.duties, form);
    if (!duty) return undefined;
    const periods = periodsIn(duty.every, window).map((p) => p.id);
    return { duty, records: await recordsIn(db, duty.id, periods) };
  };
  const graded = deps.forms.find((f) => f.scoring);
  const rectification = deps.forms.find((f) => f.id === 'rectification');
  const gradedPeriod = graded ? periodOf(graded.every, window.first).id : '';
  const [meetings, visit, ideology, gradedEntries, open] = await Promise.all([
    meetingTallies(db, from, to),
    records('visit'),
    records('ideology'),
    graded ? latestEntries(db, graded.id, gradedPeriod) : Promise.resolve([]),
    rectification
      ? Promise.all([
          entriesWithStatus(db, rectification.id, 'draft'),
          entriesWithStatus(db, rectification.id, 'submitted'),
        ])
      : Promise.resolve([[], []]),
  ]);
  const openRectifications = new Map<string, FormEntry[]>();
  for (const e of open.flat()) openRectifications.set(e.orgId, [...(openRectifications.get(e.orgId) ?? []), e]);
  return {
    branches,
    members,
    meetings,
    ...(visit ? { visit } : {}),
    ...(ideology ? { ideology } : {}),
    ...(graded
      ? { graded: { form: graded, period: gradedPeriod, entries: new Map(gradedEntries.map((e) => [e.orgId, e])) } }
      : {}),
    openRectifications,
  };
}

/** The visits that name this branch (a 联系点 is written as the school's or the branch's name). */
export function visitsTo(ledger: Ledger, org: Org): DutyRecord[] {
  return (ledger.visit?.records ?? []).filter(
    (r) => typeof r.values.where === 'string' && isNamed(org, r.values.where),
  );
}

/** Whether some 班子成员 has this branch as a 联系点 (else no visit is expected of anyone). */
export function hasContact(ledger: Ledger, org: Org): boolean {
  return ledger.members.some((m) => hasRole(m, '班子成员') && m.contacts.some((c) => isNamed(org, c)));
}

/** The branch's 研判 records (made by its members). */
export function ideologyOf(ledger: Ledger, org: Org): DutyRecord[] {
  const own = new Set(ledger.members.filter((m) => m.orgId === org.id).map((m) => m.id));
  return (ledger.ideology?.records ?? []).filter((r) => own.has(r.memberId));
}
