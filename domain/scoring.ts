// A graded form's arithmetic, from its scoring rules: section points, the total, the final score
// of 自评 and 上级考评, the grade of a score, the veto conditions hit. The bot computes every
// total; it never copies one (the corpus's own example sums to 89 where its summary says 86).
import type { Answers } from '../storage/form-entries';
import type { FormDefinition, FormItem } from './forms';

export type Scoring = NonNullable<FormDefinition['scoring']>;
export type Band = Scoring['bands'][number];

export interface Scored {
  sections: { id: string; title: string; max: number; points: number }[];
  total: number;
}

/** Two decimals, as the sheet's weights (40% / 60%) can produce them. */
export const round2 = (n: number) => Math.round(n * 100) / 100;

/** An item's points from its answer: a score as given, a rate (in %) times the item's maximum. */
export function pointsOf(item: FormItem, answer: string | string[] | undefined): number {
  const value = Number(typeof answer === 'string' ? answer : Number.NaN);
  if (Number.isNaN(value)) return 0;
  if (item.type === 'rate') return round2(((item.max ?? 0) * value) / 100);
  return item.type === 'score' ? value : 0;
}

/** The points of each scored section and their total. */
export function scoreOf(form: FormDefinition, answers: Answers): Scored {
  const sections = form.sections
    .filter((s) => s.items.some((i) => i.type === 'score' || i.type === 'rate'))
    .map((s) => ({
      id: s.id,
      title: s.title,
      max: s.max ?? s.items.reduce((sum, i) => sum + (i.max ?? 0), 0),
      points: round2(s.items.reduce((sum, i) => sum + pointsOf(i, answers[i.id]), 0)),
    }));
  return { sections, total: round2(sections.reduce((sum, s) => sum + s.points, 0)) };
}

/** final = 自评 × selfWeight + 上级考评 × reviewWeight, to two decimals. */
export function finalOf(scoring: Scoring, self: number, review: number): number {
  return round2(self * scoring.selfWeight + review * scoring.reviewWeight);
}

/**
 * The sheet's bands are whole points (75—89), so a score is rounded half up to a whole point
 * before it is graded: 89.6 is 90 (先进), 89.4 is 89 (较好), 74.5 is 75 (较好), 59.5 is 60 (一般).
 */
export const wholePointsOf = (score: number) => Math.floor(score + 0.5);

export function bandOf(scoring: Scoring, score: number): Band {
  const whole = wholePointsOf(score);
  return scoring.bands.find((b) => whole >= b.min) ?? (scoring.bands[scoring.bands.length - 1] as Band);
}

/** The veto conditions hit by the answers and by the section points given (a review's, or the self-score's). */
export function vetoesOf(scoring: Scoring, answers: Answers, sections: Scored['sections']): string[] {
  return scoring.vetoes
    .filter((v) =>
      'item' in v ? answers[v.item] === v.answer : (sections.find((s) => s.id === v.section)?.points ?? 0) < v.below,
    )
    .map((v) => v.text);
}

/** The grade of a score, or the lowest grade when a veto condition is hit. */
export function gradeOf(scoring: Scoring, score: number, vetoes: readonly string[]): { grade: string; why: string } {
  const band = bandOf(scoring, score);
  const lowest = scoring.bands[scoring.bands.length - 1] as Band;
  if (vetoes.length > 0) return { grade: lowest.grade, why: `直接定为${lowest.grade}：${vetoes.join('；')}` };
  return { grade: band.grade, why: `${band.text}为${band.grade}` };
}
