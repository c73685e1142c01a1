// From retrieved passages to a short answer with citations, extractively: the sentences that
// hold what the question asks for. Where no sentence does, the bot says the documents do not
// cover it and names the closest topic they do cover.
import type { KbDocument, KbPassage } from '../../storage/kb';
import type { Question } from './question';
import { coverage, flat, type Hit, LOWEST_COVERAGE, STEP_SECTION, type Weighted } from './retrieve';

export interface Citation {
  /** Source file name. */
  doc: string;
  title: string;
  issuer: string;
  docNo: string | null;
  section: string;
  quote: string;
  docId: string;
  ord: number;
}

export interface Answer {
  found: boolean;
  answer: string;
  citations: Citation[];
}

/** A passage in a section of steps (步骤安排) answers a question for steps from this share. */
const STEPS_MIN_COVERAGE = 0.45;
/** A passage must cover this share of the question (weighted by rarity) to answer it… */
export const MIN_COVERAGE = 0.6;
/** …and the answering sentence itself this share, so that the answer is about what was asked. */
export const MIN_SENTENCE = 0.45;

/**
 * A filled-in form holds one school's data: it answers only questions about a named school
 * (兰陵小学, not 民办学校 or 中小学校) or about a form (整改表, not 评分表, which is the sheet).
 */
function aboutAForm(text: string): boolean {
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

export function maskPrivate(text: string): string {
  return text
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2')
    .replace(/([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)/g, '$1***@$2');
}

export function docLabel(doc: KbDocument): string {
  const issuer = doc.issuer.replace(/^(中共|中国共产党)/, '');
  return doc.docNo ? `${issuer}（${doc.docNo}）` : issuer;
}

export function citationOf(hit: Hit): Citation {
  return {
    doc: hit.doc.source,
    title: hit.doc.title,
    issuer: hit.doc.issuer,
    docNo: hit.doc.docNo,
    section: hit.passage.section || '文首',
    quote: maskPrivate(hit.passage.text.replace(/\n/g, '')),
    docId: hit.doc.id,
    ord: hit.passage.ord,
  };
}

/** `《title》(docNo) section`, as a citation is written in chat. */
export function citationLine(c: Citation): string {
  return `《${c.title}》${c.docNo ? `(${c.docNo})` : ''} ${c.section}`;
}

interface Sentence {
  hit: Hit;
  text: string;
  index: number;
  score: number;
}

/**
 * Sentences end at 。！？ and line ends, and at ； unless a colon introduces the list the
 * semicolons separate (“五看”：看…；看…). A table row is one sentence.
 */
function sentencesOf(text: string, kind: KbPassage['kind'] = 'text'): string[] {
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
function expanded(s: Sentence, all: string[], soft = ANSWER_SOFT_MAX): string {
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

const ANSWER_SOFT_MAX = 200;

export function compose(q: Question, hits: Hit[], weighted: Weighted[]): Answer {
  const formsAllowed = aboutAForm(q.text);
  const top = hits
    .slice(0, 10)
    .filter((h) => h.coverage >= MIN_COVERAGE && (h.passage.kind !== 'form' || formsAllowed));
  // Steps asked for, and one of the best passages is in the section that lays them out: its sub-sections.
  // (The section is itself evidence of what was asked: a lower share of the question will do.)
  const lead = q.needs.includes('steps')
    ? hits.slice(0, 5).find((h) => h.coverage >= STEPS_MIN_COVERAGE && STEP_SECTION.test(h.passage.section))
    : undefined;
  if (lead) {
    const family = sectionFamily(lead);
    if (family.length >= 2) return stepsAnswer(lead, family, hits);
  }
  const scored = sentencesAbout(q, top, weighted, { needs: true, minSentence: MIN_SENTENCE });
  // The user named a place: when its documents answer, the others do not.
  const ofNamed = scored.some((s) => s.hit.named === true);
  const good = scored.filter((s) => !ofNamed || s.hit.named !== false).sort((a, b) => b.score - a.score);
  if (good.length > 0 && isBareTopic(q)) return topicOverview(q, good);
  if (q.comparison) {
    const compared = compare(q, hits, weighted, good);
    if (compared) return compared;
  }

  if (good.length === 0) {
    if (q.needs.includes('definition') && q.term) return onlyUsed(q, hits);
    return refusal(q, hits);
  }

  const best = good[0] as Sentence;
  // Documents that rule differently on a number or a frequency: each one's rule.
  const perDoc = new Map<string, Sentence>();
  for (const s of good) if (!perDoc.has(s.hit.doc.id)) perDoc.set(s.hit.doc.id, s);
  const rivals = [...perDoc.values()].filter((s) => s.score >= best.score * 0.85).slice(0, 4);
  if (rivals.length >= 2 && q.needs.some((n) => n === 'frequency' || n === 'number')) {
    return differing(rivals.map((s) => ({ doc: s.hit.doc, line: docLine(s, good), hit: s.hit })));
  }

  const sentences = sentencesOf(best.hit.passage.text, best.hit.passage.kind);
  let text = expanded(best, sentences);
  // Steps, or list items that are numbered sections of their own (一是…二是…): each in order.
  const ordinal = q.needs.includes('list') && ORDINAL_SECTION.test(lastPart(best.hit.passage.section));
  const family = q.needs.includes('steps') || ordinal ? sectionFamily(best.hit) : [];
  if (family.length >= 2) return stepsAnswer(best.hit, family, hits);
  // A list that a table spreads over rows, or steps spread over sections: gather the siblings.
  if (q.needs.includes('list') && /^(\S{0,12}\d+分：)?\d+[．.]/.test(best.hit.passage.text)) {
    const rows = hits.filter((h) => h.doc.id === best.hit.doc.id && h.passage.section === best.hit.passage.section);
    text = rows
      .sort((a, b) => a.passage.ord - b.passage.ord)
      .map((h) => h.passage.text)
      .join('\n');
  }
  const citations = [best.hit];
  for (const s of good) {
    if (citations.length >= 3) break;
    if (!citations.includes(s.hit) && s.hit.doc.id === best.hit.doc.id && s.score >= best.score * 0.9) {
      citations.push(s.hit);
      if (q.needs.includes('list') || q.needs.includes('steps'))
        text += `\n${expanded(s, sentencesOf(s.hit.passage.text, s.hit.passage.kind))}`;
    }
  }
  return {
    found: true,
    answer: maskPrivate(`${text}（${docLabel(best.hit.doc)}）`),
    citations: citations.map(citationOf),
  };
}

interface ScanOptions {
  /** Keep only sentences that hold what the question asks for (a number, a time…). */
  needs: boolean;
  /** The share of the question the sentence (with its section title) must cover. */
  minSentence: number;
}

/** The sentences of the hits that are about the question, scored. */
function sentencesAbout(q: Question, hits: Hit[], weighted: Weighted[], o: ScanOptions): Sentence[] {
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

/** Below the answering thresholds, what a document the user asked to compare says on the subject. */
const COMPARE_MIN_COVERAGE = LOWEST_COVERAGE;
const COMPARE_MIN_SENTENCE = 0.3;

/**
 * The user compares documents: a line for each, its best sentence on the subject. The places the
 * user names are the ones compared (one of them silent is said so); otherwise every document that
 * answers. Null when fewer than two documents say anything.
 */
function compare(q: Question, hits: Hit[], weighted: Weighted[], good: Sentence[]): Answer | null {
  const named = hits.some((h) => h.named === true);
  const docs = [
    ...new Map(hits.filter((h) => (named ? h.named === true : true)).map((h) => [h.doc.id, h.doc])).values(),
  ];
  const lines: { doc: KbDocument; line: string; hit?: Hit }[] = [];
  for (const doc of docs) {
    // Its sentences on the subject: those that also hold what was asked (a number…) first.
    const near = hits.filter(
      (h) =>
        h.doc.id === doc.id && h.coverage >= COMPARE_MIN_COVERAGE && (h.passage.kind !== 'form' || aboutAForm(q.text)),
    );
    const ranked = [
      ...good.filter((s) => s.hit.doc.id === doc.id).map((s) => ({ ...s, score: s.score + ASKED_BONUS })),
      ...sentencesAbout(q, near.slice(0, 6), weighted, { needs: false, minSentence: COMPARE_MIN_SENTENCE }),
    ].sort((a, b) => b.score - a.score);
    const best = ranked[0];
    if (best) lines.push({ doc, line: docLine(best, ranked), hit: best.hit });
    else if (named) lines.push({ doc, line: '未找到相关规定。' });
  }
  const said = lines.filter((l) => l.hit);
  if (said.length < 2) return null;
  // Those that answer first; at most four documents.
  return differing([...said, ...lines.filter((l) => !l.hit)].slice(0, 4));
}

/** A document's line in a comparison, at most (its rule is near its start; a longer line only fills the chat). */
const COMPARE_LINE_MAX = 260;

function differing(lines: { doc: KbDocument; line: string; hit?: Hit }[]): Answer {
  const cut = (s: string) => (s.length > COMPARE_LINE_MAX ? `${s.slice(0, COMPARE_LINE_MAX)}…` : s);
  return {
    found: true,
    answer: maskPrivate(`各文件的规定不同：\n${lines.map((l) => `- ${docLabel(l.doc)}：${cut(l.line)}`).join('\n')}`),
    citations: lines.flatMap((l) => (l.hit ? [citationOf(l.hit)] : [])).slice(0, 3),
  };
}

const ORDINAL_SECTION = /^([一二三四五六七八九十]+是|\([一二三四五六七八九十]+\)|（[一二三四五六七八九十]+）)/;
const lastPart = (section: string) => section.slice(section.lastIndexOf(' ') + 1);

/** Steps or items that are sections of their own: the opening of each, in order. */
function stepsAnswer(hit: Hit, family: KbPassage[], hits: Hit[]): Answer {
  // A section's introduction is not one of its steps.
  const steps = family.filter((p) => STEP_START.test(p.text));
  const shown = steps.length >= 2 ? steps : family;
  return {
    found: true,
    answer: maskPrivate(`${shown.map(opening).join('\n')}（${docLabel(hit.doc)}）`),
    citations: [hit, ...hits.filter((h) => h !== hit && family.includes(h.passage))].slice(0, 3).map(citationOf),
  };
}

/**
 * The sections that are siblings of the best hit's (the same parent, each its own numbered
 * heading), when the question asks for steps or items: 第一阶段… 第二阶段…, （一）… （二）….
 */
function sectionFamily(hit: Hit): KbPassage[] {
  const near = hit.near ?? [];
  const section = hit.passage.section;
  const parent = section.includes(' ') ? section.slice(0, section.lastIndexOf(' ')) : section.match(/^\S+?、/)?.[0];
  if (!parent) return [];
  const kin = near.filter((p) => p.section === section || (p.section.startsWith(parent) && p.section !== parent));
  // One passage per section: the first.
  const firsts = kin.filter((p, i) => kin.findIndex((q) => q.section === p.section) === i);
  if (firsts.length >= 2) return firsts.slice(0, 8);
  // Or several passages of one section (the stages of 四、步骤安排).
  return kin.length >= 2 ? kin.slice(0, 6) : [];
}

/** What a step's passage says at the start of each step it holds (a passage may hold two). */
function opening(p: KbPassage): string {
  const all = sentencesOf(p.text, p.kind);
  const starts = all.flatMap((s, i) => (STEP_START.test(s) || i === 0 ? [i] : []));
  return starts
    .map((i) => {
      const first = all[i] as string;
      const text = first.length < 24 ? first + (all[i + 1] ?? '') : first;
      return text.length > 90 ? `${text.slice(0, 90)}…` : text;
    })
    .join('\n');
}

const STEP_START = /^(第[一二三四五六七八九十]+(阶段|步)|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+是)/;

/**
 * A document's line in a comparison: its best sentence, and its second best from another
 * passage when that one is nearly as good (a document often rules on a topic in two places).
 */
function docLine(best: Sentence, good: Sentence[]): string {
  const other = good.find(
    (s) => s.hit.doc.id === best.hit.doc.id && s.hit !== best.hit && s.score >= best.score * SECOND_SHARE,
  );
  // Two places share the line: each is kept short.
  const soft = other ? COMPARE_SENTENCE_MAX : ANSWER_SOFT_MAX;
  const first = expanded(best, sentencesOf(best.hit.passage.text, best.hit.passage.kind), soft);
  if (!other) return first;
  const second = expanded(other, sentencesOf(other.hit.passage.text, other.hit.passage.kind), soft);
  return first.includes(second) || second.includes(first) ? first : `${first}${second}`;
}

/** A second place in a document is quoted when its sentence scores this share of the first's. */
const SECOND_SHARE = 0.7;
/** In a comparison, a sentence that also holds what was asked (a number, a time) ranks this higher. */
const ASKED_BONUS = 0.3;
/** Each of two sentences on a document's line in a comparison, at most about. */
const COMPARE_SENTENCE_MAX = 150;

/** A bare phrase such as `三会一课?`: what each document requires about it. */
function isBareTopic(q: Question): boolean {
  return q.needs.length === 0 && q.concepts.length <= 2 && q.text.replace(/[?？!！。，,\s]/g, '').length <= 8;
}

function topicOverview(q: Question, good: Sentence[]): Answer {
  const perDoc = new Map<string, Sentence>();
  for (const s of good) if (!perDoc.has(s.hit.doc.id)) perDoc.set(s.hit.doc.id, s);
  const picked = [...perDoc.values()].slice(0, 3);
  const subject = q.concepts[0]?.word ?? q.text;
  const lines = picked.map(
    (s) => `- ${docLabel(s.hit.doc)}：${expanded(s, sentencesOf(s.hit.passage.text, s.hit.passage.kind))}`,
  );
  return {
    found: true,
    answer: maskPrivate(`文件中关于“${subject}”的要求：\n${lines.join('\n')}`),
    citations: picked.map((s) => citationOf(s.hit)),
  };
}

/**
 * The documents use a term without defining it: the answer says so, and gives what they say
 * about it (never a textbook definition from elsewhere).
 */
function onlyUsed(q: Question, hits: Hit[]): Answer {
  const term = q.term as string;
  const requirement = (h: Hit) => {
    const all = sentencesOf(h.passage.text, h.passage.kind);
    const index = Math.max(
      0,
      all.findIndex((s) => flat(s).includes(flat(term))),
    );
    // With the sentences after it: a document often describes a thing right after naming it.
    const sentence = expanded({ hit: h, text: all[index] ?? h.passage.text, index, score: 0 }, all);
    return { hit: h, sentence, required: /落实|履行|执行|坚持|完善|规范|健全|严格|要/.test(sentence) };
  };
  // One passage per document, those that say what is required first.
  const perDoc = new Map<string, ReturnType<typeof requirement>>();
  for (const h of hits) {
    if (!flat(h.passage.text).includes(flat(term)) || h.coverage < 0.7) continue;
    const r = requirement(h);
    const had = perDoc.get(h.doc.id);
    if (!had || (r.required && !had.required)) perDoc.set(h.doc.id, r);
  }
  const chosen = [...perDoc.values()].sort((a, b) => Number(b.required) - Number(a.required)).slice(0, 3);
  const using = chosen.map((c) => c.hit);
  if (using.length === 0) return refusal(q, hits);
  const lines = chosen.map((c) => `- ${docLabel(c.hit.doc)}：${c.sentence}`);
  // What the documents say about it is the answer they give; the member is told it is no definition.
  return {
    found: true,
    answer: maskPrivate(`已载入的文件没有给“${term}”下定义，文件中关于它的规定是：\n${lines.join('\n')}`),
    citations: using.map(citationOf),
  };
}

function refusal(q: Question, hits: Hit[]): Answer {
  const closest = hits[0];
  const near = closest
    ? `相近的内容是《${closest.doc.title}》${closest.passage.section ? `“${closest.passage.section}”` : ''}。`
    : '';
  const what = q.needs.includes('definition') ? '这个说法的定义' : '这个问题的规定';
  return {
    found: false,
    answer: `已载入的文件中没有找到${what}，我不能凭空回答。${near}如需了解，请咨询上级党组织或查阅相关党内法规。`,
    citations: [],
  };
}
