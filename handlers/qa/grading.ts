// Computed answers to 分类定级 questions (常天教委〔2012〕6号 附件1): a final score from 自评 and
// 上级考评, the grade of a score, the points of a satisfaction rate. The rules are the shipped
// grading form's (the same the 自查 forms score by); the clauses are cited from the loaded sheet.
import gradingSheet from '../../data/forms/grading.json';
import { parseForm } from '../../domain/forms';
import { type Band, bandOf, finalOf, round2, wholePointsOf } from '../../domain/scoring';
import { type Given, readGiven, type SheetShape } from './grading-given';
import { toldRows } from './grading-told';
import { type VetoSaid, vetoSaid } from './grading-vetoes';

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
    /** Whom the sheet is for, by its title, and the document's call to fit it to each school. */
    title: sheet.form.basis?.quote ?? sheet.form.title,
    fit: '因校制宜',
  },
} as const;

export interface Computed {
  text: string;
  /** The grade the branch comes to, when the answer decides one (what a further question asks after). */
  grade?: string;
  /** Words of the sheet's passages the answer rests on: each is found, quoted and cited. */
  rests: string[];
}

const C = GRADING.clauses;
/** The sheet's scored items, to answer "X 在评分表里占几分". */
const SECTIONS = sheet.form.sections;
const ITEMS = SECTIONS.flatMap((s) =>
  s.items.filter((i) => i.max !== undefined).map((i) => ({ ...i, section: s.title, sectionId: s.id })),
);
const bigrams = (s: string) => {
  const out = new Set<string>();
  for (const run of s.match(/\p{Script=Han}+/gu) ?? [])
    for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  return out;
};
/** Words of a question about the sheet that say nothing about which item it means. */
const GENERIC = bigrams('评分表里占几分多少分值分类定级评分标准在中我们支部');
/** Words in this many of the sheet's rows or more. */
const COMMON_ROWS = 4;
const COMMON = new Set(
  [...new Set(ITEMS.flatMap((i) => [...bigrams(i.text)]))].filter(
    (b) => ITEMS.filter((i) => i.text.includes(b)).length >= COMMON_ROWS,
  ),
);

const VETO_TEXTS = scoring.vetoes.map((v) => v.text);
/** The veto conditions asked about item by item (the section threshold is computed apart). */
const VETO_LINES = scoring.vetoes.flatMap((v) => ('item' in v ? [{ item: v.item, text: v.text }] : []));
const VETOES = VETO_TEXTS.join('；');

/** The lowest grade, which a veto puts a branch in whatever its total. */
const LAST = scoring.bands[scoring.bands.length - 1]?.grade ?? '后进';

/** The grade of a score by the sheet's bands (whole points, rounded half up). */
export function gradeOf(score: number): Band {
  return bandOf(scoring, score);
}

const fmt = (n: number) => String(round2(n));
const SELF = `${round2(scoring.selfWeight * 100)}%`;
const REVIEW = `${round2(scoring.reviewWeight * 100)}%`;

const FULL_MARKS = sheet.form.sections.reduce((n, s) => n + (s.max ?? 0), 0);
const PARTS = SECTIONS.flatMap((s) => (s.max !== undefined ? [{ id: s.id, title: s.title, max: s.max }] : []));
const SHAPE: SheetShape = {
  parts: PARTS,
  items: ITEMS.map((i) => ({ id: i.id, max: i.max ?? 0 })),
  itemNamed: (words) => {
    const item = itemNamed(words, true);
    return item ? { id: item.id, max: item.max ?? 0 } : null;
  },
};

/** How a 满意率 given as counts comes to its percentage (满意率 = 170 ÷ 200 = 85%，), else nothing. */
const rateWorked = ({ counted, rate }: Given) =>
  counted ? `满意率 = ${counted.satisfied} ÷ ${counted.of} = ${fmt(rate ?? 0)}%，` : '';

/** The 群众反映好 points the question gives, as points or as a 满意率; null when it gives neither. */
function massPointsOf(given: Given): { points: number; from: string } | null {
  const points = given.parts.get('mass');
  if (points !== undefined) return { points, from: `“群众反映好”得${fmt(points)}分` };
  if (given.rate === null) return null;
  const p = (GRADING.massMax * given.rate) / 100;
  return {
    points: p,
    from: `${rateWorked(given)}“群众反映好”= ${GRADING.massMax} × 满意率 = ${GRADING.massMax} × ${fmt(given.rate)}% = ${fmt(p)}分`,
  };
}

/** The veto the 群众反映好 points hit, said after a total. */
const massVetoText = (mass: number) =>
  `；但“群众反映好”只有${fmt(mass)}分，低于${GRADING.massVeto}分，按规定直接定为后进（不论总分多少）。`;
/** A veto the message tells of that holds, said after a total: the grade is the last whatever the total. */
const vetoHolds = (veto: VetoSaid) =>
  `；但${kindOf(veto)}所说的情形属于“直接定为后进”的情形（${veto.line}），不论得分多少都定为后进。`;
/** What the member's plain words are in the sheet's (“罚了款”是行政处罚), before the line is quoted. */
const kindOf = (veto: VetoSaid) => (veto.kind ? `“${veto.kind.said}”属于${veto.kind.is}，` : '');
/** A veto told of whose period is not met (半年没搞活动 for 一年以上): the total grades as it stands. */
const UNMET = (veto: VetoSaid) => `所说的情形不满足“${veto.line}”，不按这一条直接定为后进。`;
/** The reminder after a grade: the veto told of but not met, or that any veto decides. */
const vetoNote = (veto: VetoSaid | null) => (veto ? UNMET(veto) : '如有“直接定为后进”的情形，则不论得分都定为后进。');

/** A question asking how far a score is from a better grade (差几分能上较好, 还差多少分到先进). */
const DISTANCE = /差(几|多少)|还差|再(加|多|提|涨|拿|得)[^，。？]{0,3}(几|多少)|多(拿|得)(几|多少)|距离/;

/**
 * How many points a score lacks for the grade the question names above it, else for the next one
 * up, with that grade's band quoted: said when the question asks it, else nothing.
 */
function toBand(q: string, score: number): string {
  if (!DISTANCE.test(q)) return '';
  const whole = wholePointsOf(score);
  const above = scoring.bands.filter((b) => b.min > whole);
  const target = above.find((b) => q.includes(b.grade)) ?? above[above.length - 1];
  if (!target) return `已是最高一档“${gradeOf(score).grade}”。`;
  return `离“${target.grade}”（${target.text}为${target.grade}）还差 ${target.min} − ${fmt(score)} = ${fmt(round2(target.min - score))}分。`;
}

/**
 * The sheet added up from what the question gives of its parts and items (领导班子满分，党员队伍扣了
 * 2分…，满意率80%; 第26条只拿了2分，其他都满分), and its grade. Null unless every part is given or the
 * rest is said to be full.
 */
function sheetTotal(q: string, given: Given, veto: VetoSaid | null): Computed | null {
  const summed = sheetSum(given);
  if (!summed) return null;
  const { total, mass, rows } = summed;
  const sum = `${summed.sum}${partSubtotal(q, given)}`;
  // The sheet added up is one side's score when the message gives the other's apart (考评打了五块…，
  // 学校自评90): the two are weighed into the final score, as the sheet says.
  if ((given.self === null) !== (given.review === null)) {
    const self = given.self ?? total;
    const review = given.review ?? total;
    const weighedIn = weighted(q, self, review, given, veto);
    const side = given.self === null ? '自评' : '上级考评';
    if (!weighedIn) return null;
    // (A 满意率 turned into points in the sum rests on item 27's formula too.)
    const rests = mass?.rated && !weighedIn.rests.includes(C.mass) ? [...weighedIn.rests, C.mass] : weighedIn.rests;
    return { ...weighedIn, text: `${side}${sum}；${weighedIn.text}`, rests: [...rows, ...rests] };
  }
  // (The rows of the items the member scored are quoted: the sheet's words for what they named.)
  const graded = gradeSheet(q, veto, sum, total, mass);
  return { ...graded, rests: [...rows, ...graded.rests] };
}

/**
 * The part the member scored row by row, named in the message (工作机制那部分，三会一课我打2分…这块合计多少):
 * its own total from its rows, the others full. Empty unless every row given is of that part.
 */
function partSubtotal(q: string, given: Given): string {
  const sections = new Set([...given.items.keys()].map(sectionOfItem));
  const part = PARTS.find((p) => sections.size === 1 && sections.has(p.id) && q.includes(p.title.replace(/好$/, '')));
  if (!part || given.parts.size > 0) return '';
  const lost = [...given.items].reduce((n, [id, got]) => n + (ITEMS.find((i) => i.id === id)?.max ?? 0) - got, 0);
  return `；其中“${part.title}”满分${part.max}分、得${fmt(part.max - lost)}分`;
}

interface MassPoints {
  points: number;
  from: string;
  /** Computed from a 满意率, by the sheet's formula (cited). */
  rated: boolean;
}

/** The sheet added up from the parts and items a question gives, shown as a sum; null unless all is given. */
function sheetSum(given: Given): { sum: string; total: number; mass: MassPoints | null; rows: string[] } | null {
  const points = massPointsOf(given);
  const mass = points && { ...points, rated: given.rate !== null };
  const named = new Set([...given.parts.keys(), ...(mass ? ['mass'] : [])]);
  const items = [...given.items].filter(([id]) => !named.has(sectionOfItem(id)));
  if (named.size + items.length === 0 || given.impossible) return null;
  const whole = PARTS.every((p) => named.has(p.id));
  // The parts not named: full, or given together (其他四块加起来65分, 另外四大块一共丢了8分).
  const rest = whole ? null : given.rest;
  if (!whole && !given.restFull && !rest) return null;
  const restMax = PARTS.filter((p) => !named.has(p.id)).reduce((n, p) => n + p.max, 0);
  const restLost = rest && ('lost' in rest ? rest.lost : restMax - rest.points);
  if (restLost !== null && (items.length > 0 || restLost < 0 || restLost > restMax)) return null;
  let total = FULL_MARKS;
  const lines: string[] = [];
  for (const p of PARTS) {
    const got = given.parts.get(p.id);
    if (got === undefined || p.id === 'mass') continue;
    total -= p.max - got;
    lines.push(got === p.max ? `“${p.title}”满分${p.max}分` : `“${p.title}”满分${p.max}分、得${fmt(got)}分`);
  }
  for (const [id, got] of items) {
    const item = ITEMS.find((i) => i.id === id);
    if (!item?.max) return null;
    total -= item.max - got;
    // Named by its words too, so the member sees which row was read (活动经费那条 is 第18项).
    const what = item.text.replace(/^\d+．/, '').replace(/。$/, '');
    lines.push(`第${id.slice(1)}项（${what}）满分${item.max}分、得${fmt(got)}分`);
  }
  if (mass) {
    total -= GRADING.massMax - mass.points;
    lines.push(mass.from);
  }
  if (restLost !== null) {
    total -= restLost;
    lines.push(`其余部分满分${restMax}分、得${fmt(restMax - restLost)}分`);
  }
  total = round2(total);
  const sum = `按评分表（满分${FULL_MARKS}分）：${lines.join('，')}${whole || rest ? '' : '，其余满分'}，合计${fmt(total)}分`;
  return { sum, total, mass, rows: items.map(([id]) => rowWords(ITEMS.find((i) => i.id === id)?.text ?? '')) };
}

/** The grade of the sheet added up, or what puts it down whatever its total. */
function gradeSheet(q: string, veto: VetoSaid | null, sum: string, total: number, mass: MassPoints | null): Computed {
  const rests = [...(mass?.rated ? [C.mass] : []), C.bands];
  if (mass && mass.points < GRADING.massVeto) {
    return {
      text: `${sum}${massVetoText(mass.points)}`,
      rests: [...rests.filter((r) => r !== C.bands), C.veto],
      grade: LAST,
    };
  }
  if (veto?.holds) return { text: `${sum}${vetoHolds(veto)}`, rests: [...rests, C.veto], grade: LAST };
  const band = gradeOf(total);
  const same = /一样|相同|都是/.test(q) ? `自评和上级考评都是${fmt(total)}分时，最后得分也是${fmt(total)}分，` : '';
  return {
    text: `${sum}。${same}属于“${band.grade}”（${band.text}为${band.grade}；${wholeNote(total)}）。${toBand(q, total)}${veto ? UNMET(veto) : ''}`,
    rests: veto ? [...rests, C.veto] : rests,
    grade: band.grade,
  };
}

/**
 * How a score is put in a band. The sheet's bands are whole points and the documents do not say how a
 * score with a fraction (59.6, from the 40%/60% weights) counts: the rounding is ours, said as such.
 */
function wholeNote(score: number): string {
  const whole = wholePointsOf(score);
  if (round2(score) === whole) return '按整分计';
  return `按整分计：文件的分档都是整分，没有规定带小数的分数怎么算，这里四舍五入为${whole}分，以上级党组织认定为准`;
}

const sectionOfItem = (id: string) => ITEMS.find((i) => i.id === id)?.sectionId ?? '';

/** 自评 and 上级考评 weighed into the final score, and its grade (or the veto the question gives). */
function weighted(q: string, self: number, review: number, given: Given, veto: VetoSaid | null): Computed | null {
  if (self > 100 || review > 100) return null;
  const total = finalOf(scoring, self, review);
  const sum = `按评分标准，最后得分 = 自评 × ${SELF} + 上级考评 × ${REVIEW} = ${fmt(self)} × ${SELF} + ${fmt(review)} × ${REVIEW} = ${fmt(total)}分`;
  const mass = massPointsOf(given);
  if (mass && mass.points < GRADING.massVeto) {
    return {
      // (Its points computed from a 满意率 are shown: they are in no sum above.)
      text: `${sum}；但${mass.from}，低于${GRADING.massVeto}分，按规定直接定为后进（不论总分多少）。`,
      rests: [C.weights, ...(given.rate !== null ? [C.mass] : []), C.veto],
      grade: LAST,
    };
  }
  if (veto?.holds) return { text: `${sum}${vetoHolds(veto)}`, rests: [C.weights, C.veto], grade: LAST };
  const band = gradeOf(total);
  const text = `${sum}，属于“${band.grade}”（${band.text}为${band.grade}；${wholeNote(total)}）。${toBand(q, total)}${vetoNote(veto)}`;
  return { text, rests: [C.weights, C.bands, ...(veto ? [C.veto] : [])], grade: band.grade };
}

/** The parts worth the most (or the least) points. */
function extreme<T extends { max: number }>(parts: T[], most: 'max' | 'min'): T[] {
  const value = most === 'max' ? Math.max(...parts.map((p) => p.max)) : Math.min(...parts.map((p) => p.max));
  return parts.filter((p) => p.max === value);
}

/**
 * What happens to one member (评优、评职称、晋升 during a 处分期): not the branch's grade, which is all
 * the sheet decides. Such a question goes to the ordinary Q&A unless it also asks the branch's
 * 定级/档次/得分 or the sheet's points (书记的职称 is one of its items; 评先进 may be either: the sheet answers it).
 */
const PERSONAL = /评优|评先(?!进)|职称|晋升|提拔|评奖|优秀党员|优秀教师|处分期|影响期/;
const BRANCH_GRADE = /支部|班子|定级|档次|等级|评分|打分|扣|得分|分数|总分|几分|多少分|\d分|[定评].{0,2}[啥什么几哪]级/;

/**
 * A computed answer to a grading question, or null when the question asks no computation. Beside the
 * computation it quotes the row behind each situation the member tells of, the bands when a grade is
 * named, and the weights when the branch's own score is asked (a 自评 is not yet the final score).
 */
export function computeGrading(question: string): Computed | null {
  const q = question.normalize('NFKC').replace(/\s+/g, '');
  const cost = COST_ASKED.test(q);
  const told = toldRows(
    q,
    // Asked what each costs, one word only its row has names it (党费没收齐 is the 党费 row's).
    (words) => itemNamed(words, cost),
    (clause) => vetoSaid(clause, VETO_LINES)?.line ?? null,
    SCORING_WORDS,
  );
  // Asked only what the situations told cost (这扣哪几条的分), the rows behind them are the answer.
  const computed = compute(question) ?? (told.length > 0 && cost ? { text: '', rests: [] } : null);
  if (!computed) return null;
  const rests = [...computed.rests];
  const lines = computed.text ? [computed.text] : [];
  // A veto told beside the rows (书记跟校长不对付 is row 5 and 领导班子不团结): said first, as it
  // decides the grade whatever the points; a row's points alone would say it costs only those.
  const veto = vetoSaid(q, VETO_LINES);
  if (veto?.holds && !rests.includes(C.veto)) {
    rests.unshift(C.veto);
    lines.unshift(
      `按评分标准，${kindOf(veto)}所说的情形属于“直接定为后进”的情形（${veto.line}），有这种情形的不论得分多少都直接定为后进，不只是扣某一项的分。`,
    );
  }
  // A part's points asked (党员队伍那一大块一共几分): its total, which heads each of its rows.
  for (const part of partsAsked(q)) {
    rests.push(`${part.title}${part.max}分`);
    lines.push(`评分表“${part.title}”部分共${part.max}分。`);
  }
  for (const item of told) {
    const row = rowWords(item.text);
    if (rests.includes(row)) continue;
    rests.push(row);
    lines.push(
      `所说的情形对应评分表“${item.section}”部分第${item.id.slice(1)}项（满分${item.max}分）：${what(item.text)}。`,
    );
  }
  if (/先进|较好|一般/.test(q) && !rests.includes(C.bands)) rests.push(C.bands);
  if (SELF_ASKED.test(q) && !rests.includes(C.weights)) {
    rests.push(C.weights);
    lines.push(`这是自评分；最后得分 = 自评 × ${SELF} + 上级考评 × ${REVIEW}，按最后得分定级。`);
  }
  return { ...computed, text: lines.join('\n'), rests };
}

/** Whether the sheet fits a branch (能直接拿来用吗, 适用吗, 能不能照搬): its scope, not a computation. */
const FIT_ASKED = /适用|适合|照搬|套用|借用|沿用|(?:拿来|拿过来|直接)用|能不能用|能用[吗么]|可以用[吗么]/;
const SHEET_NAMED = /表|评分标准|打分标准|定级标准/;
/** The message gives something to compute with: a score, a part's or an item's points, a 满意率. */
const givesScores = (g: Given) =>
  g.totals.length > 0 ||
  g.self !== null ||
  g.review !== null ||
  g.parts.size > 0 ||
  g.items.size > 0 ||
  g.rate !== null;

/** Asking what the sheet takes off for something (扣哪些分, 扣几条, 会扣分吗, 最多各扣多少). */
const COST_ASKED = /扣[^，,。；;？?]{0,4}(?:分|条|项|多少|几)|(?:定级|评分|打分).{0,6}(?:影响|扣)/;

/** The parts whose own points a clause asks (党员队伍那一大块一共几分, 领导班子这部分满分多少). */
function partsAsked(q: string): typeof PARTS {
  return PARTS.filter((part) =>
    q
      .split(/[，,。；;？?！!]/)
      .some(
        (clause) =>
          clause.includes(part.title.replace(/好$/, '')) &&
          /(一共|总共|共|合计|满分|总分)[^，,。；;？?]{0,3}(几分|多少)|(块|部分|方面)[^，,。；;？?]{0,3}(几分|多少分)/.test(
            clause,
          ),
      ),
  );
}

/** Words that give points rather than tell a situation: the parts' names, 满意率, 满分. */
const SCORING_WORDS = new RegExp(`${PARTS.map((p) => p.title.replace(/好$/, '')).join('|')}|满意[率度]|满分`, 'g');

/** The branch's own score asked (自评总分多少, 自评能打几分): the sheet adds it up, the weights make the final. */
const SELF_ASKED = /自评[^，,。；;？?]{0,4}(多少|几分)/;

/** A row's words without its number and full stop. */
const what = (text: string) => text.replace(/^\d+．/, '').replace(/。$/, '');

function compute(question: string): Computed | null {
  const q = question.normalize('NFKC').replace(/\s+/g, '');
  if (PERSONAL.test(q) && !BRANCH_GRADE.test(q)) return null;
  const given = readGiven(q, SHAPE);
  const veto = vetoSaid(q, VETO_LINES);
  if (FIT_ASKED.test(q) && SHEET_NAMED.test(q) && !givesScores(given) && !veto) {
    const text = `这张表是《${C.title}》，是给中小学校党支部分类定级用的参考标准；文件要求“因地制宜，因校制宜，分类指导”。文件没有为其他类型的支部另定标准，拿来用时按本单位实际调整。`;
    return { text, rests: [C.title, C.fit] };
  }
  const fromSheet = sheetTotal(q, given, veto);
  if (fromSheet) return fromSheet;
  if (given.self !== null && given.review !== null) return weighted(q, given.self, given.review, given, veto);
  // One score, of whoever: 自评 and 上级考评 are weighed together, but it grades as it stands.
  const scores = [
    ...given.totals,
    ...(given.self !== null ? [given.self] : []),
    ...(given.review !== null ? [given.review] : []),
  ];
  const mass = massPointsOf(given);
  if (mass && given.parts.get('mass') === undefined && scores.length === 0) {
    const low = mass.points < GRADING.massVeto;
    const text = `${rateWorked(given)}“群众反映好”得分 = ${GRADING.massMax} × 满意率 = ${GRADING.massMax} × ${fmt(given.rate ?? 0)}% = ${fmt(mass.points)}分。${
      low
        ? `低于${GRADING.massVeto}分，按规定直接定为后进（不论总分多少）。`
        : `不低于${GRADING.massVeto}分，不会因此直接定为后进。`
    }`;
    return { text, rests: [C.mass, C.veto] };
  }
  const grades = /档|级|等次|先进|较好|一般|后进|定为|评上|能评|评个|算啥|算什么|算哪/.test(q);
  // (A veto that holds decides whatever the score: answered below without it.)
  if (scores.length === 1 && grades && !veto?.holds && !(mass && mass.points < GRADING.massVeto)) {
    const score = scores[0] as number;
    if (score > 100) return null;
    const band = gradeOf(score);
    // A score one side gave is graded as it stands, and said how the final score is made.
    const side = given.self !== null ? '自评' : given.review !== null ? '上级考评' : '';
    const note = side ? `（这是${side}分；最后得分 = 自评 × ${SELF} + 上级考评 × ${REVIEW}，按最后得分定级）` : '';
    const graded = `${side ? `${side}${fmt(score)}分按总分看` : `总分${fmt(score)}分`}属于“${band.grade}”（${band.text}为${band.grade}；${wholeNote(score)}）${note}`;
    const rests = [C.bands, ...(side ? [C.weights] : []), ...(veto ? [C.veto] : [])];
    return { text: `${graded}。${toBand(q, score)}${vetoNote(veto)}`, rests, grade: band.grade };
  }
  // Several scores no one gave in particular, listed (三所学校得分93、75、58): each graded on its
  // own. (Scores said apart, 70分左右…不到60分呢, may be bounds: the bands answer those.)
  const listed = /\d分?[、和及]\d/.test(q);
  if (listed && scores.length > 1 && given.totals.length === scores.length && grades && !veto && !mass) {
    if (scores.some((s) => s > 100)) return null;
    const each = scores.map((s) => `得分${fmt(s)}属于“${gradeOf(s).grade}”`).join('，');
    const bands = scoring.bands.map((b) => `${b.text}为${b.grade}`).join('，');
    const text = `按分数线，${each}（${bands}；按整分计）。如有“直接定为后进”的情形，则不论得分都定为后进。`;
    return { text, rests: [C.bands] };
  }
  if (mass && mass.points < GRADING.massVeto && /先进|评|定级|等级|档|后进|影响|怎么样/.test(q)) {
    // A score given beside it grades as it stands, but the veto decides.
    const score = scores.length === 1 && (scores[0] as number) <= 100 ? gradeOf(scores[0] as number) : null;
    const before = score ? `总分${fmt(scores[0] as number)}分按分数线属于“${score.grade}”；但` : '';
    const text = `${before}${mass.from}，低于${GRADING.massVeto}分，按规定直接定为后进（不论总分多少）。`;
    return { text, rests: [...(given.rate !== null ? [C.mass] : []), C.veto], grade: LAST };
  }
  // The other way round: 群众反映好 18分 is a 满意率 of 90%.
  const points = given.parts.get('mass');
  if (points !== undefined && given.rate === null && /满意[率度]/.test(q)) {
    const rateOf = (points / GRADING.massMax) * 100;
    const text = `${rateWorked(given)}“群众反映好”得分 = ${GRADING.massMax} × 满意率，${fmt(points)}分相当于满意率 ${fmt(points)} ÷ ${GRADING.massMax} = ${fmt(rateOf)}%。`;
    return { text, rests: [C.mass] };
  }
  if (/(群众反映好|满意率|满意度).{0,8}(怎么|如何|咋)(算|计|打|评)/.test(q)) {
    const text = `“群众反映好”满分${GRADING.massMax}分，按教师、学生、家长满意度测评的满意率计分：得分 = ${GRADING.massMax} × 满意率；低于${GRADING.massVeto}分的直接定为后进。`;
    return { text, rests: [C.mass, C.veto] };
  }
  if (veto && /(先进|评|定级|等级|档|后进|影响)/.test(q)) {
    // A score given beside a veto that holds: the bands it would reach are quoted, the veto decides.
    const scored = veto.holds && scores.length === 1 && (scores[0] as number) <= 100;
    const text = veto.holds
      ? `按评分标准，${kindOf(veto)}这属于“直接定为后进”的情形（${veto.line}），有这种情形的不论得分多少都定为后进。`
      : `按评分标准，${UNMET(veto)}`;
    return { text, rests: scored ? [C.bands, C.veto] : [C.veto] };
  }
  const aboutSheet = /定级|评分|打分|分数|得分|等级|档次|先进|后进|考评|自评/.test(q);
  if (
    aboutSheet &&
    /(直接|一票否决|不看总分|不论.{0,3}分|不管.{0,3}分).{0,8}(后进|否决)|(哪些|什么)情况.{0,10}后进/.test(q)
  ) {
    const text = `按评分标准，存在下列情形之一的党支部不论总分多少都直接定为后进（包括但不限于）：${VETOES}。`;
    return { text, rests: [C.veto] };
  }
  // 分几大块、每块各占多少分、哪块分值最高: the sheet's parts and their points.
  if (
    /评分表|打分表|评分标准|(打分|评分|定级)的?那?张?表/.test(q) &&
    /(几|哪[几一]?|各|每|五)(大块|块|个?部分|个?方面)/.test(q)
  ) {
    const list = `评分表分为${PARTS.length}个部分：${PARTS.map((s) => `${s.title}${s.max}分`).join('，')}（合计${FULL_MARKS}分）`;
    const most = /最(高|多|大|重)/.test(q) ? 'max' : /最(低|少|小|轻)/.test(q) ? 'min' : null;
    const pick = most && extreme(PARTS, most);
    const which = pick
      ? `；分值最${most === 'max' ? '高' : '低'}的是${pick.map((p) => `“${p.title}”（${p.max}分）`).join('、')}`
      : '';
    return { text: `${list}${which}。`, rests: [`分为${PARTS.length}个部分`] };
  }
  // (Who scores: a 比例 alone may be one an item asks for, 党员教师比例较高; 各占 alone may ask of items, 这两条各占几分.)
  if (aboutSheet && /权重|各占|占比|比例|占多少|比重/.test(q) && /自评|自己|上级|考评|权重/.test(q)) {
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
    const points = /几分|多少分|分值|扣/.test(q);
    // Several items asked at once (党费没收齐，经费没单列，这两条各值几分): each clause names its own.
    const each = [...new Set(q.split(/[，,；;：:。？?]/).map((c) => itemNamed(c, points)))].filter(
      (i): i is (typeof ITEMS)[number] => i !== null,
    );
    const one = itemNamed(q, points);
    const items = each.length > 1 && /各|分别|两条|两项|几条|几项|这些/.test(q) ? each : one ? [one] : [];
    if (items.length === 0) return null;
    const lines = items.map(
      (item) =>
        `评分表“${item.section}”部分第${item.id.slice(1)}项（满分${item.max}分）：${item.text.replace(/^\d+．/, '').replace(/。$/, '')}。`,
    );
    const rests = items.map((item) => rowWords(item.text));
    // Asked the grade with the rest at full marks (这条要扣多少分？别的都按满分算能不能评先进): the
    // total and its grade even if the item loses all its points, which is the most it can cost.
    const only = items.length === 1 ? items[0] : undefined;
    if (only?.max && given.restFull && GRADE_ASKED.test(q)) {
      const total = FULL_MARKS - only.max;
      const band = gradeOf(total);
      lines.push(
        `这一项最多扣${only.max}分；其余都按满分算，即使这一项全扣，合计 ${FULL_MARKS} − ${only.max} = ${total}分，属于“${band.grade}”（${band.text}为${band.grade}；按整分计）。${vetoNote(veto)}`,
      );
      return { text: lines.join('\n'), rests: [...rests, C.bands], grade: band.grade };
    }
    return { text: lines.join('\n'), rests };
  }
  return null;
}

/** Asking which grade the branch comes to. */
const GRADE_ASKED = /先进|较好|一般|后进|档|等级|等次|定级|评上|能评|算啥|算什么|算哪/;

/** Words of an item's row to find it by in the loaded sheet. */
const rowWords = (text: string) => text.replace(/^\d+．/, '').slice(0, 12);

/** The sheet's item a text names: the most of its words, and no other as many. */
function itemNamed(text: string, points: boolean): (typeof ITEMS)[number] | null {
  // (A word most rows share, 党员, names none of them: 两名党员党费没交齐 names the 党费 row.)
  const asked = [...bigrams(text)].filter((b) => !GENERIC.has(b) && !COMMON.has(b));
  const ranked = ITEMS.map((item) => ({ item, n: asked.filter((b) => item.text.includes(b)).length })).sort(
    (a, b) => b.n - a.n,
  );
  const best = ranked[0];
  // Asked its points, one word may name the item when no other item has it (党费 is item 13's alone).
  const least = points && (ranked[1]?.n ?? 0) === 0 ? 1 : 2;
  if (!best || best.n < least || (ranked[1]?.n ?? 0) === best.n) return null;
  return best.item;
}
