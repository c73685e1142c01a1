// One branch in detail for the window: its meetings with who came, its 联系点 visits, its 研判
// (risks and measures), its 自查 sheets as submitted and as reviewed, and its 整改 with deadlines.
import { html } from 'hono/html';
import { periodOf, shanghaiDate } from '../../../domain/calendar';
import { type FormDefinition, itemsOf } from '../../../domain/forms';
import { expects } from '../../../handlers/checkin/roll';
import { meetingName } from '../../../handlers/checkin/view';
import { replyLine } from '../../../handlers/duties/risk';
import { labelOf } from '../../../handlers/selfcheck/pages';
import { statusLabel } from '../../../handlers/selfcheck/review';
import type { DutyRecord } from '../../../storage/duty-records';
import { repliesTo } from '../../../storage/duty-replies';
import { entriesOfOrg, type FormEntry, latestEntry } from '../../../storage/form-entries';
import { attendanceOf } from '../../../storage/meetings';
import type { Org } from '../../../storage/orgs';
import type { Html } from './layout';
import { type ConsoleData, ideologyOf, type Ledger, meetingsOf, membersOf, visitsTo } from './ledger';
import { picker } from './overview-page';
import type { Window } from './period';

const list = (v: string | string[] | undefined) => [v ?? ''].flat().join('、');
const time = (at: number) => new Date(at + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

async function meetingsSection(deps: ConsoleData, ledger: Ledger, org: Org): Promise<Html> {
  const own = [...meetingsOf(ledger, org)].reverse();
  const members = membersOf(ledger, org);
  const rows = await Promise.all(
    own.map(async (m) => {
      const expected = members.filter((p) => expects(m, p));
      const records = await attendanceOf(deps.db, m.id);
      const came = records.filter((r) => r.status === 'in' && !r.guest);
      const leave = records.filter((r) => r.status === 'leave');
      const guests = records.filter((r) => r.guest).length;
      const seen = new Set(records.map((r) => r.who));
      const absent = expected.filter((p) => !seen.has(p.id));
      const rate = expected.length ? `${Math.round((100 * came.length) / expected.length)}%` : '—';
      return html`<tr><td class="nowrap">${time(m.startsAt)}</td><td class="nowrap">${meetingName(m)}</td><td class="mid">${m.topic}</td>
<td>${expected.length}</td><td>${came.length}</td><td>${leave.length}</td><td>${rate}</td>
<td class="muted wrap">${came.map((r) => r.name).join('、')}${
        leave.length
          ? html`<br>请假：${leave.map((r) => `${r.name}${r.reason ? `（${r.reason}）` : ''}`).join('、')}`
          : ''
      }${absent.length ? html`<br>缺席：${absent.map((p) => p.name).join('、')}` : ''}${
        guests ? html`<br>列席 ${guests} 人` : ''
      }</td></tr>`;
    }),
  );
  return html`<h2 id="meetings">会议与签到（${own.length}）</h2>${
    own.length
      ? html`<div class="scroll"><table><thead><tr><th>时间</th><th>类型</th><th>主题</th><th>应到</th><th>实到</th><th>请假</th><th>到会率</th><th>名单</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : html`<p class="muted">这段时间没有会议签到记录。</p>`
  }`;
}

function recordsTable(
  title: string,
  id: string,
  records: DutyRecord[],
  ledger: Ledger,
  columns: [string, string][],
  /** What the superior did with each record (a risk 研判 sent up), as lines. */
  answers?: Map<string, string[]>,
): Html {
  const names = new Map([...ledger.memberById].map(([id, m]) => [id, m.name]));
  return html`<h2 id="${id}">${title}（${records.length}）</h2>${
    records.length
      ? html`<div class="scroll"><table><thead><tr><th>日期</th><th>期</th><th>人员</th>${columns.map(([h]) => html`<th>${h}</th>`)}${answers ? html`<th>上级处理</th>` : ''}</tr></thead><tbody>${records.map(
          (r) =>
            html`<tr><td class="nowrap">${r.doneOn}</td><td class="nowrap">${r.period}</td><td class="nowrap">${names.get(r.memberId) ?? ''}${
              r.recordedBy !== r.memberId
                ? html`<span class="muted">（${names.get(r.recordedBy) ?? ''}代登记）</span>`
                : ''
            }</td>${columns.map(([, key]) =>
              key === 'situation' && r.values[key] === '存在风险'
                ? html`<td><span class="risk">存在风险</span></td>`
                : html`<td class="mid">${list(r.values[key])}</td>`,
            )}${answers ? html`<td>${(answers.get(r.id) ?? []).map((a, i) => html`${i ? html`<br>` : ''}${a}`)}</td>` : ''}</tr>`,
        )}</tbody></table></div>`
      : html`<p class="muted">这段时间没有记录。</p>`
  }`;
}

function sheet(form: FormDefinition, e: FormEntry): Html {
  const r = e.result ?? {};
  const reviewed = e.status === 'reviewed';
  const summary = form.scoring
    ? html`<p>自评 <b>${String(r.self ?? '—')}</b> 分${
        reviewed
          ? html`，考评 <b>${String(r.review)}</b> 分，最后得分 <b>${String(r.final)}</b> 分，定为 <b>${String(r.grade)}</b>`
          : ''
      }${(r.vetoes as string[] | undefined)?.length ? html`；直接定为后进的情形：${(r.vetoes as string[]).join('；')}` : ''}</p>`
    : '';
  return html`<div class="card"><b>${form.title}（${e.period}）</b> · ${statusLabel(form, e.status)} · 第 ${e.version} 版${
    e.submittedAt ? html` · ${shanghaiDate(e.submittedAt)} 提交` : ''
  }${e.reviewedAt ? html` · ${shanghaiDate(e.reviewedAt)} 考评` : ''}
${summary}<div class="scroll"><table><thead><tr><th>项目</th><th>自评</th>${reviewed || e.review ? html`<th>考评</th>` : ''}</tr></thead><tbody>${itemsOf(
    form,
  ).map(
    (i) =>
      html`<tr><td class="wrap">${labelOf(i)}</td><td>${list(e.answers[i.id])}</td>${
        reviewed || e.review ? html`<td>${list(e.review?.[i.id] ?? e.answers[i.id])}</td>` : ''
      }</tr>`,
  )}</tbody></table></div></div>`;
}

export async function branchPage(deps: ConsoleData, ledger: Ledger, org: Org, w: Window, today: string): Promise<Html> {
  const rectification = deps.forms.find((f) => f.id === 'rectification');
  const sheets = (
    await Promise.all(
      deps.forms
        .filter((f) => f.id !== 'rectification')
        .map(async (f) => ({ f, e: await latestEntry(deps.db, f.id, org.id, periodOf(f.every, w.first).id) })),
    )
  ).filter((s) => s.e && s.e.status !== 'draft');
  const ideology = ideologyOf(ledger, org);
  const answers = new Map<string, string[]>();
  for (const a of await repliesTo(
    deps.db,
    ideology.map((r) => r.id),
  ))
    answers.set(a.recordId, [
      ...(answers.get(a.recordId) ?? []),
      replyLine(a, ledger.memberById.get(a.memberId)?.name),
    ]);
  const plans = rectification
    ? (await entriesOfOrg(deps.db, rectification.id, org.id)).filter((e) => e.status !== 'superseded')
    : [];
  return html`<p><a href="/admin?p=${w.id}">‹ 总览</a></p><h1>${org.name}</h1>${picker(`/admin/org/${encodeURIComponent(org.id)}`, w, today)}
${await meetingsSection(deps, ledger, org)}
${recordsTable('联系点走访', 'visits', visitsTo(ledger, org), ledger, [
  ['做了什么', 'did'],
  ['发现的问题及帮助解决情况', 'problems'],
])}
${recordsTable(
  '意识形态研判',
  'ideology',
  ideology,
  ledger,
  [
    ['总体态势', 'situation'],
    ['研判范围', 'areas'],
    ['发现的风险', 'risks'],
    ['采取的措施', 'measures'],
    ['需要上级支持', 'support'],
  ],
  answers,
)}
<h2 id="selfcheck">自查</h2>${sheets.length ? sheets.map((s) => sheet(s.f, s.e as FormEntry)) : html`<p class="muted">本年度还没有提交的自查表。</p>`}
<h2 id="rectification">整改（${plans.length}）</h2>${
    plans.length && rectification
      ? html`<div class="scroll"><table><thead><tr><th>年度</th><th>存在的主要问题</th><th>整改措施</th><th>完成时间</th><th>联系人</th><th>状态</th></tr></thead><tbody>${plans.map(
          (e) =>
            html`<tr><td>${e.period}</td><td>${list(e.answers.problems)}</td><td>${list(e.answers.measures)}</td><td>${list(
              e.answers.deadline,
            )}</td><td>${list(e.answers.contact)}</td><td>${statusLabel(rectification, e.status)}${
              e.result?.completedOn ? html`（${String(e.result.completedOn)}）` : ''
            }</td></tr>`,
        )}</tbody></table></div>`
      : html`<p class="muted">没有整改记录。</p>`
  }`;
}
