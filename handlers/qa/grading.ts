// The 分类定级 grading sheet's rules (常天教委〔2012〕6号 附件1 说明), as data, and the computed
// answers they give: a final score from 自评 and 上级考评, the grade of a score, the points of a
// satisfaction rate. The rules are quoted from the sheet; the arithmetic is the bot's.
export const GRADING = {
  selfWeight: 0.4,
  reviewWeight: 0.6,
  /** Highest first: a score at or above `min` has this grade. */
  bands: [
    { min: 90, grade: '先进', text: '90分以上' },
    { min: 75, grade: '较好', text: '75—89分' },
    { min: 60, grade: '一般', text: '60—74分' },
    { min: Number.NEGATIVE_INFINITY, grade: '后进', text: '60分以下' },
  ],
  /** 群众反映好 = 20 × 满意率; below 12 the branch is 后进 whatever its total. */
  massMax: 20,
  massVeto: 12,
  /** Words of the sheet's clauses, to find and cite the passage each rule stands in. */
  clauses: { weights: '自评占40%', bands: '分类定级共分为四级', mass: '满意率', veto: '直接定为后进' },
} as const;

export interface Computed {
  text: string;
  /** The clauses the computation rests on (keys of GRADING.clauses). */
  rests: (keyof typeof GRADING.clauses)[];
}

/**
 * The sheet's bands are whole points (75—89), so a score is rounded half up to a whole point
 * before it is graded: 89.6 is 90 (先进), 89.4 is 89 (较好), 74.5 is 75 (较好).
 */
export function gradeOf(score: number): (typeof GRADING.bands)[number] {
  const whole = Math.floor(score + 0.5);
  return (
    GRADING.bands.find((b) => whole >= b.min) ??
    (GRADING.bands[GRADING.bands.length - 1] as (typeof GRADING.bands)[number])
  );
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/** A computed answer to a grading question, or null when the question asks no computation. */
export function computeGrading(question: string): Computed | null {
  const q = question.normalize('NFKC').replace(/\s+/g, '');
  const num = '(\\d+(?:\\.\\d+)?)';
  const pair = q.match(
    new RegExp(
      `自评(?:得分|打了|了|是|为|分)?${num}分?.{0,12}?(?:上级|考评|上一级)(?:党组织)?(?:考评)?(?:得分|打了|给了|了|是|为)?${num}`,
    ),
  );
  if (pair) {
    const self = Number(pair[1]);
    const review = Number(pair[2]);
    if (self > 100 || review > 100) return null;
    const total = self * GRADING.selfWeight + review * GRADING.reviewWeight;
    const band = gradeOf(total);
    const text = `按评分标准，最后得分 = 自评 × 40% + 上级考评 × 60% = ${fmt(self)} × 40% + ${fmt(review)} × 60% = ${fmt(total)}分，属于“${band.grade}”（${band.text}为${band.grade}；按整分计）。如有“直接定为后进”的情形，则不论得分都定为后进。`;
    return { text, rests: ['weights', 'bands'] };
  }
  const rate = q.match(new RegExp(`满意率(?:只有|是|为|达到|有)?${num}%`));
  if (rate) {
    const points = (GRADING.massMax * Number(rate[1])) / 100;
    const veto = points < GRADING.massVeto;
    const text = `“群众反映好”得分 = 20 × 满意率 = 20 × ${fmt(Number(rate[1]))}% = ${fmt(points)}分。${
      veto ? '低于12分，按规定直接定为后进（不论总分多少）。' : '不低于12分，不会因此直接定为后进。'
    }`;
    return { text, rests: ['mass', 'veto'] };
  }
  const single = q.match(new RegExp(`(?:总分|得分|考了|打了|最后)${num}分?.{0,8}?(?:算|是|属于|定为|能评|评)`));
  if (single) {
    const band = gradeOf(Number(single[1]));
    const text = `总分${fmt(Number(single[1]))}分属于“${band.grade}”（${band.text}为${band.grade}；按整分计）。如有“直接定为后进”的情形，则不论得分都定为后进。`;
    return { text, rests: ['bands'] };
  }
  return null;
}
