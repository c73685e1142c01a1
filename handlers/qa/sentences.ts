// The sentences of retrieved passages that answer a question: split where a reader would,
// kept only when they hold what was asked (a number in its unit, a time, a definition, a list),
// scored by how much of the question they cover, and widened to the clauses they need.
import type { KbPassage } from '../../storage/kb';
import type { Question } from './question';
import { coverage, flat, type Hit, type Weighted } from './retrieve';

/**
 * A filled-in form holds one school's data: it answers only questions about a named school
 * (兰陵小学, not 民办学校 or 中小学校) or about a form (整改表, not 评分表, which is the sheet).
 */
export function aboutAForm(text: string): boolean {
  const schools = text.match(/[\u4e00-\u9fff]{2,4}?(?=小学|中学|学校|幼儿园)/g) ?? [];
  return (
    schools.some(
      (name) =>
        !/^(民办|中小|公办|农村|城区|乡镇|全县|全市|全区|各|本|所属|直属|高中|初中)/.test(name) &&
        !/[中个是的所类级]$/.test(name),
    ) || /(整改|调查|摸底|定级|统计)表|表里填|填的/.test(text)
  );
}

const CN_NUM = '[一二两三四五六七八九十百]';
const DURATION = new RegExp(`(\\d+|${CN_NUM}+)个?(月|年|天|周|小时|学时|课时|节)`);
const SATISFIES: Record<string, RegExp> = {
  number: new RegExp(`\\d|${CN_NUM}+(个|名|次|项|期|节|人|分|级|条)|百分之|半数|全覆盖|全部`),
  frequency: new RegExp(
    `每(年|月|季度?|学期|半年|周|两年|届)|年度|季度|月度|定期|经常|常态|${CN_NUM}年${CN_NUM}次|\\d+年\\d+次|至少\\d+次|不少于\\d+次|\\d+次|${CN_NUM}次`,
  ),
  time: /\d+月|[上中下]旬|年底|年初|年中|月底|之前|以前|提前|届满|期间|阶段|\d{4}年/,
  who: /书记|班子成员|党委|工委|支部|负责人|校长|局领导|科|党员|委员|联系人|[\u4e00-\u9fff]{2,3}(：|同志)/,
};

const QUANTITY = [SATISFIES.number as RegExp, SATISFIES.frequency as RegExp, DURATION];

export interface Sentence {
  hit: Hit;
  text: string;
  index: number;
  score: number;
}

/**
 * Sentences end at 。！？ and line ends, and at ； unless a colon introduces the list the
 * semicolons separate (“五看”：看…；看…). A table row is one sentence.
 */
export function sentencesOf(text: string, kind: KbPassage['kind'] = 'text'): string[] {
  if (kind === 'row') return [text];
  return (text.match(/[^。！？\n]+[。！？]?/g) ?? [text])
    .flatMap((s) => (/[：:]/.test(s) ? [s] : (s.match(/[^；]+；?/g) ?? [s])))
    .map((s) => s.trim())
    .filter((s) => s.length > 1);
}

/** A row's item number and score columns are not the number a question asks for. */
function withoutTableNoise(q: Question, s: string): string {
  const aboutPoints = /分/.test(q.text);
  return s
    .replace(/^[^：]{0,12}\d+分：/, aboutPoints ? '$&' : '')
    .replace(/^\d{1,2}[．.、]/, '')
    .replace(/。\d+分(（[^）]*）)?$/, aboutPoints ? '$&' : '。');
}

function satisfiesNeeds(q: Question, s: string): boolean {
  const plain = withoutTableNoise(q, s);
  // A number or a frequency (or a duration, 提前6个月) answers 多少, 几次 and 多久 alike.
  if ((q.needs.includes('number') || q.needs.includes('frequency')) && !QUANTITY.some((re) => re.test(plain))) {
    return false;
  }
  if (q.unit && !q.unit.test(plain)) return false;
  for (const need of q.needs) {
    if ((need === 'time' || need === 'who') && !(SATISFIES[need] as RegExp).test(plain)) return false;
    if (need === 'steps' && !STEPS.test(plain)) return false;
    if (need === 'list' && !/、.*、|[：:]|；|包括|分别|\d[．.、]/.test(plain)) return false;
    if (need === 'list' && q.term && !enumerates(plain, q.term)) return false;
  }
  return true;
}

/** The sentence lists the members of a named term: items beside it in its clause, or a colon after it. */
function enumerates(sentence: string, term: string): boolean {
  const text = flat(sentence);
  const at = text.indexOf(flat(term));
  if (at < 0) return true; // the sentence lists something else the question names
  if (/^[”"]?[：:（(]|^[”"]?(包括|即|是指|指)/.test(text.slice(at + flat(term).length))) return true;
  // The items stand in the term's clause or the one after it (“三培养”机制，把…培养成…、…、…).
  const clauses = text.split(/[，,。；;]/);
  const at2 = clauses.findIndex((c) => c.includes(flat(term)));
  return clauses.slice(at2, at2 + 2).some((c) => (c.match(/、/g) ?? []).length >= 2);
}

const STEPS =
  /阶段|第[一二三四五六七八九十]|[一二三四五六七八九十]是|首先|其次|然后|步骤|\d+月|[上中下]旬|月底|年底|之前|（[一二三四五六七八九十]）|\d+[、.．]/;
// Text is compared normalised (NFKC): a full-width （ is ( here.
const DEFINES = (term: string) => new RegExp(`${escapeRegExp(term)}[”"]?(是指|指的是|是|即|就是|：|:|，即|,即|\\()`);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The sentence, and the sentences after it while the answer stays short: requirements often
 * run on (“…每半年向上级党组织报告1次工作。上级党组织要把…”), and a heading alone says little.
 */
export function expanded(s: Sentence, all: string[], soft = ANSWER_SOFT_MAX): string {
  const hard = soft + 40;
  let text = s.text;
  // A clause after a semicolon reads with the clauses before it (…分设；其他学校…一肩挑).
  for (let i = s.index - 1; i >= 0 && /；$/.test(all[i] as string); i--) {
    if (text.length + (all[i] as string).length > soft || text.startsWith(all[i] as string)) break;
    text = (all[i] as string) + text;
  }
  for (let i = s.index + 1; i < all.length; i++) {
    const next = all[i] as string;
    const headingOnly = text.length < 18 || /^[一二三四五六七八九十\d（(]/.test(text);
    if (!headingOnly && text.length + next.length > soft) break;
    if (text.length + next.length > hard) break;
    text += next;
  }
  return text;
}

export const ANSWER_SOFT_MAX = 200;

interface ScanOptions {
  /** Keep only sentences that hold what the question asks for (a number, a time…). */
  needs: boolean;
  /** The share of the question the sentence (with its section title) must cover. */
  minSentence: number;
}

/** The sentences of the hits that are about the question, scored. */
export function sentencesAbout(q: Question, hits: Hit[], weighted: Weighted[], o: ScanOptions): Sentence[] {
  const defining = o.needs && q.needs.includes('definition') && q.term ? DEFINES(flat(q.term)) : null;
  const scored: Sentence[] = [];
  for (const [rank, hit] of hits.entries()) {
    const all = sentencesOf(hit.passage.text, hit.passage.kind);
    const context = flat(`${hit.passage.text}${hit.passage.section}${hit.passage.headings.join('')}${hit.doc.title}`);
    all.forEach((text, index) => {
      // A short lead sentence (第一阶段（2022年）：宣传发动。) belongs with the one after it.
      const lead = index > 0 && (all[index - 1] as string).length < 24 ? (all[index - 1] as string) : '';
      const window = lead + text;
      if (o.needs && !satisfiesNeeds(q, window)) return;
      if (defining && !defining.test(flat(window)) && !hit.passage.section.startsWith('名词解释')) return;
      const cov = coverage(flat(window), context, weighted);
      // The sentence with its section's title (the subject a heading gives it) must be about the question.
      if (coverage(flat(window + hit.passage.section), '', weighted) < o.minSentence) return;
      scored.push({ hit, text: window, index, score: cov + hit.coverage + hit.score * 0.1 - rank * 0.01 });
    });
  }
  return scored;
}
