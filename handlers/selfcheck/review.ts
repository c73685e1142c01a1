// Who fills and who reviews a branch's forms, what a submission and a review compute, the card
// that shows it, and the 整改表 a review proposes from the items that lost points.
import { type Card, TEXT_INPUT_MAX } from '../../cards/model';
import { type FormDefinition, type FormItem, itemsOf } from '../../domain/forms';
import { finalOf, gradeOf, pointsOf, round2, scoreOf, vetoesOf } from '../../domain/scoring';
import type { AppDb } from '../../storage/db';
import { type Answers, type FormEntry, latestEntry, startDraft } from '../../storage/form-entries';
import { isNamed, orgById } from '../../storage/orgs';
import { hasRole, type Member, membersOfOrg, membersWithRole } from '../../storage/people';
import { headOf, labelOf, numberOf, wordingOf } from './pages';

/** Who may fill a branch's forms: its 书记, and its 支委委员 as delegates. */
export async function fillersOf(db: AppDb, orgId: string): Promise<Member[]> {
  return (await membersOfOrg(db, orgId)).filter((m) => hasRole(m, '书记', '支委委员'));
}

/** What a submission computes: for a graded form the self-score, section points, vetoes and provisional grade. */
export function selfResult(form: FormDefinition, answers: Answers): Record<string, unknown> {
  if (!form.scoring) return {};
  const scored = scoreOf(form, answers);
  const vetoes = vetoesOf(form.scoring, answers, scored.sections);
  const grade = gradeOf(form.scoring, scored.total, vetoes);
  return { self: scored.total, selfSections: scored.sections, vetoes, provisional: grade.grade, why: grade.why };
}

/** What a review computes: its score (items not reviewed count as assessed), the final score and grade. */
export function reviewResult(form: FormDefinition, entry: FormEntry): Record<string, unknown> {
  const scoring = form.scoring;
  if (!scoring) return entry.result ?? {};
  const answers = { ...entry.answers, ...(entry.review ?? {}) };
  const self = scoreOf(form, entry.answers).total;
  const reviewed = scoreOf(form, answers);
  const vetoes = vetoesOf(scoring, answers, reviewed.sections);
  const final = finalOf(scoring, self, reviewed.total);
  const grade = gradeOf(scoring, final, vetoes);
  return {
    ...(entry.result ?? {}),
    self,
    review: reviewed.total,
    reviewSections: reviewed.sections,
    vetoes,
    final,
    grade: grade.grade,
    why: grade.why,
  };
}

/**
 * A review given as one score per section instead of item by item: the sections' points are the
 * reviewer's, the item-level vetoes stay as the branch answered them.
 */
export function sectionReviewResult(
  form: FormDefinition,
  entry: FormEntry,
  points: Record<string, number>,
): Record<string, unknown> {
  const scoring = form.scoring;
  if (!scoring) return entry.result ?? {};
  const selfScored = scoreOf(form, entry.answers);
  const reviewSections = selfScored.sections.map((s) => ({ ...s, points: points[s.id] ?? s.points }));
  const review = round2(reviewSections.reduce((sum, s) => sum + s.points, 0));
  const vetoes = vetoesOf(scoring, entry.answers, reviewSections);
  const final = finalOf(scoring, selfScored.total, review);
  const grade = gradeOf(scoring, final, vetoes);
  return {
    ...(entry.result ?? {}),
    self: selfScored.total,
    review,
    reviewSections,
    vetoes,
    final,
    grade: grade.grade,
    why: grade.why,
  };
}

/** The card on which a reviewer gives one score per section, preset to the self-assessment. */
export function sectionReviewCard(form: FormDefinition, entry: FormEntry): Card {
  const sections = scoreOf(form, entry.answers).sections;
  return {
    title: `考评 · ${form.title}`,
    body: `按部分打分，默认为自评分：\n${sections.map((s) => `- ${s.title}（${s.max}分）：自评 ${s.points}`).join('\n')}`,
    inputs: sections.map((s) => ({
      kind: 'text' as const,
      name: `s_${s.id}`,
      label: `${s.title}（${s.max}分）`,
      value: String(s.points),
      placeholder: `0–${s.max}`,
      maxLength: 6,
    })),
    buttons: [{ action: `selfcheck.sectionsubmit:${entry.id}`, label: '提交考评', style: 'primary' }],
  };
}

/** The sections' points a reviewer entered, checked against each section's maximum. */
export function checkSectionPoints(
  form: FormDefinition,
  entry: FormEntry,
  values: Record<string, string | string[]>,
): { ok: true; points: Record<string, number> } | { ok: false; message: string } {
  const points: Record<string, number> = {};
  for (const s of scoreOf(form, entry.answers).sections) {
    const raw = values[`s_${s.id}`];
    const text = typeof raw === 'string' ? raw.normalize('NFKC').trim().replace(/分$/, '') : '';
    const n = Number(text);
    if (text === '' || Number.isNaN(n)) return { ok: false, message: `请填写“${s.title}”的考评分（数字）。` };
    if (n < 0 || n > s.max) return { ok: false, message: `“${s.title}”最多 ${s.max} 分，不能填 ${n}。` };
    points[s.id] = n;
  }
  return { ok: true, points };
}

const pts = (n: unknown) => `${String(n)}分`;

/** Where an entry stands, in the words the branch and the admins read. */
export function statusLabel(form: FormDefinition, status: FormEntry['status'] | undefined): string {
  const labels: Record<FormEntry['status'], string> = {
    draft: '填写中',
    submitted: form.scoring ? '待考评' : '已提交',
    reviewed: '已定级',
    done: '已完成',
    superseded: '已更正',
  };
  return status ? labels[status] : '未开始';
}

/** A submitted or reviewed entry as a card; `amendable` offers 更正 (a new version). */
export function resultCard(form: FormDefinition, entry: FormEntry, amendable: boolean): Card {
  const r = entry.result ?? {};
  const lines: string[] = [];
  if (form.scoring) {
    const self = (r.selfSections ?? []) as { title: string; max: number; points: number }[];
    const review = (r.reviewSections ?? []) as { points: number }[];
    for (const [i, s] of self.entries()) {
      const given = review[i] ? `，考评 ${review[i]?.points}` : '';
      lines.push(`- ${s.title}（${s.max}分）：自评 ${s.points}${given}`);
    }
    lines.push(`**自评总分：${pts(r.self)}**`);
    if (entry.status === 'reviewed') {
      lines.push(`**考评总分：${pts(r.review)}**`);
      const w = form.scoring;
      lines.push(
        `**最后得分 = ${r.self} × ${w.selfWeight * 100}% + ${r.review} × ${w.reviewWeight * 100}% = ${pts(r.final)}，定为“${String(r.grade)}”**（${String(r.why)}）`,
      );
    } else {
      lines.push(
        `按自评初定：${String(r.provisional)}（${String(r.why)}）。最后得分 = 自评 × ${form.scoring.selfWeight * 100}% + 上级考评 × ${form.scoring.reviewWeight * 100}%，待上级考评。`,
      );
    }
  } else {
    for (const item of itemsOf(form)) {
      const v = entry.answers[item.id];
      if (v !== undefined && v !== '') lines.push(`- ${labelOf(item)}：${[v].flat().join('、')}`);
    }
  }
  return {
    title: `${form.title}（${entry.period}）`,
    body: lines.join('\n'),
    ...(amendable && entry.status !== 'done'
      ? { buttons: [{ action: `selfcheck.amend:${entry.id}`, label: '更正（新版本）' }] }
      : {}),
    status: `${statusLabel(form, entry.status)} · 第 ${entry.version} 版`,
  };
}

/**
 * The 整改表 a review proposes: each item that lost points and each veto hit, as 存在的主要问题,
 * with the leader whose 联系点 is the branch's school as 定点联系人. Null when nothing lost points
 * or the branch already has one this period.
 */
export async function rectificationDraft(
  db: AppDb,
  graded: FormDefinition,
  entry: FormEntry,
  rectification: FormDefinition,
  now: number,
  by: string,
): Promise<FormEntry | null> {
  const answers = { ...entry.answers, ...(entry.review ?? {}) };
  const weak = itemsOf(graded).filter((i) => i.max !== undefined && pointsOf(i, answers[i.id]) < i.max);
  const lostAs = (words: (i: FormItem) => string) =>
    weak.map((i) => {
      const n = numberOf(i);
      return `${words(i)}（${n ? `第${n}项，` : ''}得${pointsOf(i, answers[i.id])}分，满分${i.max}分）`;
    });
  const vetoes = (entry.result?.vetoes ?? []) as string[];
  // A review by section: each section the reviewer scored below the self-assessment.
  const self = scoreOf(graded, entry.answers).sections;
  const marked = entry.review
    ? []
    : ((entry.result?.reviewSections ?? []) as { id: string; title: string; points: number }[])
        .filter((r) => r.points < (self.find((s) => s.id === r.id)?.points ?? 0))
        .map((r) => `${r.title}（考评 ${r.points}分，低于自评）`);
  // Each item in its own words; when that is more than the field holds, to its first pause.
  const full = [...lostAs(wordingOf), ...marked, ...vetoes];
  const problems = [...full.join('；')].length <= TEXT_INPUT_MAX ? full : [...lostAs(headOf), ...marked, ...vetoes];
  if (problems.length === 0 || (await latestEntry(db, rectification.id, entry.orgId, entry.period))) return null;
  const org = await orgById(db, entry.orgId);
  const contact = org && (await membersWithRole(db, '班子成员')).find((m) => m.contacts.some((c) => isNamed(org, c)));
  return startDraft(db, {
    formId: rectification.id,
    orgId: entry.orgId,
    period: entry.period,
    answers: { problems: problems.join('；'), ...(contact ? { contact: contact.name } : {}) },
    by,
    now,
  });
}
