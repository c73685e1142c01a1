// What the console reads for a window, in a handful of queries whatever the number of branches:
// the organisations the viewer may see, the roster, the meetings (with their attendance counts when
// a page shows them), the visit and 研判 records of the duty periods the window touches, the graded
// 自查 and the open 整改 — then indexed by branch once, so a page of fifty rows reads maps.
import { atShanghai, type Period, periodOf, shanghaiDate } from '../../../domain/calendar';
import type { Duty } from '../../../domain/duties';
import type { FormDefinition } from '../../../domain/forms';
import type { Scope } from '../../../handlers/rights';
import type { AppDb } from '../../../storage/db';
import { type DutyRecord, recordsIn } from '../../../storage/duty-records';
import { entriesWithStatus, type FormEntry, latestEntries } from '../../../storage/form-entries';
import { type MeetingRow, type MeetingTally, meetingsBetween, meetingTallies } from '../../../storage/meetings';
import { allOrgs, branchesOf, isNamed, type Org } from '../../../storage/orgs';
import { allMembers, hasRole, type Member } from '../../../storage/people';
import { periodsIn } from './period';

export interface ConsoleData {
  db: AppDb;
  duties: readonly Duty[];
  forms: readonly FormDefinition[];
}

/** A meeting with its Shanghai day, and its counts where the page asked for them. */
export type LedgerMeeting = (MeetingRow | MeetingTally) & { day: string };

export interface Ledger {
  /** The branches the viewer sees (the rows), in path order. */
  branches: Org[];
  membersOf: Map<string, Member[]>;
  memberById: Map<string, Member>;
  /** Meetings from the start of the first quarter the window touches to the end of its last, by branch. */
  meetingsOf: Map<string, LedgerMeeting[]>;
  visit?: { duty: Duty; to: Map<string, DutyRecord[]>; contacted: Set<string> };
  ideology?: { duty: Duty; of: Map<string, DutyRecord[]> };
  graded?: { form: FormDefinition; period: string; entries: Map<string, FormEntry> };
  /** 整改 not yet completed, by branch. */
  openRectifications: Map<string, FormEntry[]>;
}

const dutyOf = (duties: readonly Duty[], form: Duty['form']) => duties.find((d) => d.form === form);

function groupBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

/** Most organisations one statement may name (D1 binds 100 parameters; the window takes two). */
const MAX_NAMED = 90;

export async function loadLedger(
  deps: ConsoleData,
  scope: Scope,
  window: Period,
  opts: { counts?: boolean } = {},
): Promise<Ledger> {
  const { db } = deps;
  const [orgs, members] = await Promise.all([allOrgs(db), allMembers(db)]);
  const branches = branchesOf(orgs).filter((o) => scope.all || scope.orgIds.has(o.id));
  const visible = new Set(branches.map((o) => o.id));
  const named = !scope.all && visible.size <= MAX_NAMED ? [...visible] : undefined;
  const quarters = periodsIn('quarter', window);
  const from = atShanghai(quarters[0]?.first ?? window.first, 0);
  const to = atShanghai(quarters.at(-1)?.last ?? window.last, 24) - 1;
  const records = async (form: Duty['form']) => {
    const duty = dutyOf(deps.duties, form);
    return duty
      ? {
          duty,
          records: await recordsIn(
            db,
            duty.id,
            periodsIn(duty.every, window).map((p) => p.id),
          ),
        }
      : undefined;
  };
  const graded = deps.forms.find((f) => f.scoring);
  const rectification = deps.forms.find((f) => f.id === 'rectification');
  const gradedPeriod = graded ? periodOf(graded.every, window.first).id : '';
  const [meetings, visit, ideology, gradedEntries, open] = await Promise.all([
    opts.counts ? meetingTallies(db, from, to, named) : meetingsBetween(db, from, to, named),
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
  const orgOfMember = new Map(members.map((m) => [m.id, m.orgId]));
  // A 联系点 is written as the school's or the branch's name.
  const namedBranch = (name: unknown) =>
    typeof name === 'string' ? branches.find((o) => isNamed(o, name))?.id : undefined;
  const contacted = new Set(
    members
      .filter((m) => hasRole(m, '班子成员'))
      .flatMap((m) => m.contacts.map(namedBranch).filter((id) => id !== undefined)),
  );
  return {
    branches,
    membersOf: groupBy(members, (m) => m.orgId),
    memberById: new Map(members.map((m) => [m.id, m])),
    meetingsOf: groupBy(
      meetings.filter((m) => visible.has(m.orgId)).map((m) => ({ ...m, day: shanghaiDate(m.startsAt) })),
      (m) => m.orgId,
    ),
    ...(visit
      ? { visit: { duty: visit.duty, to: groupBy(visit.records, (r) => namedBranch(r.values.where)), contacted } }
      : {}),
    ...(ideology
      ? { ideology: { duty: ideology.duty, of: groupBy(ideology.records, (r) => orgOfMember.get(r.memberId)) } }
      : {}),
    ...(graded
      ? { graded: { form: graded, period: gradedPeriod, entries: new Map(gradedEntries.map((e) => [e.orgId, e])) } }
      : {}),
    openRectifications: groupBy(open.flat(), (e) => e.orgId),
  };
}

/** The visits that name this branch. */
export const visitsTo = (ledger: Ledger, org: Org): DutyRecord[] => ledger.visit?.to.get(org.id) ?? [];

/** The branch's 研判 records (made by its members). */
export const ideologyOf = (ledger: Ledger, org: Org): DutyRecord[] => ledger.ideology?.of.get(org.id) ?? [];

export const membersOf = (ledger: Ledger, org: Org): Member[] => ledger.membersOf.get(org.id) ?? [];
export const meetingsOf = (ledger: Ledger, org: Org): LedgerMeeting[] => ledger.meetingsOf.get(org.id) ?? [];
