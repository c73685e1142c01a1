// The user compares documents, or documents differ on a number: a line for each document, its
// rule on the subject as it states it, labelled by issuer.
import type { KbDocument } from '../../storage/kb';
import type { Found } from './answer';
import { notSet, notSetHere } from './asked';
import { type Answer, citationOf, docLabel, maskPrivate } from './citation';
import type { Question } from './question';
import { covers, flat, type Hit, LOWEST_COVERAGE, RARE_WEIGHT, type Weighted } from './retrieve';
import {
  ANSWER_SOFT_MAX,
  aboutAForm,
  type Candidate,
  candidates,
  DEFINES,
  expanded,
  FIGURES,
  type Sentence,
  sentencesOf,
  trimmed,
} from './sentences';

/**
 * The user compares documents: a line for each, its sentence on the subject that gives what was
 * asked if one does. The places the user names are the ones compared (one of them silent is said
 * so), direct only when each gives the figure asked (how often, how many…), else as the related
 * rules, said to be no answer. None named: every document that speaks of it when the question
 * says documents (各个文件), else those with a rule on the subject (a 分别 over things one document
 * lists, 年初、年中、年底分别做什么, compares no documents); of them those that give
 * the figure asked; when none does, their related rules. Null when fewer than two documents speak
 * of it, or one alone gives the figure (a plain answer).
 */
export function compare(f: Found, hits: Hit[]): Answer | null {
  const { q } = f;
  const named = hits.some((h) => h.named === true);
  if (!named && !DOCUMENTS.test(q.text)) {
    const items = eachItem(f, hits);
    if (items) return items;
  }
  const docs = [
    ...new Map(hits.filter((h) => (named ? h.named === true : true)).map((h) => [h.doc.id, h.doc])).values(),
  ];
  const figures = q.needs.some((n) => FIGURES.includes(n));
  // 各个文件, 几个文件: every document that speaks of it; a bare 分别 may be over things one lists.
  const documents = DOCUMENTS.test(q.text);
  const count = figures && COUNT_ASKED.test(q.text);
  // The subject the member names as such (师德这块, 发展党员这方面): a sentence on it comes before one
  // holding more of their own situation (老师体罚学生被家长投诉 → a line on 教师、学生、家长满意率).
  const topic = topicNamed(q.text, f.weighted);
  const onTopic = (s: Sentence) =>
    topic.length > 0 && topic.some((w) => covers(flat(`${s.text}${s.hit.passage.headings.join('')}`), w.concept) > 0);
  const picks = docs.map((doc) => {
    // Its best passages, and of their sentences those that speak of the subject.
    const near = hits.filter((h) => h.doc.id === doc.id && (h.passage.kind !== 'form' || aboutAForm(q.text)));
    const found = candidates(q, near.slice(0, 6), f.weighted, f.subject, f.topic, f.broad).filter(
      (s) => s.topical && !s.heading && (named || documents || s.held >= LOWEST_COVERAGE),
    );
    // A sentence that gives the figure asked is the line, however much more another holds, so long
    // as it is on the point (建始's 讲党课每年1次 is no rule on 联系点: its score is far below the
    // 联系点制度 line's); of them, for a count asked (多少个), one that counts (100校, 3-5个) rather
    // than gives a share.
    const top = Math.max(0, ...found.map((s) => s.score));
    const most = Math.max(0, ...found.map((s) => s.held));
    const whole = named && most >= 1;
    const gives = (s: Candidate) =>
      figures && s.gives && (!whole || (s.held >= most * ON_THE_POINT && s.score >= top * ON_THE_POINT));
    const ranked = found.sort(
      (a, b) =>
        Number(gives(b)) - Number(gives(a)) ||
        Number(onTopic(b)) - Number(onTopic(a)) ||
        (count ? Number(COUNTS.test(b.text)) - Number(COUNTS.test(a.text)) : 0) ||
        b.score - a.score,
    );
    return { doc, ranked };
  });
  const lines: Line[] = [];
  for (const { doc, ranked } of onThePoint(picks, q, f.weighted, figures)) {
    const best = ranked[0];
    if (best) {
      // A scoring sheet compared (评分表, 打分): its bands are what its points decide, quoted with its rule.
      const bands = SHEET_COMPARED.test(q.text) ? bandsOf(ranked, hits, doc.id) : [];
      const line = docLine(best, ranked, figures, f.weighted, bands, onTopic);
      lines.push({ doc, line, hit: best.hit, gives: !figures || best.gives });
    } else if (named) lines.push({ doc, line: '未找到相关规定。', gives: false });
  }
  const said = lines.filter((l) => l.hit);
  if (said.length < 2) return null;
  if (named) {
    // The places named, each: direct only when each gives what was asked. At most four.
    const shown = [...said, ...lines.filter((l) => !l.hit)].slice(0, 4);
    if (shown.every((l) => l.gives)) return differing(shown);
    // Some give it (每季度到联络点不少于1次), some only rule on the duty (建立联系点制度): each its rule,
    // said where it does not give what was asked.
    if (!shown.some((l) => l.gives)) return relatedLines(f, shown);
    return differing(shown.map((l) => (l.gives || !l.hit ? l : { ...l, line: `${l.line}${notSetHere(q, f.own)}` })));
  }
  // None named: the documents that give it; one alone is a plain answer; none, the related rules.
  const giving = said.filter((l) => l.gives);
  if (giving.length >= 2) return differing(giving.slice(0, 4));
  return giving.length === 1 ? null : relatedLines(f, said.slice(0, 4));
}

/**
 * Each document's sentences on the point compared. A document's best sentence is off the point
 * when it rests on a word of the question no other document's line holds (倾斜 of 评先评优, in
 * 发展党员往哪类人里倾斜) and misses one every other line holds (发展党员): it is quoted where it says
 * that, when it does (its rule on the point often stands in another passage). Words the question
 * gives as alternatives (原则或者程序) are no point: a document may answer either. Three documents
 * at least: one other document's words are only its way of saying it.
 */
function onThePoint<T extends { ranked: Candidate[] }>(
  picks: T[],
  q: Question,
  weighted: Weighted[],
  figures: boolean,
): T[] {
  const said = picks.filter((p) => p.ranked.length > 0);
  if (said.length < 3) return picks;
  const holds = (s: Candidate, w: Weighted) =>
    covers(flat(`${s.text}${s.hit.passage.section}${s.hit.passage.headings.join('')}`), w.concept) === 1;
  const words = weighted.filter((w) => w.weight >= RARE_WEIGHT && !eitherOr(q.text, w.concept.word));
  return picks.map((pick) => {
    const best = pick.ranked[0];
    if (!best) return pick;
    const others = said.filter((p) => p !== pick).map((p) => p.ranked[0] as Candidate);
    const point = words.filter((w) => others.every((o) => holds(o, w)));
    const own = words.some((w) => holds(best, w) && !others.some((o) => holds(o, w)));
    if (!own || point.every((w) => holds(best, w))) return pick;
    const on = pick.ranked.filter((s) => point.every((w) => holds(s, w)) && (!figures || !best.gives || s.gives));
    return on.length > 0 ? { ...pick, ranked: on } : pick;
  });
}

/**
 * The rare concepts of the words the member names the subject by (师德 of 师德这块; 民办学校 of
 * 民办学校党建这块, 党建 being in every document's every part), else the rarest of them.
 */
function topicNamed(text: string, weighted: Weighted[]): Weighted[] {
  const named = text.match(TOPIC_NAMED)?.[1];
  const held = named ? weighted.filter((w) => w.df > 0 && named.includes(w.concept.word)) : [];
  const rare = held.filter((w) => w.weight >= RARE_WEIGHT);
  return rare.length > 0 ? rare : held.sort((a, b) => b.weight - a.weight).slice(0, 1);
}

const TOPIC_NAMED = /([\u4e00-\u9fff]{2,8}?)(?:这一?块|这一?方面|这件事|这项工作)/;

/** A line giving the figure asked scores at least this share of its document's best line: else it is off the point. */
const ON_THE_POINT = 0.5;

/** The question gives the word as one of alternatives (原则或者程序, 打分还是定性). */
const eitherOr = (text: string, word: string) =>
  text.includes(`${word}或`) ||
  text.includes(`或者${word}`) ||
  text.includes(`或${word}`) ||
  text.includes(`${word}还是`) ||
  text.includes(`还是${word}`);

/**
 * 分别 over things the question names together just before it (“全覆盖”和“受欢迎”分别咋理解, 支委会和
 * 党小组会分别多久开一次): for each, the sentence on it that gives what was asked, its definition
 * first, not one that only names them all (抓落实、全覆盖、求实效、受欢迎); from the document that
 * speaks of most of them. Null unless two or more are named and each has such a sentence.
 */
function eachItem(f: Found, hits: Hit[]): Answer | null {
  const { q } = f;
  const items = itemsBefore(q.text, f.subject);
  if (items.length < 2) return null;
  const figures = q.needs.some((n) => FIGURES.includes(n));
  const top = hits.filter((h) => h.passage.kind !== 'form' || aboutAForm(q.text)).slice(0, ITEM_PASSAGES);
  const per = items.map((item) =>
    candidates(q, top, f.weighted, [item], f.topic).filter((c) => c.about && !c.heading && (!figures || c.gives)),
  );
  const key = (c: Sentence) => `${c.hit.doc.id}#${c.hit.passage.ord}#${c.index}`;
  const naming = new Map<string, number>();
  const docs = new Map<string, number>();
  for (const list of per) {
    for (const c of list) naming.set(key(c), (naming.get(key(c)) ?? 0) + 1);
    for (const id of new Set(list.map((c) => c.hit.doc.id))) docs.set(id, (docs.get(id) ?? 0) + 1);
  }
  const rank = (c: Candidate, word: string) =>
    c.score +
    (DEFINES(flat(word)).test(flat(c.text)) ? DEFINES_BONUS : 0) +
    ((docs.get(c.hit.doc.id) ?? 0) > 1 ? SAME_DOC_BONUS : 0) -
    ((naming.get(key(c)) ?? 0) > 1 ? NAMES_ALL_PENALTY : 0);
  const lines = items.flatMap((item, i) => {
    const word = item.concept.word;
    const best = [...(per[i] ?? [])].sort((a, b) => rank(b, word) - rank(a, word))[0];
    return best
      ? [{ word, best, text: expanded(best, sentencesOf(best.hit.passage.text, best.hit.passage.kind)) }]
      : [];
  });
  // (One sentence for them all names them together: no answer item by item.)
  if (lines.length < items.length || new Set(lines.map((l) => key(l.best))).size === 1) return null;
  const labels = [...new Set(lines.map((l) => docLabel(l.best.hit.doc)))];
  return {
    kind: 'direct',
    found: true,
    answer: maskPrivate(`${lines.map((l) => `- ${l.word}：${l.text}`).join('\n')}（${labels.join('；')}）`),
    citations: lines.map((l) => citationOf(l.best.hit, l.text)),
  };
}

/** The subject's words named together just before 分别 / 各自 (in the clause that holds it), in order. */
function itemsBefore(text: string, subject: Weighted[]): Weighted[] {
  const m = text.match(/(分别|各自|各是)/);
  if (!m) return [];
  const before = text.slice(0, m.index);
  const clause = before.slice(Math.max(...[...'，,。？?；;：:'].map((p) => before.lastIndexOf(p))) + 1);
  const named = subject
    .filter((w) => w.df > 0 && clause.includes(flat(w.concept.word)))
    .map((w) => ({ w, at: clause.indexOf(flat(w.concept.word)) }))
    .sort((a, b) => b.at - a.at);
  // From the last back, while only a joiner (和, 、, quotation marks) stands between two of them.
  const out: Weighted[] = [];
  let start = clause.length;
  for (const { w, at } of named) {
    const gap = clause.slice(at + flat(w.concept.word).length, start);
    if (out.length > 0 && !/^[“”"'‘’\s]*(和|与|跟|及|、|以及)?[“”"'‘’\s]*$/.test(gap)) break;
    if (out.length === 0 && !/^[“”"'‘’\s]*(这|那)?(两|几|三|四)?(个|项|种)?$/.test(gap)) break;
    out.unshift(w);
    start = at;
  }
  return out.slice(-MAX_ITEMS);
}

/** The most things answered one by one. */
const MAX_ITEMS = 4;
/** The passages searched for a sentence on each thing. */
const ITEM_PASSAGES = 12;
/** A sentence defining the thing (“受欢迎”是指…) ranks this much higher. */
const DEFINES_BONUS = 0.5;
/** A sentence from a document that speaks of more than one of the things ranks this much higher. */
const SAME_DOC_BONUS = 0.3;
/** A sentence that names more than one of the things (only lists them) ranks this much lower. */
const NAMES_ALL_PENALTY = 0.5;

interface Line {
  doc: KbDocument;
  line: string;
  hit?: Hit;
  gives?: boolean;
}

/** A document's line in a comparison, at most (its rule is near its start; a longer line only fills the chat). */
const COMPARE_LINE_MAX = 330;

const cut = (s: string) => (s.length > COMPARE_LINE_MAX ? `${s.slice(0, COMPARE_LINE_MAX)}…` : s);

export function differing(lines: Line[]): Answer {
  return {
    kind: 'direct',
    found: true,
    answer: maskPrivate(`各文件的规定不同：\n${lines.map((l) => `- ${docLabel(l.doc)}：${cut(l.line)}`).join('\n')}`),
    citations: lines.flatMap((l) => (l.hit ? [citationOf(l.hit, cut(l.line))] : [])),
  };
}

/** Each document's closest rule, said to be no answer to what was asked. */
function relatedLines(f: Found, lines: Line[]): Answer {
  return {
    kind: 'related',
    found: true,
    answer: maskPrivate(
      `${notSet(f.q, f.own, f.subject)}\n${lines.map((l) => `- ${docLabel(l.doc)}：${cut(l.line)}`).join('\n')}`,
    ),
    citations: lines.flatMap((l) => (l.hit ? [citationOf(l.hit, cut(l.line))] : [])),
  };
}

/**
 * A document's line in a comparison: its best sentence, and its next best from other passages
 * when they are nearly as good (a document often rules on a topic in more than one place).
 */
export function docLine(
  best: Sentence,
  good: (Sentence & { gives?: boolean })[],
  figures = false,
  about: Weighted[] = [],
  /** Sentences quoted besides (a sheet's bands). */
  also: Sentence[] = [],
  /** Whether a sentence is on the thing compared, as the member names it. */
  onTopic: (s: Sentence) => boolean = () => false,
): string {
  const others: Sentence[] = [];
  for (const s of good) {
    if (others.length >= MORE_PLACES) break;
    // (Another sentence of the same passage may be the other half of the rule.)
    const same = (o: Sentence) => o.hit === s.hit && o.index === s.index;
    const seen = same(best) || others.some(same);
    // A figure asked for: only another place that gives one too.
    if (figures && !s.gives) continue;
    if (!seen && s.hit.doc.id === best.hit.doc.id && s.score >= best.score * SECOND_SHARE) others.push(s);
  }
  // The thing compared named (民办学校这块): its rule in another passage of the document, nearly as
  // good, is quoted too (固原's 民办学校 年检 in one passage, its 经费列入预算 in another).
  const quoted = (s: Sentence) => [best, ...others].some((o) => o.hit.passage === s.hit.passage);
  const elsewhere = good.find(
    (s) =>
      onTopic(s) &&
      !quoted(s) &&
      s.hit.doc.id === best.hit.doc.id &&
      s.score >= best.score * SECOND_SHARE &&
      (!figures || s.gives),
  );
  for (const s of [...(elsewhere ? [elsewhere] : []), ...also]) if (s !== best && !others.includes(s)) others.push(s);
  // Several places share the line: each is kept short.
  const soft = others.length ? COMPARE_SENTENCE_MAX : ANSWER_SOFT_MAX;
  let line = '';
  for (const s of [best, ...others]) {
    const text = trimmed(expanded(s, sentencesOf(s.hit.passage.text, s.hit.passage.kind), soft), about);
    // (Passages may share a sentence: each is said once.)
    line += sentencesOf(text)
      .filter((t) => !line.includes(t))
      .join('');
  }
  return line;
}

/** The question compares a scoring sheet (评分表, 打分, 百分制, 分数评定). */
export const SHEET_COMPARED = /评分表|打分|评分|计分|百分制|分数/;
/** A sheet's bands: among the sentences ranked, else in a passage next to one of its hits (read in knowledge). */
function bandsOf(ranked: Sentence[], hits: Hit[], docId: string): Sentence[] {
  const among = ranked.filter((s) => BANDS.test(s.text)).slice(0, 1);
  if (among.length > 0) return among;
  for (const h of hits.filter((x) => x.doc.id === docId))
    for (const passage of h.near ?? []) {
      const sentences = sentencesOf(passage.text, passage.kind);
      const index = sentences.findIndex((t) => BANDS.test(t));
      if (index >= 0) return [{ hit: { ...h, passage }, text: sentences[index] as string, index, score: 0 }];
    }
  return [];
}

/** A sentence giving a sheet's bands (总分90分以上为先进，75—89分为较好). */
const BANDS = /\d+分以上为|\d+\s*[—–-]\s*\d+分为/;

/** A count asked of things (多少个, 几个), which a share (50%以上) does not answer. */
const COUNT_ASKED = /(几|多少)个/;
/** A sentence counting things: a number and a counter. */
const COUNTS = /\d+(-\d+)?(个|所|家|校|项|名|支|批|处)/;

/** The question compares documents by name (各文件, 几个文件分别, 各地). */
const DOCUMENTS = /各(地|个?文件|单位|个?地方)|几个(文件|地方)|不同(文件|地方)|哪个(地方|文件)/;
/** Places in a document quoted besides its best. */
const MORE_PLACES = 2;
/** A second place in a document is quoted when its sentence scores this share of the first's. */
const SECOND_SHARE = 0.7;
/** Each sentence on a document's line in a comparison quoting several places, at most about. */
const COMPARE_SENTENCE_MAX = 110;
