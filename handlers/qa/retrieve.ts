// Finding the passages a question is about: BM25 over the FTS5 index (words, bigrams, headings),
// then a re-ranking by how many of the question's concepts each passage holds, weighted by
// how rare they are, with a strong preference for a document the user named by its place.
import type { AppDb } from '../../storage/db';
import {
  allDocuments,
  allTerms,
  ftsSearch,
  type KbDocument,
  type KbPassage,
  kbVersion,
  passagesAt,
} from '../../storage/kb';
import { placesOf } from './ingest';
import type { Concept, Question } from './question';
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
export const flat = (s: string) => normalise(s).replace(/\s+/g, '');

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
  if (reachable(weighted) < LOWEST_COVERAGE) {
    const rarest = [...known].sort((a, b) => b.weight - a.weight).slice(0, 2);
    const heads = rarest.flatMap((w) => w.concept.forms.flatMap(phrases)).map(quote);
    return heads.length ? `head: (${heads.join(' OR ')})` : null;
  }
  const informative = known.filter((w) => w.weight >= COMMON_WEIGHT);
  // Only common words: the two rarest of them still find the passages, at a fraction of the cost.
  const used = informative.length > 0 ? informative : [...known].sort((a, b) => b.weight - a.weight).slice(0, 2);
  const wordQ = new Set<string>();
  const gramQ = new Set<string>();
  for (const { concept, weight } of used) {
    for (const f of concept.forms) {
      for (const p of phrases(f)) wordQ.add(quote(p));
      if (/^[\u3400-\u9fff]+$/.test(f) && f.length <= 8) wordQ.add(quote(normalise(f)));
      if (weight >= RARE_WEIGHT) for (const g of bigrams(f)) gramQ.add(quote(g));
    }
  }
  const parts: string[] = [];
  if (wordQ.size) parts.push(`{words head}: (${[...wordQ].join(' OR ')})`);
  if (gramQ.size) parts.push(`grams: (${[...gramQ].join(' OR ')})`);
  return parts.length ? parts.join(' OR ') : null;
}

/** The lowest share of the question any answer accepts (a document's line in a comparison). */
export const LOWEST_COVERAGE = 0.4;

/** The most of the question a passage can cover: the words the documents use at all. */
export function reachable(weighted: Weighted[]): number {
  const all = weighted.reduce((n, w) => n + w.weight, 0);
  return all === 0 ? 0 : weighted.filter((w) => w.df !== 0).reduce((n, w) => n + w.weight, 0) / all;
}

const TITLE_BONUS = 0.6;
/** A section that lays out steps or stages. */
export const STEP_SECTION = /步骤|阶段|进度|时间安排|实施安排|工作安排/;
const STEP_BONUS = 0.4;

/** Below this weight a concept is in more than about a quarter of all passages. */
const COMMON_WEIGHT = 2.0;
/** From this weight a concept is rare enough that matching its bigrams is worth it. */
const RARE_WEIGHT = 2.5;

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
  const best = Math.min(...fts.map((h) => h.score));
  const rows = await passagesAt(db, fts);
  const byKey = new Map(rows.map((r) => [`${r.docId}#${r.ord}`, r]));
  const named = q.places;
  const hits: Hit[] = [];
  for (const h of fts) {
    const passage = byKey.get(`${h.doc}#${h.ord}`);
    const doc = kb.docs.get(h.doc);
    if (!passage || !doc) continue;
    const context = flat(`${doc.title}${passage.section}${passage.headings.join('')}`);
    // A filled-in form's passages are all about the branch it names (its last heading).
    const own = passage.kind === 'form' ? `${passage.text}${passage.headings.at(-1) ?? ''}` : passage.text;
    const cov = coverage(flat(own), context, weighted);
    const docPlaces = kb.places.get(doc.id) ?? [];
    const isNamed = named.length === 0 ? undefined : named.some((p) => docPlaces.includes(p));
    const place = isNamed === undefined ? 0 : isNamed ? 0.6 : -0.6;
    // A section whose own title names the question's subject is the place that rules on it.
    const titled = coverage(flat(passage.section), '', weighted);
    // Steps are asked for: the section that lays them out (步骤, 阶段, 安排) is where they are.
    const stepsHere = q.needs.includes('steps') && STEP_SECTION.test(passage.section) ? STEP_BONUS : 0;
    hits.push({
      doc,
      passage,
      named: isNamed,
      coverage: cov,
      score: 0.5 * (h.score / best) + cov + place + TITLE_BONUS * titled + stepsHere,
    });
  }
  return hits.sort((a, b) => b.score - a.score);
}
