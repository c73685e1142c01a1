// Computed answers to 分类定级 questions (常天教委〔2012〕6号 附件1): a final score from 自评 and
// 上级考评, the grade of a score, the points of a satisfaction rate. The rules are the shipped
// grading form's (the same the 自查 forms score by); the clauses are cited from the loaded sheet.
import gradingSheet from '../../data/forms/grading.json';
import { parseForm } from '../selfcheck/definition';
import { type Band, bandOf, finalOf, round2 } from '../selfcheck/scoring';

const sheet = parseForm(gradingSheet);
if (!sheet.ok || !sheet.form.scoring)
  throw new Error(`data/forms/grading.json: ${sheet.ok ? 'no scoring' : sheet.message}`);
const scoring = sheet.form.scoring;
const mass = sheet.form.sections.find((s) => s.id === 'mass');
const massVeto = scoring.vetoes.find((v) => 'section' in v && v.section === 'mass');

/** The sheet's rules as the shipped 分类定级 form states them (data/forms/grading.json). */
export const GRADING = {
  scoring,
  /** 群众反映好 = 20 × 满意率; below 12 the branch is 后进 whatever its total. */
  massMax: mass?.max ?? 20,
  massVeto: massVeto && 'below' in massVeto ? massVeto.below : 12,
  /** Words of the sheet's clauses, to find and cite the passage each rule stands in. */
  clauses: {
    weights: scoring.clauses.weights,
    bands: scoring.clauses.bands,
    veto: scoring.clauses.vetoes,
    // Item 27's rule, which the form states as its type (rate) rather than as a clause.
    mass: '得分=20*满意率',
  },
} as const;

export interface Computed {
  text: string;
  /** Words of the sheet's passages the answer rests on: each is found, quoted and cited. */
  rests: string[];
}

const C = GRADING.clauses;
/** The sheet's scored items, to answer "X 在评分表里占几分". */
const SECTIONS = sheet.form.sections;
const ITEMS = SECTIONS.flatMap((s) =>
  s.items.filter((i) => i.max !== undefined).map((i) => ({ ...i, section: s.title })),
);
const bigrams = (s: string) => {
  const out = new Set<string>();
  for (const run of s.match(/\p{Script=Han}+/gu) ?? [])
    for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  return out;
};
/** Words of a question about the sheet that say nothing about which item it means. */
const GENERIC = bigrams('评分表里占几分多少分值分类定级评分标准在中我们支部');

const VETO_TEXTS = scoring.vetoes.map((v) => v.text);
/** The veto conditions asked about item by item (the section threshold is computed apart). */
const ITEM_VETOES = scoring.vetoes.flatMap((v) => ('item' in v ? [v.text] : [])).join('；');
const VETOES = VETO_TEXTS.join('；');

/** The grade of a score by the sheet's bands (whole points, rounded half up). */
export function gradeOf(score: number): Band {
  return bandOf(scoring, score);
}

const fmt = (n: number) => String(round2(n));
const SELF = `${round2(scoring.selfWeight * 100)}%`;
const REVIEW = `${round2(scoring.reviewWeight * 100)}%`;

/** The 群众反映好 points a question gives, directly or as a 满意率; null when it gives none. */
function massPointsIn(q: string): number | null {
  const points = q.match(/群众反映好[^\d%]{0,10}(\d+(?:\.\d+)?)分/);
  if (points) return Number(points[1]);
  const rate = q.match(/满意[率度][^\d%]{0,6}(\d+(?:\.\d+)?)%/);
  return rate ? (GRADING.massMax * Number(rate[1])) / 100 : null;
}

const FULL_MARKS = sheet.form.sections.reduce((n, s) => n + (s.max ?? 0), 0);

/**
 * 第26条只拿了2分、第27条满意率80%，其他都满分: the total by the sheet, item by item, and its
 * grade. Null unless the question says the other items are full, or an item's score is impossible.
 */
function itemsTotal(q: string): Computed | null {
  if (!/(其他|其余|别的).{0,6}满分/.test(q)) return null;
  const lost: string[] = [];
  let total = FULL_MARKS;
  for (const m of q.matchAll(/第(\d{1,2})[条项][^第]{0,12}?(?:拿了?|得了?|打了?|给了?|得分|扣了?)(\d+(?:\.\d+)?)分/g)) {
    const item = ITEMS.find((i) => i.id === `i${m[1]}`);
    const got = /扣/.test(m[0]) ? (item?.max ?? 0) - Number(m[2]) : Number(m[2]);
    if (!item?.max || got < 0 || got > item.max) return null;
    total -= item.max - got;
    lost.push(`第${m[1]}项满分${item.max}分、得${fmt(got)}分`);
  }
  const mass = massPointsIn(q);
  if (mass !== null) {
    total -= GRADING.massMax - mass;
    lost.push(`“群众反映好”= ${GRADING.massMax} × 满意率 = ${fmt(mass)}分`);
  }
  if (lost.length === 0) return null;
  const band = gradeOf(total);
  const sum = `按评分表（满分${FULL_MARKS}分）：${lost.join('，')}，其余满分，合计${fmt(total)}分`;
  if (mass !== null && mass < GRADING.massVeto) {
    return { text: `${sum}；但“群众反映好”低于${GRADING.massVeto}分，按规定直接定为后进。`, rests: [C.mass, C.veto] };
  }
  const same = /一样|相同|都是/.test(q) ? `自评和上级考评都是${fmt(total)}分时，最后得分也是${fmt(total)}分，` : '';
  return {
    text: `${sum}。${same}属于“${band.grade}”（${band.text}为${band.grade}；按整分计）。`,
    rests: mass !== null ? [C.mass, C.bands] : [C.bands],
  };
}

const SCORE = '(?:得分|打了?|给了?|评了?|了|是|为|分)?(\\d+(?:\\.\\d+)?)';
/** The branch's own score, however the member says it: 自评86, 我们自己打了80分, 支部自评是92. */
const SELF_SCORE = new RegExp(`(?:自评|自己(?:打|评)|我们(?:支部)?(?:打|评))${SCORE}`);
/** The superior's: 上级考评80, 上一级党组织考评给了90, 上级打了70. */
const REVIEW_SCORE = new RegExp(`(?:上级|上一级|考评)(?:党组织)?(?:考评)?${SCORE}`);

/** Both scores a question gives, in whichever order it gives them; null unless both are there. */
function scoresIn(q: string): { self: number; review: number } | null {
  const self = q.match(SELF_SCORE);
  const review = q.match(REVIEW_SCORE);
  if (!self || !review || self.index === review.index) return null;
  return { self: Number(self[1]), review: Number(review[1]) };
}

/** A computed answer to a grading question, or null when the question asks no computation. */
export function computeGrading(question: string): Computed | null {
  const q = question.normalize('NFKC').replace(/\s+/g, '');
  const fromItems = itemsTotal(q);
  if (fromItems) return fromItems;
  const num = '(\\d+(?:\\.\\d+)?)';
  const pair = scoresIn(q);
  if (pair) {
    const { self, review } = pair;
    if (self > 100 || review > 100) return null;
    const total = finalOf(scoring, self, review);
    const band = gradeOf(total);
    const sum = `按评分标准，最后得分 = 自评 × ${SELF} + 上级考评 × ${REVIEW} = ${fmt(self)} × ${SELF} + ${fmt(review)} × ${REVIEW} = ${fmt(total)}分`;
    // The question may also give the 群众反映好 points (or the 满意率): below the line, the grade is 后进.
    const mass = massPointsIn(q);
    if (mass !== null && mass < GRADING.massVeto) {
      const text = `${sum}；但“群众反映好”只有${fmt(mass)}分，低于${GRADING.massVeto}分，按规定直接定为后进（不论总分多少）。`;
      return { text, rests: [C.weights, C.veto] };
    }
    const text = `${sum}，属于“${band.grade}”（${band.text}为${band.grade}；按整分计）。如有“直接定为后进”的情形，则不论得分都定为后进。`;
    return { text, rests: [C.weights, C.bands] };
  }
  const rate = q.match(new RegExp(`满意[率度][^\\d%]{0,8}?${num}%`));
  if (rate) {
    const points = (GRADING.massMax * Number(rate[1])) / 100;
    const veto = points < GRADING.massVeto;
    const text = `“群众反映好”得分 = ${GRADING.massMax} × 满意率 = ${GRADING.massMax} × ${fmt(Number(rate[1]))}% = ${fmt(points)}分。${
      veto
        ? `低于${GRADING.massVeto}分，按规定直接定为后进（不论总分多少）。`
        : `不低于${GRADING.massVeto}分，不会因此直接定为后进。`
    }`;
    return { text, rests: [C.mass, C.veto] };
  }
  const single = q.match(
    new RegExp(
      `(?:总分|得分|考了|打了|最后|算下来|合计|一共)[^\\d]{0,4}?${num}分?.{0,8}?(?:算|是|属于|定为|能评|评|哪)`,
    ),
  );
  if (single) {
    const band = gradeOf(Number(single[1]));
    const text = `总分${fmt(Number(single[1]))}分属于“${band.grade}”（${band.text}为${band.grade}；按整分计）。如有“直接定为后进”的情形，则不论得分都定为后进。`;
    return { text, rests: [C.bands] };
  }
  // The other way round: 群众反映好 18分 is a 满意率 of 90%.
  const points = q.match(new RegExp(`群众反映好[^\\d]{0,12}?${num}分.{0,12}满意[率度]`));
  if (points && Number(points[1]) <= GRADING.massMax) {
    const rateOf = (Number(points[1]) / GRADING.massMax) * 100;
    const text = `“群众反映好”得分 = ${GRADING.massMax} × 满意率，${fmt(Number(points[1]))}分相当于满意率 ${fmt(Number(points[1]))} ÷ ${GRADING.massMax} = ${fmt(rateOf)}%。`;
    return { text, rests: [C.mass] };
  }
  if (/(群众反映好|满意率|满意度).{0,8}(怎么|如何|咋)(算|计|打|评)/.test(q)) {
    const text = `“群众反映好”满分${GRADING.massMax}分，按教师、学生、家长满意度测评的满意率计分：得分 = ${GRADING.massMax} × 满意率；低于${GRADING.massVeto}分的直接定为后进。`;
    return { text, rests: [C.mass, C.veto] };
  }
  if (
    /(刑事处罚|行政处罚|纪律处分|校纪校规处分|受.{0,4}处分|不团结|没有?开展(过)?活动|没搞(过)?活动)/.test(q) &&
    /(先进|评|定级|等级|档|后进|影响)/.test(q)
  ) {
    const text = `按评分标准，这属于“直接定为后进”的情形（${ITEM_VETOES}），有这种情形的不论得分多少都定为后进。`;
    return { text, rests: [C.veto] };
  }
  const aboutSheet = /定级|评分|打分|分数|得分|等级|档次|先进|后进|考评|自评/.test(q);
  if (
    aboutSheet &&
    /(直接|一票否决|不看总分|不论.{0,3}分|不管.{0,3}分).{0,8}(后进|否决)|(哪些|什么)情况.{0,10}后进/.test(q)
  ) {
    const text = `按评分标准，存在下列情形之一的党支部不论总分多少都直接定为后进（包括但不限于）：${VETOES}。`;
    return { text, rests: [C.veto] };
  }
  // 分几大块、每块各占多少分: the sheet's parts and their points.
  if (/评分表|打分表|评分标准|(打分|评分|定级)的?那?张?表/.test(q) && /(几|哪几)(大块|块|个?部分|个?方面)/.test(q)) {
    const parts = SECTIONS.filter((s) => s.max !== undefined);
    const text = `评分表分为${parts.length}个部分：${parts.map((s) => `${s.title}${s.max}分`).join('，')}（合计${FULL_MARKS}分）。`;
    return { text, rests: [`分为${parts.length}个部分`] };
  }
  if (aboutSheet && /权重|各占|占比|比例|占多少|(自评|自己).{0,12}(上级|考评)|(上级|考评).{0,12}(自评|自己)/.test(q)) {
    const text = `分类定级由党支部自评和上一级党组织考评组成：自评占${SELF}，上一级党组织考评占${REVIEW}，最后得分 = 自评 × ${SELF} + 上级考评 × ${REVIEW}。`;
    return { text, rests: [C.weights] };
  }
  // The branch's grade, not another rating (民主评议党员 has its own grades, which the sheet does not set).
  const ofBranch = !/民主评议|评议党员|党员评议|评星|星级/.test(q);
  if (
    ofBranch &&
    /(多少分|几分|分数线|分数段|怎么划|怎么分|分几|几个?(等级|档|等次|级)).{0,8}(先进|较好|一般|后进|等级|档|等次|级)|(先进|较好|一般|后进).{0,6}(多少分|几分|分数线)/.test(
      q,
    )
  ) {
    const text = `分类定级分为${scoring.bands.length}级：${scoring.bands.map((b) => `${b.text}为${b.grade}`).join('，')}（按整分计）。如有“直接定为后进”的情形，则不论得分都定为后进。`;
    return { text, rests: [C.bands] };
  }
  const sheetNamed = /评分表|评分标准|打分表|分类定级|定级/.test(q);
  if (
    (sheetNamed && /占|几分|多少分|分值|那一?条|这一?条|哪一?条|要求|内容|怎么写/.test(q)) ||
    /(占|值|算)几分/.test(q)
  ) {
    const asked = [...bigrams(q)].filter((b) => !GENERIC.has(b));
    const ranked = ITEMS.map((item) => ({ item, n: asked.filter((b) => item.text.includes(b)).length })).sort(
      (a, b) => b.n - a.n,
    );
    const best = ranked[0];
    if (!best || best.n < 2 || (ranked[1]?.n ?? 0) === best.n) return null;
    const head = best.item.text.replace(/^\d+．/, '').slice(0, 12);
    const what = best.item.text.replace(/^\d+．/, '').replace(/。$/, '');
    const text = `评分表“${best.item.section}”部分第${best.item.id.slice(1)}项（满分${best.item.max}分）：${what}。`;
    return { text, rests: [head] };
  }
  return null;
}
