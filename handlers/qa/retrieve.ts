// Finding the passages a question is about: candidates by BM25 over the FTS5 index (words,
// bigrams, headings), ranked by reciprocal-rank fusion of lexical views (that BM25, the share of
// the question's concepts a passage and its headings hold, weighted by rarity) and of what is
// asked (a section of steps, a sentence giving the figure asked), with a document the user named
// by its place (or, of a place's documents, by a word of its title) first.
import type { AppDb } from '../../storage/db';
import {
  allDocuments,
  allTerms,
  type FtsHit,
  ftsSearch,
  ftsSearchIn,
  type KbDocument,
  type KbPassage,
  kbVersion,
  passagesAt,
} from '../../storage/kb';
import { placesOf } from './ingest';
import { kindCounted, listsAsked } from './lists';
import { parallelAsked, spellsOut } from './parallel';
import type { Concept, Need, Question } from './question';
import { givesNeeds, sentencesOf } from './sentences';
import { bigrams, normalise, words } from './tokenize';

export interface Hit {
  doc: KbDocument;
  passage: KbPassage;
  /** For the best hits: the passages near it in the document (its section's family). */
  near?: KbPassage[];
  /** The question names places, and this document's is (true) or is not (false) among them. */
  named?: boolean;
  /** 0..1: how much of the question the passage covers. */
  coverage: number;
  score: number;
}

export interface KnowledgeSnapshot {
  version: string;
  docs: Map<string, KbDocument>;
  places: Map<string, string[]>;
  allPlaces: string[];
  dictionary: Set<string>;
  passages: number;
}

const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;

/** Text as concepts are looked up in it: normalised, without spaces. */
export function flat(s: string): string {
  // Concept forms are flattened again for every sentence they are looked for in: remember the short ones.
  if (s.length > FLAT_CACHED) return normalise(s).replace(/\s+/g, '');
  let f = flatCache.get(s);
  if (f === undefined) {
    if (flatCache.size >= FLAT_CACHE_MAX) flatCache.clear();
    f = normalise(s).replace(/\s+/g, '');
    flatCache.set(s, f);
  }
  return f;
}
const FLAT_CACHED = 24;
const FLAT_CACHE_MAX = 10_000;
const flatCache = new Map<string, string>();

export async function snapshot(db: AppDb, previous?: KnowledgeSnapshot): Promise<KnowledgeSnapshot> {
  const version = await kbVersion(db);
  if (previous?.version === version) return previous;
  const docs = await allDocuments(db);
  const places = new Map(docs.map((d) => [d.id, placesOf(d)]));
  return {
    version,
    docs: new Map(docs.map((d) => [d.id, d])),
    places,
    allPlaces: [...new Set([...places.values()].flat())],
    dictionary: new Set((await allTerms(db)).map(flat)),
    passages: docs.reduce((n, d) => n + d.passages, 0),
  };
}

function phrases(form: string): string[] {
  const ws = words(form);
  return ws.length === 0 ? [] : [ws.join(' ')];
}

/**
 * The FTS5 query: the concepts' words (and headings) and, for rare concepts, their character
 * bigrams too (typos, words cut differently). Concepts in most passages are left out: they
 * barely change the ranking but make the index visit nearly every row.
 */
export function matchExpression(weighted: Weighted[]): string | null {
  const known = weighted.filter((w) => w.df !== 0);
  // Too little of the question is in the documents for any passage to answer it: only the
  // closest topic is wanted, and the headings name topics, at a fraction of the cost.
  // (Its rarest words are still looked for in the text too: the closest rule may stand under a
  // heading that does not name them, 严肃查处 of 违纪 under 转变作风效能.)
  if (reachable(weighted) < LOWEST_COVERAGE) {
    const rarest = withinBudget([...known].sort((a, b) => b.weight - a.weight).slice(0, 2));
    const heads = rarest.flatMap((w) => w.concept.forms.flatMap(phrases)).map(quote);
    return heads.length ? `{words head}: (${heads.join(' OR ')})` : null;
  }
  const informative = known.filter((w) => w.weight >= COMMON_WEIGHT);
  // Only common words: the two rarest of them still find the passages, at a fraction of the cost.
  const used = withinBudget(
    informative.length > 0 ? informative : [...known].sort((a, b) => b.weight - a.weight).slice(0, 2),
  );
  // Even the rarest concept is in more passages than the budget: the passages holding the two
  // rarest together are fewer, and closer to the question.
  const pair = [...known].sort((a, b) => a.df - b.df).slice(0, 2);
  if (used.length === 1 && (used[0] as Weighted).df > MATCH_BUDGET && pair.length === 2) {
    return pair.map((w) => `({words head}: (${wordPhrases(w.concept).join(' OR ')}))`).join(' AND ');
  }
  const wordQ = new Set(used.flatMap((w) => wordPhrases(w.concept)));
  const gramQ = new Set(gramsWithinBudget(used).map(quote));
  const parts: string[] = [];
  if (wordQ.size) parts.push(`{words head}: (${[...wordQ].join(' OR ')})`);
  if (gramQ.size) parts.push(`grams: (${[...gramQ].join(' OR ')})`);
  return parts.length ? parts.join(' OR ') : null;
}

/** A concept's words as the query looks for them (in the words and head columns). */
function wordPhrases(concept: Concept): string[] {
  return concept.forms.flatMap((f) => [
    ...phrases(f).map(quote),
    ...(/^[\u3400-\u9fff]+$/.test(f) && f.length <= 8 ? [quote(normalise(f))] : []),
  ]);
}

/**
 * The concepts the query is made of: the rarest first, while the passages holding them add up to
 * at most MATCH_BUDGET, the rarest always. BM25 scores every row a query matches, so a common word
 * (党支部 in a district's thousands of documents) would cost a scan of most of the index; left out
 * of the query, it still weighs in the re-ranking of the passages found (coverage), and the rare
 * words find their passages in whichever document, old or new, holds them.
 */
function withinBudget(concepts: Weighted[]): Weighted[] {
  let rows = 0;
  return [...concepts]
    .sort((a, b) => a.df - b.df)
    .filter((w, i) => {
      rows += Math.max(w.df, 0);
      return i === 0 || rows <= MATCH_BUDGET;
    });
}

/**
 * The rare concepts' bigrams, the rarest first, while they and the concepts stay under the budget:
 * a bigram of a rare word may be in most passages (组织 of 组织生活会).
 */
function gramsWithinBudget(used: Weighted[]): string[] {
  let rows = used.reduce((n, w) => n + Math.max(w.df, 0), 0);
  const grams = new Map<string, number>();
  for (const w of used) {
    if (w.weight < RARE_WEIGHT) continue;
    for (const f of w.concept.forms) for (const g of bigrams(f)) grams.set(g, w.grams?.get(g) ?? 0);
  }
  return [...grams]
    .sort((a, b) => a[1] - b[1])
    .filter(([, df]) => {
      rows += df;
      return rows <= MATCH_BUDGET;
    })
    .map(([g]) => g);
}

/** The most passages a query's concepts may hold together: a few milliseconds of BM25 scoring. */
export const MATCH_BUDGET = 5000;

/** The lowest share of the question any answer accepts (a document's line in a comparison). */
export const LOWEST_COVERAGE = 0.4;

/** The most of the question a passage can cover: the words the documents use at all. */
export function reachable(weighted: Weighted[]): number {
  const all = weighted.reduce((n, w) => n + w.weight, 0);
  return all === 0 ? 0 : weighted.filter((w) => w.df !== 0).reduce((n, w) => n + w.weight, 0) / all;
}

/** A section that lays out steps or stages. */
export const STEP_SECTION = /步骤|阶段|进度|时间安排|实施安排|工作安排/;

/** Below this weight a concept is in more than about a quarter of all passages. */
const COMMON_WEIGHT = 2.0;
/** From this weight a concept is rare enough that matching its bigrams is worth it. */
export const RARE_WEIGHT = 2.5;

/**
 * 0..1: how fully `text` holds the concept. A form that is only part of the user's word
 * (联系 for 联系点) is a looser match than the word or a synonym of it.
 */
export function covers(text: string, concept: Concept): number {
  let best = 0;
  for (const f of concept.forms) {
    if (!text.includes(flat(f))) continue;
    const degree = f !== concept.word && concept.word.includes(f) ? PART_OF_WORD : 1;
    if (degree === 1) return 1;
    best = Math.max(best, degree);
  }
  return best;
}

const PART_OF_WORD = 0.6;

export interface Weighted {
  concept: Concept;
  weight: number;
  /** Passages holding the concept (0: the documents never use it). */
  df: number;
  /** For a rare concept: the passages holding each bigram of its forms. */
  grams?: Map<string, number>;
}

/** 0..1: weighted share of the concepts found in `text`, half credit for those only in `context`. */
export function coverage(text: string, context: string, concepts: Weighted[]): number {
  let got = 0;
  let all = 0;
  for (const { concept, weight } of concepts) {
    all += weight;
    got += weight * Math.max(covers(text, concept), covers(context, concept) * 0.5);
  }
  return all === 0 ? 0 : got / all;
}

export async function retrieve(
  db: AppDb,
  kb: KnowledgeSnapshot,
  q: Question,
  weighted: Weighted[],
  limit = 40,
): Promise<Hit[]> {
  const expr = matchExpression(weighted);
  if (!expr) return [];
  const fts = await ftsSearch(db, expr, limit);
  if (fts.length === 0) return [];
  const handIn = HAND_IN_ASKED.test(q.text);
  if (handIn) fts.push(...(await linesOf(db, kb, q, fts, HAND_IN_GRAMS)));
  const meetings = MEETINGS_ASKED.test(q.text);
  if (meetings) fts.push(...(await linesOf(db, kb, q, fts, MEETING_GRAMS)));
  const rows = await passagesAt(db, fts);
  const byKey = new Map(rows.map((r) => [`${r.docId}#${r.ord}`, r]));
  const named = q.places;
  const titled = titlesSaid(q, kb);
  const found: { fts: FtsHit; hit: Hit; heads: number; place: number }[] = [];
  for (const h of fts) {
    const passage = byKey.get(`${h.doc}#${h.ord}`);
    const doc = kb.docs.get(h.doc);
    if (!passage || !doc) continue;
    const context = flat(`${doc.title}${passage.section}${passage.headings.join('')}`);
    // A filled-in form's passages are all about the branch it names (its last heading).
    const own = passage.kind === 'form' ? `${passage.text}${passage.headings.at(-1) ?? ''}` : passage.text;
    const cov = coverage(flat(own), context, weighted);
    const docPlaces = kb.places.get(doc.id) ?? [];
    // (A document of a place named, where the question names another of that place's by its title, is not meant.)
    const isNamed =
      named.length === 0
        ? undefined
        : named.some((p) => docPlaces.includes(p)) && (titled.size === 0 || titled.has(doc.id));
    found.push({
      fts: h,
      hit: { doc, passage, named: isNamed, coverage: cov, score: 0 },
      // The headings above a passage name its subject: how much of the question they hold.
      heads: coverage(flat(`${passage.section}${passage.headings.join('')}`), '', weighted),
      place: isNamed === undefined ? 0 : isNamed ? 1 : -1,
    });
  }
  // Reciprocal-rank fusion of the views: BM25 over the index (ICU words, character bigrams and
  // headings, weighted by column); the share of the question the passage holds (rarer concepts
  // weigh more; counted twice, as the view that knows the users' words for the documents'); the
  // share its headings hold; and for steps asked for, whether the section lays out steps (步骤,
  // 阶段, 安排). A document the user named by its place ranks as if one view more placed it first
  // (another named, last).
  const views: [number, number[]][] = [
    [1, rankBy(found, (f) => f.fts.score, 'asc')],
    [2, rankBy(found, (f) => f.hit.coverage, 'desc')],
    [1, rankBy(found, (f) => f.heads, 'desc')],
  ];
  if (q.needs.includes('steps')) {
    views.push([1, rankBy(found, (f) => (STEP_SECTION.test(f.hit.passage.section) ? 1 : 0), 'desc')]);
  }
  // For a figure asked (how many, how often, when), whether a sentence of the passage gives one of
  // the kind asked (N项 for 几项, 每学期 for 多久): the question's own words often miss it (起码要建几项制度
  // for 至少建立一项务实管用的制度), what it asks for does not.
  if (q.needs.some((n) => ASKED_FIGURES.includes(n))) {
    const gives = (p: KbPassage) => sentencesOf(p.text, p.kind).some((t) => givesNeeds(q, t));
    views.push([1, rankBy(found, (f) => (gives(f.hit.passage) ? 1 : 0), 'desc')]);
  }
  // For a list asked for (哪几块, 哪些), whether a clause lists items beside the question's words.
  const lists = q.needs.includes('list') ? listsAsked(q, weighted) : null;
  if (lists) {
    // (Passages that list nothing asked tie, last: the view says nothing of their order.)
    const values = found.map((f) => lists(f.hit.passage));
    // (Items of the very kind counted, 政治统领力、组织战斗力 for 哪几种“力”, tell more than any word.)
    const weight = kindCounted(q.text) === undefined ? 1 : 3;
    views.push([weight, values.map((v) => (v > 0 ? values.filter((o) => o > v).length : found.length))]);
  }
  // For a numbered term of a verb (五看, 双培养) or a verb asking for several (看哪几方面), whether a
  // sentence spells them out as parallel clauses of it: the term itself is often not beside them.
  const verbs = parallelAsked(q.text);
  if (verbs.length > 0) {
    const spelled = (p: KbPassage) => sentencesOf(p.text, p.kind).some((s) => spellsOut(verbs, s));
    const spelling = found.map((f) => spelled(f.hit.passage));
    // Where some spell them out, they tie first and the rest tie last: ranked in the index's order,
    // the first few that do not would outrank the one that does elsewhere (r43-23). (Where none
    // does, the index's order stays, as the rankings were tuned with it.)
    // (Asked by the verb itself, 主要看哪几个方面, the clauses it begins are the items asked, whatever the
    // question's other words: weighing like the farthest target, as a passage holding those words
    // (四强化 of 工委 and 基层支部) outranks them on the lexical views (r48-19).)
    const byVerb = verbs.some((v) => v.asking && !v.of);
    views.push([
      byVerb ? 4 : 2,
      spelling.some(Boolean) ? spelling.map((s) => (s ? 0 : found.length)) : rankBy(found, () => 0, 'desc'),
    ]);
  }
  // For the farthest target asked (最远、最终、长远), the passages setting the latest year (到2035年),
  // weighing like the place named: that year's line is often a passage of its own, cut from the
  // paragraph naming the programme the question gives (r42-23), so the question's words miss it.
  if (FARTHEST.test(q.text)) {
    const years = found.map((f) => latestTarget(f.hit.passage.text));
    views.push([4, years.map((y) => (y > 0 ? years.filter((o) => o > y).length : found.length))]);
  }
  // For a hand-in asked (几号前交、交给谁), whether the passage dates a hand-in (3月26日之前…送至局组织科),
  // weighing like the kind counted: the question names the material, the line names where it goes.
  if (handIn) {
    views.push([3, found.map((f) => (handsIn(f.hit.passage.text) ? 0 : found.length))]);
  }
  // For meetings asked (开几回会、啥时候开), whether the passage lists meetings with their times (年初召开
  // …部署会、半年召开推进会), weighing like a hand-in: the question names neither the meetings nor the times.
  if (meetings) {
    views.push([3, found.map((f) => (schedulesMeetings(f.hit.passage.text) ? 0 : found.length))]);
  }
  for (const [i, f] of found.entries()) {
    f.hit.score = views.reduce((n, [w, ranks]) => n + w / (RRF_K + (ranks[i] as number)), 0) + f.place / RRF_K;
  }
  return found.map((f) => f.hit).sort((a, b) => b.score - a.score);
}

/**
 * Of the documents of the places a question names (宁夏: 固原 and 金凤), those it names by words of
 * their titles (那个品牌方案 for 创建“四强化六提升”学校党建品牌的实施方案, 工作要点): the ones it means.
 * Empty when it names none that way, or compares the places (each is meant).
 */
function titlesSaid(q: Question, kb: KnowledgeSnapshot): Set<string> {
  if (q.places.length === 0 || q.comparison) return new Set();
  // Only the words that point at a document (那个…里, …方案): the subject's words are in titles too (学校党建).
  const said = new Set([...q.text.matchAll(DOCUMENT_NAMED)].flatMap((m) => bigrams(m[0])));
  if (said.size === 0) return new Set();
  const scores = new Map<string, number>();
  for (const [id, places] of kb.places) {
    const doc = kb.docs.get(id);
    if (!doc || !q.places.some((p) => places.includes(p))) continue;
    // (The title's place names the place, not the document among the place's.)
    const title = places.reduce((t, p) => t.split(p).join(' '), doc.title);
    scores.set(id, new Set(bigrams(title).filter((g) => said.has(g))).size);
  }
  const best = Math.max(0, ...scores.values());
  if (best === 0 || scores.size < 2) return new Set();
  return new Set([...scores].filter(([, n]) => n === best).map(([id]) => id));
}

/** Words that point at a document: 那个品牌方案里, 这个组织建设年的意见, 工作要点, 征求意见稿. */
const DOCUMENT_NAMED =
  /(?:那个|这个|那份|这份)[\u4e00-\u9fff]{2,12}?(?=里|中|上|说|讲|提|写|[,，?？])|[\u4e00-\u9fff]{0,6}(?:方案|通知|意见|要点|征求意见稿|实施意见)/g;

/** A question asking what is handed in, by when or to whom: 几号前交, 交给谁, 报送到哪, 要交哪些, 交到局里. */
const HAND_IN_ASKED =
  /[交送报](?:给谁|到哪|至哪|哪些|什么|啥|些)|(?:上交|提交|报送|送交|前交|要交|交材料|交到|送到|送过去|交上去)/;
/** A sentence dating a hand-in: a day, then (within the sentence) where it goes (送至, 报送, 发送至). */
const DATED_HAND_IN = /\d{1,2}月\d{1,2}日[^。]{0,80}?(?:送至|报送|报至|交至|送交|上报)/;
const handsIn = (text: string) => DATED_HAND_IN.test(flat(text));
/** The index's words for a hand-in, as bigrams (the words column cuts 送至局 differently). */
const HAND_IN_GRAMS = 'grams: ("送至" OR "报送" OR "报至" OR "交至" OR "送交" OR "上报")';

/**
 * A question asking which meetings are held, or when: 开几回会, 都啥时候开, 开哪些会, 什么时候开推进会;
 * or the year's rhythm (一年是个啥节奏, 会怎么安排): the documents set it by the meetings they call.
 */
const MEETINGS_ASKED =
  /开(?:几|哪|啥|什么|多少)[^，。？?]{0,3}会|(?:几|哪几)(?:回|次|个|场)会|(?:什么|啥|哪些|哪几个?)会(?![员计])|(?:啥|什么)时候开|节奏|会(?:议)?[都是要]{0,2}(?:怎么|如何|咋)(?:安排|排|开)/;
/** A clause naming a meeting held at a time of the year: 年初召开重点工作任务部署会, 半年召开推进会. */
const TIMED_MEETING =
  /(?:年初|年中|半年|年终|年底|年末|季度|学期初|学期末|\d{1,2}月)[^，。；、]{0,30}?会(?:议)?(?=[，。；、]|$)/g;
/** A passage listing two meetings or more with their times: the year's schedule of meetings. */
const schedulesMeetings = (text: string) => (flat(text).match(TIMED_MEETING)?.length ?? 0) >= 2;
/**
 * The index's words for a meeting called at a time of the year (年初召开, 半年召开), as phrases of
 * bigrams: the times alone are in most passages of a large index, and their rows cost a scan.
 */
const MEETING_GRAMS = `grams: (${['年初', '年中', '半年', '年终', '年底', '年末']
  .map((t) => `"${t} ${t.slice(1)}召 召开"`)
  .join(' OR ')})`;

/**
 * The lines of the documents the question is about (those of the places it names, else those of
 * the best candidates) that the index finds by `match`: a document's 送至 line (摸底定级的材料 for
 * 实施方案和进展情况，连同附件1、2、3送至局组织科) or its meetings by time (开几回会 for 年初召开…部署会)
 * seldom holds the question's words.
 */
async function linesOf(db: AppDb, kb: KnowledgeSnapshot, q: Question, fts: FtsHit[], match: string) {
  const named = [...kb.places].filter(([, places]) => q.places.some((p) => places.includes(p))).map(([id]) => id);
  const docs = named.length > 0 ? named : [...new Set(fts.slice(0, 3).map((h) => h.doc))];
  const seen = new Set(fts.map((h) => `${h.doc}#${h.ord}`));
  const lines = await ftsSearchIn(db, match, docs.slice(0, LINES_DOCS), LINES);
  return lines.filter((h) => !seen.has(`${h.doc}#${h.ord}`)).map((h) => ({ ...h, score: 0 }));
}
/** At most this many documents' lines, this many lines in all: a few rows of the index. */
const LINES_DOCS = 5;
const LINES = 5;

/** A question asking for the farthest of targets set: 最远的目标, 最终要建成, 长远目标, 远期. */
const FARTHEST = /最远|最终|长远|远期|远景/;

/** The latest year a text sets as a target (到2035年, 至2025年); 0 for none. */
function latestTarget(text: string): number {
  return Math.max(0, ...[...text.matchAll(TARGET_YEAR)].map((m) => Number(m[1])));
}
const TARGET_YEAR = /[到至]\s*(\d{4})\s*年/g;

/** The needs whose answer is a figure a sentence states (who is named too often to tell passages apart). */
const ASKED_FIGURES: Need[] = ['number', 'frequency', 'time'];

/** Reciprocal-rank fusion's constant: small, as the candidates are few and the top ranks matter. */
const RRF_K = 5;

/** Each item's rank (0 best) by a value; a BM25 of 0 (no match in that column) ranks last. */
function rankBy<T>(items: T[], value: (t: T) => number, order: 'asc' | 'desc'): number[] {
  const key = (t: T) => {
    const v = value(t);
    return order === 'asc' ? (v === 0 ? Number.POSITIVE_INFINITY : v) : -v;
  };
  const sorted = items.map((t, i) => ({ i, k: key(t) })).sort((a, b) => a.k - b.k);
  const ranks = new Array<number>(items.length);
  for (const [r, { i }] of sorted.entries()) ranks[i] = r;
  return ranks;
}
