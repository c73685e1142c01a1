// The year in pictures: 到会率 per branch and month, 研判 and visits per month, and how the
// branches were graded. Figures from the same ledger as the overview.
import { html } from 'hono/html';
import { shanghaiDate } from '../../../domain/calendar';
import { expects } from '../../../handlers/checkin/roll';
import { hasRole } from '../../../storage/people';
import type { Html } from './layout';
import { ideologyOf, type Ledger, type LedgerMeeting, membersOf, visitsTo } from './ledger';
import { periodsIn, type Window } from './period';
import { barChart, heatmap } from './svg';

const monthLabel = (id: string) => `${Number(id.slice(5))}月`;

/** 到会率 of each branch in each month of the year: members present of those expected (null: no meeting). */
export function attendanceRates(ledger: Ledger, year: Window) {
  const months = periodsIn('month', year);
  // How many a meeting expects depends on its type and 党小组 only: counted once for each.
  const expected = new Map<string, number>();
  const expectedAt = (m: LedgerMeeting) => {
    const key = `${m.orgId}:${m.type}:${m.partyGroup ?? ''}`;
    let n = expected.get(key);
    if (n === undefined) {
      const members = ledger.membersOf.get(m.orgId) ?? [];
      n = members.filter((p) => expects(m, p)).length;
      expected.set(key, n);
    }
    return n;
  };
  const sums = new Map<string, { present: number; expected: number }>();
  for (const m of [...ledger.meetingsOf.values()].flat()) {
    const key = `${m.orgId}:${m.day.slice(0, 7)}`;
    const s = sums.get(key) ?? { present: 0, expected: 0 };
    s.present += 'present' in m ? Number(m.present) : 0;
    s.expected += expectedAt(m);
    sums.set(key, s);
  }
  return {
    columns: months.map((p) => monthLabel(p.id)),
    rows: ledger.branches.map((org) => ({
      label: org.name,
      values: months.map((p) => {
        const s = sums.get(`${org.id}:${p.id}`);
        return s && s.expected > 0 ? Math.min(1, s.present / s.expected) : null;
      }),
    })),
  };
}

export function chartsPage(ledger: Ledger, year: Window, now: number): Html {
  const today = shanghaiDate(now);
  const months = periodsIn('month', year).filter((p) => p.first <= today);
  const reporting = ledger.branches.filter((o) =>
    membersOf(ledger, o).some((m) => hasRole(m, ledger.ideology?.duty.audience ?? '书记')),
  );
  const reported = reporting.map((o) => new Set(ideologyOf(ledger, o).map((r) => r.period)));
  const ideologyBars = months.map((p) => {
    const done = reported.filter((periods) => periods.has(p.id)).length;
    const share = reporting.length ? done / reporting.length : 0;
    return { label: monthLabel(p.id), value: share, text: `${Math.round(share * 100)}%` };
  });
  const visits = ledger.branches.flatMap((o) => visitsTo(ledger, o));
  const visitBars = months.map((p) => ({
    label: monthLabel(p.id),
    value: visits.filter((r) => r.doneOn >= p.first && r.doneOn <= p.last).length,
  }));
  const rates = attendanceRates(ledger, year);
  const grades: Map<string, number> = new Map(
    (ledger.graded?.form.scoring?.bands ?? []).map((b) => [b.grade, 0] as [string, number]),
  );
  let waiting = 0;
  let missing = 0;
  for (const o of ledger.branches) {
    const e = ledger.graded?.entries.get(o.id);
    const grade = e?.status === 'reviewed' ? String(e.result?.grade ?? '') : '';
    if (grade) grades.set(grade, (grades.get(grade) ?? 0) + 1);
    else if (e?.status === 'submitted') waiting++;
    else missing++;
  }
  const gradeBars = [
    ...[...grades].map(([label, value]) => ({ label, value })),
    { label: '待考评', value: waiting },
    { label: '未提交', value: missing },
  ];
  const maxOf = (bars: { value: number }[]) => Math.max(1, ...bars.map((b) => b.value));
  return html`<div class="charts">
<section class="card full" id="attendance"><h2>到会率（%，按月）</h2>
${heatmap({ title: `${year.id}年各支部到会率`, ...rates })}
<p class="muted">到会率 = 签到的本支部应到人员 ÷ 应到人数（按现有名册计算应到）；“—”为当月没有会议。</p></section>
<section class="card" id="ideology"><h2>意识形态研判按时上报（按月）</h2>
${barChart({ title: '研判上报率', bars: ideologyBars, max: 1, colour: '#b5121b' })}
<p class="muted">上报的支部 ÷ 有书记的支部（${reporting.length} 个）。</p></section>
<section class="card" id="visits"><h2>联系点走访（次数，按月）</h2>
${barChart({ title: '联系点走访次数', bars: visitBars, max: maxOf(visitBars), colour: '#d9822b' })}</section>
<section class="card" id="grades"><h2>分类定级（${ledger.graded?.period ?? ''}）</h2>
${barChart({ title: '分类定级分布', bars: gradeBars, max: maxOf(gradeBars), colour: '#3b7dd8' })}</section>
</div>`;
}
