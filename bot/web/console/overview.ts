// The landing page: a row per branch, a column per duty of the window — 联系点走访 (quarterly),
// 研判 (monthly, 存在风险 marked), meetings by type, 自查 and open 整改 — each cell coloured and
// counted, linking to the branch's detail.
import { atShanghai, type Period, shanghaiDate } from '../../../domain/calendar';
import { MEETING_CADENCE } from '../../../handlers/checkin/cadence';
import { statusLabel } from '../../../handlers/selfcheck/review';
import type { Org } from '../../../storage/orgs';
import { hasRole } from '../../../storage/people';
import { type Cell, cadenceState } from './cells';
import { ideologyOf, type Ledger, meetingsOf, membersOf, visitsTo } from './ledger';
import { periodsIn, type Window } from './period';

export interface Column {
  key: string;
  title: string;
  /** What the column counts, said once above the table. */
  hint: string;
}

export function columnsOf(ledger: Ledger): Column[] {
  return [
    ...(ledger.visit ? [{ key: 'visit', title: '联系点走访', hint: '每季度至少 1 次' }] : []),
    ...(ledger.ideology ? [{ key: 'ideology', title: '意识形态研判', hint: '每月上报' }] : []),
    ...Object.entries(MEETING_CADENCE).map(([type, every]) => ({
      key: `meeting:${type}`,
      title: type,
      hint: every === 'month' ? '每月' : '每季度',
    })),
    ...(ledger.graded ? [{ key: 'selfcheck', title: '分类定级自查', hint: ledger.graded.period }] : []),
    { key: 'rectification', title: '整改', hint: '未完成的整改' },
  ];
}

const cadenceCell = (
  periods: readonly Period[],
  dates: readonly string[],
  today: string,
  href: string,
  expected = true,
): Cell => {
  const done = new Set(periods.filter((p) => dates.some((d) => d >= p.first && d <= p.last)).map((p) => p.id));
  const s = cadenceState(expected ? periods : [], done, today);
  const count = dates.filter((d) => periods.some((p) => d >= p.first && d <= p.last)).length;
  return {
    state: s.state,
    label: expected || count > 0 ? String(count) : '—',
    ...(s.expected > 0 ? { note: `${s.done}/${s.expected}` } : {}),
    href,
  };
};

/** The cells of one branch's row, by column key. */
export function rowOf(ledger: Ledger, org: Org, w: Window, now: number): Record<string, Cell> {
  const today = shanghaiDate(now);
  const detail = `/admin/org/${encodeURIComponent(org.id)}?p=${w.id}`;
  const cells: Record<string, Cell> = {};
  if (ledger.visit) {
    const dates = visitsTo(ledger, org).map((r) => r.doneOn);
    const periods = periodsIn(ledger.visit.duty.every, w);
    cells.visit = cadenceCell(periods, dates, today, `${detail}#visits`, ledger.visit.contacted.has(org.id));
  }
  if (ledger.ideology) {
    const records = ideologyOf(ledger, org);
    const audience = membersOf(ledger, org).some((m) => hasRole(m, ledger.ideology?.duty.audience ?? '书记'));
    const periods = periodsIn(ledger.ideology.duty.every, w);
    // A 研判 answers its month, whenever it was filed: the period, not the day, is what counts.
    const dates = records.map((r) => periods.find((p) => p.id === r.period)?.first ?? r.doneOn);
    const cell = cadenceCell(periods, dates, today, `${detail}#ideology`, audience);
    if (records.some((r) => r.values.situation === '存在风险')) cell.risk = true;
    cells.ideology = cell;
  }
  const own = meetingsOf(ledger, org);
  for (const [type, every] of Object.entries(MEETING_CADENCE)) {
    const dates = own.filter((m) => m.type === type).map((m) => m.day);
    cells[`meeting:${type}`] = cadenceCell(periodsIn(every, w), dates, today, `${detail}#meetings`);
  }
  if (ledger.graded) {
    const { form, entries } = ledger.graded;
    const e = entries.get(org.id);
    const r = e?.result ?? {};
    const href = `${detail}#selfcheck`;
    const yearBegun = atShanghai(`${ledger.graded.period.slice(0, 4)}-01-01`, 0) <= now;
    cells.selfcheck =
      e?.status === 'reviewed'
        ? { state: 'ok', label: String(r.grade ?? ''), note: `${String(r.final ?? '')}分`, href }
        : e?.status === 'submitted'
          ? { state: 'due', label: statusLabel(form, e.status), note: `自评 ${String(r.self ?? '')}`, href }
          : e?.status === 'draft'
            ? { state: 'due', label: statusLabel(form, e.status), href }
            : { state: yearBegun ? 'late' : 'none', label: statusLabel(form, undefined), href };
  }
  const open = ledger.openRectifications.get(org.id) ?? [];
  const month = today.slice(0, 7);
  const overdue = open.filter((e) => typeof e.answers.deadline === 'string' && e.answers.deadline < month);
  const soonest = open
    .map((e) => e.answers.deadline)
    .filter((d) => typeof d === 'string')
    .sort()[0];
  cells.rectification = {
    state: open.length === 0 ? 'ok' : overdue.length > 0 ? 'late' : 'due',
    label: String(open.length),
    ...(soonest ? { note: `期限 ${soonest}` } : {}),
    href: `${detail}#rectification`,
  };
  return cells;
}
