// The sentences of retrieved passages that answer a question: split where a reader would,
// kept only when they hold what was asked (a number in its unit, a time, a definition, a list),
// scored by how much of the question they cover, and widened to the clauses they need.
import type { KbPassage } from '../../storage/kb';
import { numbers, parallelAsked, spelledIn } from './parallel';
import type { Need, Question } from './question';
import { coverage, flat, type Hit, type Weighted } from './retrieve';
import { boundaries, holdsWord } from './tokenize';

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
        // (我们学校, 咱学校 is the member's own school, not the one a form was filled for.)
        !/[中个是的所类级们我咱]$/.test(name),
    ) || /(整改|调查|摸底|定级|统计)表|表里填|填的/.test(text)
  );
}

/**
 * A form's line of labels (填报支部（盖章）：填报人及职务：书记 联系电话：…): three fields or more,
 * each a few words with no clause in it. It names what to fill in; it rules nothing.
 */
export function isLabelLine(text: string): boolean {
  const fields = text.replace(/\s+/g, '').split(/[：:]/);
  return fields.length >= 3 && fields.every((f) => f.length <= LABEL_MAX && !/[，,。；;、]/.test(f));
}
/** The longest field of a label line. */
const LABEL_MAX = 14;

const CN_NUM = '[一二两三四五六七八九十百]';
// (A year, 2020年, is no duration: at most three digits.)
const DURATION = new RegExp(`((?<!\\d)\\d{1,3}|${CN_NUM}+)个?(月|年|天|周|小时|学时|课时|节)`);
const SATISFIES: Record<string, RegExp> = {
  number: new RegExp(`\\d|${CN_NUM}+(个|名|次|项|期|节|人|分|级|条)|百分之|半数|全覆盖|全部`),
  // How often, stated: 每学期, 一年两次, 1次 (定期, 经常, 常态化 say it is regular, not how often).
  frequency: new RegExp(
    `每(年|月|季度?|学期|半年|周|两年|届)|${CN_NUM}年${CN_NUM}次|\\d+年\\d+次|至少\\d+次|不少于\\d+次|\\d+次|${CN_NUM}次`,
  ),
  time: /\d+月|[上中下]旬|年底|年初|年中|月底|之前|以前|提前|届满|期间|阶段|\d{4}年/,
  who: /书记|班子成员|党委|工委|支部|负责人|校长|局领导|科|党员|委员|联系人|[\u4e00-\u9fff]{2,3}(：|同志)/,
};

const QUANTITY = [SATISFIES.number as RegExp, SATISFIES.frequency as RegExp, DURATION];
const OFTEN = [SATISFIES.frequency as RegExp, DURATION];

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
  // A colon's list goes on over a line end after a ； (…实现五个推动：推动…；\n推动…；推动…。).
  const lists = text.replace(/([：:][^\n]*；)\n(?=[^\n])/g, '$1');
  return (lists.match(/[^。！？\n]+[。！？]?/g) ?? [lists])
    .flatMap((s) => (/[：:]/.test(s) ? [s] : (s.match(/[^；]+；?/g) ?? [s])))
    .map((s) => s.trim())
    .filter((s) => s.length > 1);
}

/**
 * A row's item number and score columns are not the number a question asks for, nor is a number
 * that names something (“525”程序), nor a lead time when none is asked (任期多长 ≠ 提前6个月).
 */
function withoutTableNoise(q: Question, s: string): string {
  const aboutPoints = /分/.test(q.text);
  return (
    s
      .replace(/[“"]\d+[”"]/g, '')
      // A lead time (提前6个月通知) is no duration of the subject, unless a lead time is asked.
      .replace(/提前\d+个?(月|天|周|年|日|小时|个工作日)/g, /提前/.test(q.text) ? '$&' : '')
      .replace(/^[^：]{0,12}\d+分：/, aboutPoints ? '$&' : '')
      .replace(/^\d{1,2}[．.、]/, '')
      .replace(/。\d+分(（[^）]*）)?$/, aboutPoints ? '$&' : '。')
  );
}

/** The text gives what the question asks for: a number in its unit, a frequency, a time, who, a list, steps. */
export function givesNeeds(q: Question, s: string): boolean {
  const plain = withoutTableNoise(q, s);
  // A number, a frequency or a duration (提前6个月) answers 多少; how often (多久一次) only a
  // frequency or a duration does (八项规定 is no frequency).
  if (q.needs.includes('number') && !QUANTITY.some((re) => re.test(plain))) return false;
  if (q.needs.includes('frequency') && !OFTEN.some((re) => re.test(plain))) return false;
  if (q.unit && !q.unit.test(plain)) return false;
  // A period asked of with no figure (每个月有没有补贴) is part of what is asked: said of that period.
  const period = q.text.match(PERIOD)?.[1];
  if (period && !q.needs.some((n) => FIGURES.includes(n)) && !new RegExp(`每个?${period}|${period}度`).test(plain))
    return false;
  for (const need of q.needs) {
    if ((need === 'time' || need === 'who') && !(SATISFIES[need] as RegExp).test(plain)) return false;
    if (need === 'steps' && !STEPS.test(plain)) return false;
    if (need === 'list' && !/、.*、|[：:]|；|包括|分别|\d[．.、]/.test(plain)) return false;
    if (need === 'list' && q.term && !enumerates(plain, q.term)) return false;
  }
  return true;
}

/** A period a question names: 每个月, 每学期. */
const PERIOD = /每个?(月|年|季度?|学期|半年|周)/;

/** Words that make a figure a lower bound (不少于1次, 确保每年发展一名) or an upper one (不超过, 以内). */
const LOWER = /至少|不少于|不低于|以上|起码|最低|确保|保证|力争|争取/;
const UPPER = /不超过|不得超过|以内|以下|最多|至多|控制在|上限/;
/** The needs a figure answers: it must be said of the subject asked, with the bound asked. */
export const FIGURES: Need[] = ['number', 'frequency', 'time', 'who'];

/**
 * The sentence states the figure asked of the subject asked: in a clause (，；：) that gives it,
 * with the bound asked (至少 is not 最多), and that names the subject itself, or whose neighbours or
 * the sentence's opening clause do (a sentence naming none of it is about its heading's) (党支部书记要…，…，每半年向上级党组织报告1次工作). A figure in
 * a clause about something else in the same sentence is not the answer.
 */
export function statesFigure(q: Question, sentence: string, names: (text: string) => boolean): boolean {
  const asked = q.needs.filter((n) => FIGURES.includes(n));
  // A sentence naming none of the subject is about its heading's (二、领导联系基层: 每季度到联络点…).
  if (asked.length === 0 || !names(sentence)) return true;
  const clauses = withoutTableNoise(q, sentence)
    .split(/(?<=[，,；;：:。！？])/)
    .filter((c) => c.trim());
  const tied = clauses.map((c, i) =>
    boundFits(q, c) ? names(`${clauses[0]}${clauses.slice(Math.max(0, i - TIE), i + TIE + 1).join('')}`) : false,
  );
  // Each figure asked (when and who) in a clause of its own, or in one.
  return asked.every((need) => clauses.some((c, i) => tied[i] && givesNeeds({ ...q, needs: [need] }, c)));
}

/** Clauses either side of a figure's that may name what it is of (…前梳理汇总意见建议，…，反馈至局党建科). */
const TIE = 2;

function boundFits(q: Question, clause: string): boolean {
  if (!q.bound) return true;
  const lower = LOWER.test(clause);
  const upper = UPPER.test(clause);
  return q.bound === 'max' ? !(lower && !upper) : !(upper && !lower);
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
export const DEFINES = (term: string) =>
  new RegExp(`${escapeRegExp(term)}[”"]?(是指|指的是|是|即|就是|：|:|，即|,即|\\()`);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The sentence, with the clauses before it it reads with and what it needs after it (a heading
 * alone says little): one or two sentences, not the paragraph.
 */
export function expanded(
  s: Sentence,
  all: string[],
  soft = ANSWER_SOFT_MAX,
  lists = false,
  /** The sentence gives not what was asked: its next clause, where the rule often goes on, with it. */
  clauseOn = false,
): string {
  const hard = soft + 40;
  let text = s.text;
  // A clause that goes on from the one before its semicolon reads with it (…分设；其他学校…一肩挑).
  const before = all[s.index - 1];
  if (
    before &&
    /；$/.test(before) &&
    GOES_ON.test(text) &&
    !text.startsWith(before) &&
    text.length + before.length <= soft
  )
    text = before + text;
  // What follows, only while the answer is not yet a sentence of its own (the sentence itself is
  // short: a heading, a short lead), or introduces a list (…：), or is one of a run of clauses
  // alike (到2024年底前…；到2025年底前…), or, when a list is asked for, counts one out after a
  // colon (突出“五看”：看…；看…): not the rest of the paragraph.
  let stands = (all[s.index] ?? s.text).length >= SELF_STANDING;
  let run = false;
  for (let i = s.index + 1; i < all.length; i++) {
    const next = all[i] as string;
    const alike = alikeClauses(all[i - 1] as string, next, /[；;]$/.test(text));
    const list = lists && ITEMS_AFTER_COLON.test(next);
    // (A short sentence closing a run sums it up: 切实做到述职述党建、评议评党建….)
    const closing = run && !alike && next.length < SELF_STANDING;
    // (…对苗头性问题及时提醒谈话、批评教育；继续举办思想素质提升班…: the same sentence goes on.)
    const goesOn =
      clauseOn &&
      i === s.index + 1 &&
      /[；;]$/.test(text) &&
      sameSentence(s.hit.passage.text, all[i - 1] as string, next);
    run = alike;
    if (stands && !/[：:]$/.test(text) && !alike && !list && !closing && !goesOn) break;
    if (stands && !alike && !list && !closing && text.length + next.length > soft) break;
    if (text.length + next.length > hard) break;
    text += next;
    stands ||= next.length >= SELF_STANDING;
  }
  return text;
}

export const ANSWER_SOFT_MAX = 200;

/** Two clauses a ； separates within one sentence of the text, not on lines of their own. */
const sameSentence = (text: string, clause: string, next: string) => text.includes(`${clause}${next}`);

/**
 * A long sentence from its first clause that holds any of the concepts (…marks what is left out):
 * the clauses before it are context the answer does not need (为深入贯彻…精神，…); what follows it
 * is the rule.
 */
export function trimmed(text: string, concepts: Weighted[], from = TRIM_FROM): string {
  if (text.length <= from || concepts.length === 0) return text;
  const parts = text.split(/(?<=[，,；;])/);
  const held = parts.flatMap((p, i) =>
    concepts.some((w) => w.concept.forms.some((f) => flat(p).includes(flat(f)))) ? [i] : [],
  );
  const first = held[0];
  // (A short lead-in, 加强网络宣传工作，, names what the rule is about: it stays.)
  if (first === undefined || parts.slice(0, first).join('').length < TRIM_LEAD) return text;
  return `…${parts.slice(first).join('')}`;
}

/** A lead-in this long before what was asked is left out. */
const TRIM_LEAD = 30;

/** Sentences up to this long are quoted whole. */
const TRIM_FROM = 80;
/**
 * The next sentence goes on with a run the previous one is in: both dated (…，到2023年底前…；
 * 到2024年底前…), both opening with a quoted name (“联述”要求…。“联评”要求…), or, after a
 * semicolon, alike in their first words.
 */
function alikeClauses(previous: string, next: string, semicolon: boolean): boolean {
  const clauses = previous.split(/(?<=[，,；;。])/);
  if (DATED_CLAUSE.test(next) && clauses.some((c) => DATED_CLAUSE.test(c))) return true;
  if (/^[“"]/.test(next) && /^[“"]/.test(previous)) return true;
  return semicolon && previous.slice(0, 2) === next.slice(0, 2);
}

const DATED_CLAUSE = /^(到|至)?20\d\d年/;

/** Items counted out after a colon, separated by ；or 、. */
const ITEMS_AFTER_COLON = /[：:][^。：:]*?([；;][^。；;]+){2,}|[：:][^。：:]*?(、[^。、；;]+){3,}/;

/** A clause that goes on from the one before it: the others, the exception, what is also required. */
const GOES_ON = /^(其他|其余|其中|但|同时|并|且|另|对于?|凡)/;
/** A sentence this long stands as an answer on its own. */
const SELF_STANDING = 40;

/** A sentence of a retrieved passage, as a candidate answer to the question. */
export interface Candidate extends Sentence {
  /** 0..1: the share of the question (weighted by rarity) it holds, half credit for its headings'. */
  cov: number;
  /** It gives what was asked: a number in the unit asked, a frequency, a time, who, a list, steps. */
  gives: boolean;
  /** It is only a heading or a document's title: it names a rule, it states none. */
  heading: boolean;
  /** 0..1: the share of the subject (weighted by rarity) in the sentence or its headings, as related rules are ranked. */
  held: number;
  /** It is about the subject asked: every concept of it is in the sentence or the headings above it. */
  about: boolean;
  /** It speaks of what the question is on: it holds one of its specific concepts, at least. */
  topical: boolean;
  /** The years asked about are its (in it, its headings or its document's title). */
  years: boolean;
}

/** Every sentence of the hits, with what it holds of the question. */
export function candidates(
  q: Question,
  hits: Hit[],
  weighted: Weighted[],
  subject: Weighted[],
  topic: Weighted[],
  /** The subject as related rules are ranked by (with what the member reported before the question). */
  ranking: Weighted[] = subject,
  /** The question's own words, without what was said before it: a list is about them. */
  own = '',
): Candidate[] {
  const out: Candidate[] = [];
  // A listing clause must hold some of the subject the question itself names (纪检小组日常…哪几块:
  // 日常), not only what the member said before it (刚入党…哪三个会: 入党).
  const asked = subject.filter((w) => own.includes(flat(w.concept.word)));
  const ownHeld = (has: (w: Weighted) => boolean) => asked.some(has);
  // The subject as the documents can name it (a word they never use is in no clause).
  const named = subject.filter((w) => w.df !== 0);
  const names = (text: string) => {
    if (named.length === 0) return true;
    const words = new Words(flat(text));
    return named.some((w) =>
      w.concept.forms.some((f) => (f === w.concept.word || !w.concept.word.includes(f)) && words.holds(flat(f))),
    );
  };
  // The items of a numbered term or of a verb asking for several, spelled out as its parallel clauses (五看: 看…；看…).
  // (Asked what a term means, its own sentences are quoted, each document's once: the spelled-out
  // sentence would take the place of the one naming it.)
  const parallel = parallelAsked(q.text).filter((v) => v.asking || q.comparison || !q.needs.includes('definition'));
  const timed = q.needs.includes('time');
  const forms = aboutAForm(q.text);
  for (const [rank, hit] of hits.entries()) {
    const { all, heads, windows, stage } = readOf(hit);
    all.forEach((text, index) => {
      // A form's label line (填报支部（盖章）：填报人：…) answers only a question about filling in a form.
      if (!forms && isLabelLine(text)) return;
      const read = windows[index] as Read['windows'][number];
      // Asked when, a sentence of a stage says it with the stage's span (对于应建而未建党组织的… is
      // done in （二）…（4月上旬—5月下旬）): it reads with the stage's heading.
      const staged = timed && index > 0 && stage && !givesNeeds(q, read.lead + text);
      const {
        lead,
        words: window,
        own,
      } = staged
        ? {
            lead: `${stage}…`,
            words: new Words(flat(`${stage}${text}`)),
            own: new Words(flat(`${stage}${untitled(text)}`)),
          }
        : read;
      const covered = coverage(window.text, heads.text, weighted);
      // A form that is only part of the user's word (联系 of 联系点) does not hold it.
      const known = new Map<Weighted, boolean>();
      const has = (w: Weighted) => {
        let held = known.get(w);
        if (held === undefined) {
          held = w.concept.forms.some(
            (f) =>
              (f === w.concept.word || !w.concept.word.includes(f)) &&
              ((w.concept.word === q.askedNoun ? own : window).holds(flat(f)) || heads.holds(flat(f))),
          );
          known.set(w, held);
        }
        return held;
      };
      const holds = `${window.text}${heads.text}`;
      // The numbered terms asked that the sentence spells out (把…培养成…，把…培养成… is 双培养): it holds them.
      const spelled = spelledIn(parallel, text);
      const spells = (w: Weighted) => spelled.some((v) => numbers(w.concept.word, v));
      const holdsOrSpells = (w: Weighted) => has(w) || spells(w);
      // (…and holds the question as much as if it named them.)
      const cov = spelled.length > 0 ? Math.max(covered, share(weighted, holdsOrSpells)) : covered;
      const heading = isHeading(text, hit);
      // A clause listing the items asked for seldom repeats the whole subject (对工作纪律、项目推进…的
      // 日常监督): holding some of it, it is about what its passage is about, said in the sentence or the
      // item before it (…纪检小组要履职尽责); or it counts out the very list asked (…等6块阵地 for 哪几块阵地).
      const listsAbout = () => {
        if (!q.needs.includes('list') || !LISTED.test(window.text)) return false;
        if (q.listHead && countsOut(window.text, q.listHead)) return true;
        if (!ownHeld(has)) return false;
        const before = new Words(flat(`${all[index - 1] ?? ''}${itemBefore(hit)}`));
        const near = (w: Weighted) =>
          w.concept.forms.some((f) => (f === w.concept.word || !w.concept.word.includes(f)) && before.holds(flat(f)));
        return subject.every((w) => has(w) || near(w));
      };
      out.push({
        hit,
        text: lead + text,
        index,
        cov,
        // A heading or a title gives nothing but its name; a figure, only of the subject asked.
        gives: !heading && givesNeeds(q, lead + text) && statesFigure(q, lead + text, names),
        heading,
        held: share(ranking, has),
        // (A sentence spelling out the items a verb asks for (看哪几方面: 看…；看…) is about them where
        // it holds some of the subject.)
        about:
          subject.every(holdsOrSpells) ||
          listsAbout() ||
          (spelled.some((v) => v.asking) && subject.some(holdsOrSpells)),
        topical: topic.some(holdsOrSpells),
        years: q.years.every((y) => holds.includes(y)),
        score:
          cov +
          0.5 * hit.coverage -
          rank * 0.02 +
          ((q.listHead && countsOut(window.text, q.listHead)) || spelled.length > 0 ? LIST_BONUS : 0),
      });
    });
  }
  return out;
}

/** A passage as its sentences are read: each with its lead, as Words; its headings and title. */
interface Read {
  all: string[];
  /** The stage heading the passage opens with, with its span (（二）健全组织，…保覆盖（4月上旬—5月下旬）), if any. */
  stage: string;
  heads: Words;
  windows: { lead: string; words: Words; own: Words }[];
}

/**
 * A text without the names of the documents it cites (《中国共产党纪律处分条例》): a word inside a
 * title is what that document is called, not what the sentence gives (学习《纪律处分条例》 sets no 处分).
 */
export const untitled = (text: string) => text.replace(/《[^》]*》/g, '《》');

/** Each hit is read once, however many times its sentences are weighed (answer, comparison, terms). */
const reads = new WeakMap<Hit, Read>();

/**
 * The sentence before, with its own lead, when the sentence reads only with it (null otherwise):
 * - it spells out what the one before introduces: it counts out items (、 or 是否 clauses) and opens
 *   on a word of that sentence's last clause (…进行一次全面的调研。重点调研组织设置是否合理、领导班子是否健全…);
 * - or it says 分别, 依次 or 各 of items it does not name, which the one before (or its lead) names
 *   (…引领型、规范型、提升型分别要达到15%…；到2024年底前，分别要达到25%、70%、90%左右).
 */
function carries(before: string, text: string, beforeLead: string): string | null {
  if (!before) return null;
  const back = text.match(POINTS_BACK);
  if (back && !/、/.test(text.slice(0, back.index))) {
    // (From the clause naming them: 到2024年底前… reads with 引领型、规范型、提升型分别…, not the whole paragraph.)
    const earlier = beforeLead + before;
    const named = earlier.search(NAMES_ITEMS);
    return named < 0 ? null : `${named > 0 ? '…' : ''}${earlier.slice(named)}`.slice(0, CARRIED_MAX);
  }
  // A short sentence that sets a figure of what the one before names (…积极申报党建创新项目，…。争取年内
  // 成功申报金凤区级以上项目1个。): from the clause naming it.
  const short = text.length < SHORT_FIGURE && /\d/.test(text) && !/\d/.test(before);
  const shared = short ? bigramsOf(text).filter((b) => before.includes(b)) : [];
  if (shared.length >= 2) {
    const clauses = before.split(/(?<=[，,；;])/);
    const from = clauses.findIndex((c) => shared.some((b) => c.includes(b)));
    return `${from > 0 ? '…' : ''}${clauses.slice(from).join('')}`.slice(0, CARRIED_MAX);
  }
  const items = (text.match(/是否/g) ?? []).length >= 2 || LISTED.test(text);
  if (!items) return null;
  const introduces = !LISTED.test(before) && !/是否.*是否/.test(before) && /。$/.test(before);
  const opening = text.slice(0, OPENING_WORD_SPAN);
  // (The word is what the sentence before ends on: the subject it introduces.)
  const last = before.slice(before.search(/[^，,；;：:。]*。$/));
  const continues = [...opening].some((_, i) => i + 2 <= opening.length && last.includes(opening.slice(i, i + 2)));
  const earlier = beforeLead + before;
  return items && introduces && continues && earlier.length <= CARRIED_MAX ? earlier : null;
}

/** A sentence this short setting a figure reads with the one before it that names what it is of. */
const SHORT_FIGURE = 30;
/** The two-character runs of Chinese in a text. */
const bigramsOf = (text: string) =>
  (text.match(/\p{Script=Han}+/gu) ?? []).flatMap((run) => [...run].slice(1).map((c, i) => `${run[i]}${c}`));

/** Words that say a figure of each item named before (分别要达到, 依次为, 各占). */
const POINTS_BACK = /分别|依次|各(?:为|占|达|是|要|有)/;
/** A clause naming items and a figure of each (引领型、规范型、提升型分别要达到…). */
const NAMES_ITEMS = new RegExp(`[^，,；;。]*、[^，,；;。]*(${POINTS_BACK.source})`);
/** A sentence spelling out the one before repeats a word of it within its first characters (重点调研…). */
const OPENING_WORD_SPAN = 5;
/** The longest sentence (with its lead) carried before another. */
const CARRIED_MAX = 160;

function readOf(hit: Hit): Read {
  const had = reads.get(hit);
  if (had) return had;
  const all = sentencesOf(hit.passage.text, hit.passage.kind);
  const read: Read = {
    all,
    stage: (all[0] ?? '').match(STAGE)?.[0] ?? '',
    // The headings above the passage and its document's title; a filled-in form's sentences are
    // all about the branch it names (its last heading).
    heads: new Words(
      flat(
        `${hit.passage.section}${hit.passage.headings.join('')}${hit.doc.title}${hit.passage.kind === 'form' ? (hit.passage.headings.at(-1) ?? '') : ''}`,
      ),
    ),
    windows: [],
  };
  for (const [index, text] of all.entries()) {
    const before = index > 0 ? (all[index - 1] as string) : '';
    // A short lead that heads the sentence (第一阶段（2022年）：宣传发动。) belongs with it; so does
    // the sentence it spells out or points back to, with that one's own lead.
    const carried = carries(before, text, read.windows[index - 1]?.lead ?? '');
    const lead = carried ?? (before.length < 24 && LEAD.test(before) ? before : '');
    read.windows.push({ lead, words: new Words(flat(lead + text)), own: new Words(flat(untitled(lead + text))) });
  }
  reads.set(hit, read);
  return read;
}

/** A text and, once a word is looked for in it, where its words begin and end. */
class Words {
  private bounds: Set<number> | undefined;
  constructor(readonly text: string) {}

  /** It holds `word` as words or inside one, not straddling two (see holdsWord). */
  holds(word: string): boolean {
    if (!this.text.includes(word)) return false;
    // (A word of three characters or more hardly ever straddles two by chance.)
    if (word.length > 2) return true;
    this.bounds ??= boundaries(this.text);
    return holdsWord(this.text, word, this.bounds);
  }
}

/** The weighted share of the concepts that `has` holds (1 when there are none). */
function share(concepts: Weighted[], has: (w: Weighted) => boolean): number {
  const all = concepts.reduce((n, w) => n + w.weight, 0);
  return all === 0 ? 1 : concepts.reduce((n, w) => n + (has(w) ? w.weight : 0), 0) / all;
}

/** A clause of three items or more side by side. */
const LISTED = /[^，,；;。]*、[^，,；;。]*、/;

/** The item before the hit's passage under the same heading (1. 加大执纪监督力度… before 2. 持续强化反腐力度…), if retrieved near it. */
function itemBefore(hit: Hit): string {
  const { ord, headings } = hit.passage;
  const parent = headings.slice(0, -1).join('\n');
  return hit.near?.find((p) => p.ord === ord - 1 && p.headings.slice(0, -1).join('\n') === parent)?.text ?? '';
}

/** A sentence that counts out the list asked for scores this much higher. */
const LIST_BONUS = 0.3;

/** The sentence is only a heading or a document's title (…的通知, 2.深化…方案（征求意见稿）单位（盖章）：). */
function isHeading(text: string, hit: Hit): boolean {
  const t = flat(text).replace(/^[一二三四五六七八九十\d]+[、.．]|^[（(][一二三四五六七八九十\d]+[）)]/, '');
  const heading = flat(hit.passage.headings.at(-1) ?? '');
  return (
    (heading.length > 0 && (t === heading || t === `${heading}。`)) ||
    (!/[，,；]/.test(t) &&
      /^(中共|关于|\d|《)|《/.test(t) &&
      /(通知|方案|意见|要点|办法|细则|决定)[”》]?(（[^）]*）)?(单位（盖章）)?[。：:]?$/.test(t))
  );
}

/** The sentence counts out what the list is of: 6块阵地, “五个一”要求, 三个名册, 阵地：… */
function countsOut(text: string, head: { counter: string; noun: string }): boolean {
  const noun = escapeRegExp(head.noun);
  return new RegExp(
    `(\\d+|[一二三四五六七八九十两]+)${head.counter || '[个块项类种条]'}${noun}|${noun}[”"]?[：:]`,
  ).test(text);
}

/** A stage's heading with its span in brackets: （二）健全组织，理顺关系，保覆盖（4月上旬—5月下旬）. */
export const STAGE = /^[（(][一二三四五六七八九十]+[）)][^（(。]{2,30}[（(][^）)]*\d+[月年][^）)]*[）)]/;

/** A sentence that heads what follows it: a numbered heading or one ending in a colon. */
const LEAD =
  /^(第[一二三四五六七八九十]+|[一二三四五六七八九十]+[、是]|[（(][一二三四五六七八九十\d]+[）)]|\d+[．.、])|[：:]$/;

/**
 * A sentence of the hits that defines the term (“三帐二单一图”：…, X是指…), or else the glossary
 * entry (名词解释) among the best hits whose heading holds what was asked (三账两单一图 for 三帐二单一图).
 */
export function definitionOf(term: string | null, hits: Hit[], subject: Weighted[]): Sentence | null {
  const defines = term ? DEFINES(flat(term)) : null;
  for (const hit of hits) {
    const all = sentencesOf(hit.passage.text, hit.passage.kind);
    const index = defines ? all.findIndex((s) => defines.test(flat(s))) : -1;
    if (index >= 0) return { hit, text: all[index] as string, index, score: 1 };
  }
  for (const hit of hits.slice(0, GLOSSARY_RANK)) {
    if (!hit.passage.section.startsWith('名词解释') || subject.length === 0) continue;
    const heading = flat(hit.passage.section);
    const bounds = boundaries(heading);
    const named = subject.every((w) => w.concept.forms.some((f) => holdsWord(heading, flat(f), bounds)));
    if (named) return { hit, text: sentencesOf(hit.passage.text)[0] ?? hit.passage.text, index: 0, score: 1 };
  }
  return null;
}

/** A glossary entry this high among the hits may define what was asked. */
const GLOSSARY_RANK = 3;
