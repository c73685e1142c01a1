// The Q&A evaluation: runs a question set through the knowledge base and measures retrieval
// (hit@1/3/5 of the right passage, on the ranked passages before any answer is chosen) apart
// from the answers (key facts, the kind of each answer, refusals, invented answers).
// `npm run eval` prints the figures; tests/qa.test.ts holds them as floors.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Answer } from '../../handlers/qa/citation';
import { flat } from '../../handlers/qa/retrieve';

/**
 * One question. `kind` says what sort of question it is (fact, list, procedure, definition,
 * comparison, grading), or how it must be answered: `unanswerable` (the documents do not say:
 * the answer must not assert one) and `related` (the documents speak of the subject but do not
 * give exactly what is asked: the answer says so and quotes the closest rule, whose pieces are
 * the facts). `facts` are strings the answer must hold; `a|b` accepts either.
 */
export interface EvalItem {
  id: string;
  question: string;
  kind: string;
  docs: string[];
  facts: string[];
}

export type AnswerKind = 'direct' | 'related' | 'none';

export interface Asker {
  ask(question: string): Promise<Answer & { kind?: AnswerKind; retrieved?: { doc: string; text: string }[] }>;
}

export interface Listed {
  id: string;
  question: string;
  why: string;
  answer: string;
}

export interface EvalReport {
  answerable: number;
  unanswerable: number;
  /** Answerable items of kind `related`. */
  related: number;
  hitAt1: number;
  hitAt3: number;
  hitAt5: number;
  /** Answers holding every key fact. */
  keyFacts: number;
  /** Share of all key facts found in the answers. */
  factsFound: number;
  /** Of the answerable questions with a hit in the top 3: how many answers hold every key fact. */
  keyFactsGivenHit: number;
  /** Unanswerable questions not answered as if the documents said (kind none or related). */
  correctRefusals: number;
  /** …of which plainly refused (kind none). */
  refusedOutright: number;
  /** Unanswerable questions answered directly. */
  wrongAnswersToUnanswerable: number;
  /** Answerable questions refused (kind none). */
  falseRefusals: number;
  /** Expected kind (direct / related / none) → the kinds given. */
  kinds: Record<AnswerKind, Record<AnswerKind, number>>;
  /** Per question kind: questions and answers with every key fact. */
  byKind: Record<string, { n: number; keyFacts: number; hitAt3: number }>;
  invented: Listed[];
  failures: Listed[];
  /** Each question's outcome, in order (to compare two runs question by question). */
  results: ItemResult[];
  /** Characters of the answers given (direct and related, citations not counted): median and 90th percentile. */
  length: { median: number; p90: number };
}

export interface ItemResult {
  id: string;
  /** Rank of the first passage with the evidence (-1: not retrieved; unanswerable: -1). */
  rank: number;
  kind: AnswerKind;
  /** Every key fact (answerable) or not answered as if the documents said (unanswerable). */
  good: boolean;
  invented: boolean;
  /** Characters of the answer's text. */
  length: number;
}

const here = fileURLToPath(import.meta.url);
export const EVAL_FILE = resolve(here, '../eval.jsonl');
/**
 * Written in nine rounds by people who had not seen the code or the first set: a check that the
 * development set is not overfitted. Each round was measured before anything was tuned on it.
 */
export const FRESH_FILE = resolve(here, '../eval-fresh.jsonl');
/** Later blind rounds, one file each, kept as written (tests/qa/rounds/README.md: how and when measured). */
export const ROUNDS_DIR = resolve(here, '../rounds');
export const ROUND_FILES = readdirSync(ROUNDS_DIR)
  .filter((f) => /^round\d+\.jsonl$/.test(f))
  .sort((a, b) => Number(a.match(/\d+/)?.[0]) - Number(b.match(/\d+/)?.[0]))
  .map((f) => resolve(ROUNDS_DIR, f));
export const EVAL_FILES = [EVAL_FILE, FRESH_FILE, ...ROUND_FILES];

export function loadEval(file = EVAL_FILE): EvalItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalItem);
}

/** Text as facts are looked for in it: flattened, and a label's colon is no part of a fact (完成整改时间：6月). */
const plain = (s: string) => flat(s).replace(/[：:]/g, '');
const has = (text: string, fact: string) => fact.split('|').some((alt) => text.includes(plain(alt)));

/** The kind an answer declares, or for an answer from before kinds, what its wording says. */
export function kindOf(a: Answer & { kind?: AnswerKind }): AnswerKind {
  if (a.kind) return a.kind;
  if (!a.found) return 'none';
  return /没有(直接)?(给“[^”]*”下定义|规定)|没有直接规定|文件没有直接/.test(a.answer) ? 'related' : 'direct';
}

const expectedKind = (item: EvalItem): AnswerKind =>
  item.kind === 'unanswerable' ? 'none' : item.kind === 'related' ? 'related' : 'direct';

/**
 * The figures an answer states: a number with a unit a rule is counted in (2%, 1次, 6个月, 90分,
 * 两年). Each must be in a passage the answer cites or in the question; figures on a line that
 * shows its computation (= or 合计) are the computation's and are not checked.
 */
const FIGURE =
  /(\d+(?:\.\d+)?|[一二两三四五六七八九十百半]+)\s*(%|％|个?月|个?工作日|周年|年|次|分(?!钟|别|设|类|管|工|解|析|层|级|为|成|享|制|比|数)|名|人|天|日|学时|课时|小时|周|届|所|项|元|万元)/g;

export function figuresOf(text: string): string[] {
  return (
    text
      .split('\n')
      .filter((line) => !/=|合计/.test(line))
      // 第2项, 第3阶段: an item's number, not a figure.
      .flatMap((line) => [...flat(line).matchAll(FIGURE)].filter((m) => flat(line)[(m.index ?? 0) - 1] !== '第'))
      .map((m) => m[0])
      .filter((f) => /\d/.test(f) || /次|%|个?月|年|分|名|人|天|学时|课时|小时|届/.test(f))
      .filter((f) => !/^[一二三四五六七八九十]+年$/.test(f))
  ); // 一年 as a span of time, 二〇… years: wording
}

/** Figures of the answer found neither in its citations' quotes nor in the question. */
export function unsupportedFigures(question: string, a: Answer): string[] {
  const ground = flat(`${question}${a.citations.map((c) => c.quote).join('')}`);
  return [...new Set(figuresOf(a.answer))].filter((f) => !ground.includes(f));
}

export async function evaluate(asker: Asker, items: EvalItem[]): Promise<EvalReport> {
  const zero = (): Record<AnswerKind, number> => ({ direct: 0, related: 0, none: 0 });
  const r: EvalReport = {
    answerable: 0,
    unanswerable: 0,
    related: 0,
    hitAt1: 0,
    hitAt3: 0,
    hitAt5: 0,
    keyFacts: 0,
    factsFound: 0,
    keyFactsGivenHit: 0,
    correctRefusals: 0,
    refusedOutright: 0,
    wrongAnswersToUnanswerable: 0,
    falseRefusals: 0,
    kinds: { direct: zero(), related: zero(), none: zero() },
    byKind: {},
    invented: [],
    failures: [],
    results: [],
    length: { median: 0, p90: 0 },
  };
  let facts = 0;
  for (const item of items) {
    const a = await asker.ask(item.question);
    const kind = kindOf(a);
    const expected = expectedKind(item);
    r.kinds[expected][kind]++;
    const list = (to: Listed[], why: string) =>
      to.push({ id: item.id, question: item.question, why, answer: a.answer });
    const fail = (why: string) => list(r.failures, why);
    const figures = a.found ? unsupportedFigures(item.question, a) : [];
    if (figures.length) list(r.invented, `figures not in the cited passages: ${figures.join(', ')}`);
    const result: ItemResult = {
      id: item.id,
      rank: -1,
      kind,
      good: false,
      invented: figures.length > 0,
      length: a.answer.length,
    };
    r.results.push(result);
    const k = r.byKind[item.kind] ?? { n: 0, keyFacts: 0, hitAt3: 0 };
    r.byKind[item.kind] = k;
    k.n++;
    if (item.kind === 'unanswerable') {
      r.unanswerable++;
      if (kind === 'direct') {
        r.wrongAnswersToUnanswerable++;
        fail('answered an unanswerable question');
        if (!figures.length) list(r.invented, 'a direct answer to an unanswerable question');
        result.invented = true;
      } else {
        result.good = true;
        r.correctRefusals++;
        if (kind === 'none') r.refusedOutright++;
        k.keyFacts++;
      }
      continue;
    }
    r.answerable++;
    if (item.kind === 'related') r.related++;
    const retrieved = a.retrieved ?? [];
    const rank = retrieved.findIndex((p) => item.docs.includes(p.doc) && item.facts.some((f) => has(plain(p.text), f)));
    result.rank = rank;
    const hit = rank >= 0 && rank < 3;
    if (rank === 0) r.hitAt1++;
    if (hit) {
      r.hitAt3++;
      k.hitAt3++;
    }
    if (rank >= 0 && rank < 5) r.hitAt5++;
    facts += item.facts.length;
    if (kind === 'none') {
      r.falseRefusals++;
      fail(`refused an answerable question${hit ? ' (the passage was in the top 3)' : ''}`);
      continue;
    }
    const text = plain(a.answer);
    const found = item.facts.filter((f) => has(text, f));
    r.factsFound += found.length;
    if (found.length === item.facts.length) {
      result.good = true;
      r.keyFacts++;
      k.keyFacts++;
      if (hit) r.keyFactsGivenHit++;
    } else fail(`missing ${item.facts.filter((f) => !found.includes(f)).join(', ')}${hit ? '' : ' (not in top 3)'}`);
  }
  // Over every answerable question's facts: a refused question found none of them.
  r.factsFound = facts === 0 ? 0 : r.factsFound / facts;
  const lengths = r.results
    .filter((x) => x.kind !== 'none')
    .map((x) => x.length)
    .sort((a, b) => a - b);
  r.length = { median: percentile(lengths, 0.5), p90: percentile(lengths, 0.9) };
  return r;
}

/** The value below which a share `p` of the sorted values lie (nearest rank). */
function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number);
}

const pct = (n: number, d: number) => `${((100 * n) / Math.max(d, 1)).toFixed(1)}%`;

export function formatReport(r: EvalReport): string {
  const kinds = (['direct', 'related', 'none'] as const)
    .map((e) => `${e}: ${(['direct', 'related', 'none'] as const).map((g) => `${g} ${r.kinds[e][g]}`).join(', ')}`)
    .join('; ');
  const byKind = Object.entries(r.byKind)
    .map(([k, v]) => `${k} ${v.keyFacts}/${v.n}`)
    .join(', ');
  return [
    `questions: ${r.answerable} answerable (${r.related} related), ${r.unanswerable} unanswerable`,
    `retrieval hit@1 / @3 / @5:          ${pct(r.hitAt1, r.answerable)} / ${pct(r.hitAt3, r.answerable)} / ${pct(r.hitAt5, r.answerable)}`,
    `answer key-fact accuracy:           ${pct(r.keyFacts, r.answerable)} of questions with every key fact (${(100 * r.factsFound).toFixed(1)}% of facts)`,
    `  given a hit in the top 3:         ${pct(r.keyFactsGivenHit, r.hitAt3)}`,
    `correct refusals:                   ${pct(r.correctRefusals, r.unanswerable)} (${r.refusedOutright} refused outright, ${r.correctRefusals - r.refusedOutright} answered as related)`,
    `invented answers:                   ${r.invented.length} (${r.wrongAnswersToUnanswerable} direct answers to unanswerable questions, ${r.invented.filter((i) => i.why.startsWith('figures')).length} with figures not in their citations)`,
    `answerable questions refused:       ${r.falseRefusals}`,
    `answer length (characters):         median ${r.length.median}, p90 ${r.length.p90} (direct and related answers)`,
    `kinds (expected: given):            ${kinds}`,
    `by question kind (good/all):        ${byKind}`,
  ].join('\n');
}
