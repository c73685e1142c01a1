// The knowledge base's vocabulary, asked through the bigram index: does a string occur in the
// documents, and in how many passages. It joins the segmenter's pieces back into the documents'
// words (党+费 → 党费, 兰+陵 → 兰陵) and weighs each concept by how rare it is. A word the
// documents never use still counts, modestly: it may be the very thing they do not cover, or
// just a word of the spoken language.
import { sql } from 'drizzle-orm';
import type { AppDb } from '../../storage/db';
import { type Concept, conceptOf, MEASURES, QUALIFIERS, type QuestionDraft, TOKEN_BREAK } from './question';
import { type KnowledgeSnapshot, RARE_WEIGHT, type Weighted } from './retrieve';
import { COLLECTIVES } from './synonyms';
import { bigrams, words } from './tokenize';

/** The weight of a word the documents never use. */
export const UNKNOWN_WEIGHT = 4;
const MAX_MERGE = 4;
const VERBS = new Set('建 交 搞 做 开 报 抓 管 学 去 到 要 按 进 评 定 算 填 写 看 找 送 发 讲 听 办 弄'.split(' '));
const YEAR_WEIGHT = 1;
const YEAR = /^(19|20)\d\d$/;
/** The most a word that qualifies a quantity (至少, 每年) or names its unit (学时) weighs. */
const QUALIFIER_WEIGHT = 1;
/** Characters of the spoken language's function words. */
/** Latin letters or digits and Chinese characters together, nothing else. */
const MIXED = /^(?=.*[a-z0-9])(?=.*[\u3400-\u9fff])[a-z0-9\u3400-\u9fff]+$/;
/**
 * A function character anywhere, or a verb's complement (到, 来, 去, 过, 着) at the end (交到, 拿来):
 * at the start it begins a word of its own (到期, 过期).
 */
const SPOKEN = /[的了是我你他她这那么给把被又还就都也些种吗呢吧啊得地个样头儿总]|.[到来去过着]/;

/** The words a document is called by (那个方案, 这份通知). */
const DOCUMENT_KINDS = /^(实施)?(方案|通知|意见|要点|文件|办法|征求意见稿)$/;

export class Vocabulary {
  private counts = new Map<string, number>();
  private version = '';

  /** Passages containing `s` (two or more Chinese characters, or a term mixing them with letters); -1 when it cannot tell. */
  async passagesWith(db: AppDb, kb: KnowledgeSnapshot, s: string): Promise<number> {
    if (kb.version !== this.version) {
      this.counts.clear();
      this.version = kb.version;
    }
    const cached = this.counts.get(s);
    if (cached !== undefined) return cached;
    const grams = bigrams(s);
    let n = -1;
    // A term of Latin letters and Chinese (“hui服务”系统) has bigrams of only part of it: its words, as a phrase.
    const mixed = grams.length === 0 || grams.length === s.length - 1 ? null : MIXED.test(s) ? words(s) : null;
    // A number of three or more digits is a name (“1447”总体发展思路): the passages holding it as a
    // word. (A year is weighed as one below, wherever the documents date things by it.)
    const named = /^\d{3,}$/.test(s) && !YEAR.test(s) ? s : null;
    if (grams.length > 0 && grams.length === s.length - 1) {
      const phrase = `grams: "${grams.join(' ')}"`;
      const [row] = await db.all<{ n: number }>(sql`select count(*) as n from kb_fts where kb_fts match ${phrase}`);
      n = row?.n ?? 0;
    } else if (named) {
      const [row] = await db.all<{ n: number }>(
        sql`select count(*) as n from kb_fts where kb_fts match ${`words: "${named}"`}`,
      );
      n = row?.n ?? 0;
    } else if (mixed && mixed.length > 1) {
      const phrase = `words: "${mixed.join(' ')}"`;
      const [row] = await db.all<{ n: number }>(sql`select count(*) as n from kb_fts where kb_fts match ${phrase}`);
      n = row?.n ?? 0;
    }
    this.counts.set(s, n);
    return n;
  }

  /** The most pieces from `i` that join into a string of the documents (1: none join). */
  private async longestWord(
    db: AppDb,
    kb: KnowledgeSnapshot,
    t: string[],
    i: number,
  ): Promise<{ taken: number; df: number }> {
    for (let j = Math.min(t.length, i + MAX_MERGE); j > i + 1; j--) {
      // Only repair what the segmenter cut too fine: at most one piece may be a word of its own,
      // or two short ones the documents use together (积极|分子, 发展|对象).
      const pieces = t.slice(i, j);
      if (pieces.includes(TOKEN_BREAK)) continue;
      // A verb after a word is what is done to it (支部|建, 方案|交, 党|建|抓), not the end of a longer word.
      if (pieces.some((w, k) => k > 0 && VERBS.has(w) && pieces.slice(0, k).join('').length > 1)) continue;
      const long = pieces.filter((w) => w.length > 1).length;
      const pair = long === 2 && pieces.length === 2 && pieces.join('').length <= 4;
      if (long > 1 && !pair) continue;
      const df = await this.passagesWith(db, kb, pieces.join(''));
      if (df >= (pair ? 2 : 1)) return { taken: j - i, df };
    }
    return { taken: 1, df: 0 };
  }

  async concepts(db: AppDb, kb: KnowledgeSnapshot, q: QuestionDraft): Promise<Weighted[]> {
    const { terms, tokens: t } = await rejoined(db, kb, this, q);
    const words = [...terms];
    // Join neighbouring pieces while the joined string is a word of the documents.
    for (let i = 0; i < t.length; ) {
      if (t[i] === TOKEN_BREAK) {
        i++;
        continue;
      }
      const here = await this.longestWord(db, kb, t, i);
      let taken = here.taken;
      // A lone character before a much commoner word is a word of its own: 建|党建示范点, not 建党建;
      // 按|程序, not 按程序.
      if (taken > 1 && (t[i] as string).length === 1) {
        const next = await this.longestWord(db, kb, t, i + 1);
        const word = t[i + 1] as string;
        const nextDf = next.taken > 1 ? next.df : word.length > 1 ? await this.passagesWith(db, kb, word) : 0;
        if (nextDf >= here.df * 3) taken = 1;
      }
      // So is a lone last character that begins a commoner word: 兰陵小学|党支部, not 兰陵小学党;
      // 党员|进社区, not 党员进.
      const last = t[i + taken - 1] as string;
      const after = t[i + taken];
      // Two words side by side are no word of their own where the second begins a much commoner
      // one with the word after it: 学校|基层党组织, not 学校基层|党组织 (but 基层组织|建设 stays).
      if (taken === 2 && last.length > 1 && after && after !== TOKEN_BREAK) {
        if ((await this.passagesWith(db, kb, last + after)) >= here.df * 3) taken = 1;
      }
      if (taken > 1 && last.length === 1 && after) {
        const shorter = taken === 2 ? 1 : await this.passagesWith(db, kb, t.slice(i, i + taken - 1).join(''));
        if (shorter > 0 && (await this.passagesWith(db, kb, last + after)) > here.df) taken--;
      }
      // A lone last character at the end of a clause is often half a word whose other half was a
      // filler left out (风险点排|查): the word without it, in more passages, is the one meant.
      if (taken > 2 && last.length === 1 && (after === undefined || after === TOKEN_BREAK)) {
        const shorter = await this.passagesWith(db, kb, t.slice(i, i + taken - 1).join(''));
        if (shorter >= here.df * 2) taken--;
      }
      words.push(t.slice(i, i + taken).join(''));
      i += taken;
    }
    // A member asked of alone (党小组会多久开一次) is asked of its term too, as a concept of its own:
    // a passage holding only the term (严格落实“三会一课”) is about the member, not all the question asks.
    // (Two members named, the members' words are found in the term too: see withCollectives.)
    const collectives = collectivesNamed(q.text);
    words.push(...collectivesOfMembers(q.text));
    await ratesNamed(db, kb, this, q.text, words);
    await headcountRates(db, kb, this, q.text, words);
    const out: Weighted[] = [];
    const seen = new Set<string>();
    for (const word of words) {
      if (seen.has(word)) continue;
      seen.add(word);
      // 那个方案, 这份通知: the document pointed at (its place or title says which), not a subject.
      if (DOCUMENT_KINDS.test(word) && new RegExp(`(那|这)[个份]${word}`).test(q.text)) continue;
      const concept = withCollectives(conceptOf(word), collectives);
      if (/^第\d+条$/.test(word)) {
        // An item number names one row: as telling as the rarest word.
        out.push({ concept, weight: UNKNOWN_WEIGHT * 3, df: 1 });
        continue;
      }
      const counts = await Promise.all(concept.forms.map((f) => this.passagesWith(db, kb, f)));
      const df = Math.max(...counts);
      if (df < 0) {
        // A single character or a non-Chinese word: it counts only if the documents have it.
        // (A number of three or more digits is a name, “12345”工作思路, counted above as a word.)
        // A year may be a target's (2025年) or only the document's date: it counts less.
        if (YEAR.test(word)) out.push({ concept, weight: YEAR_WEIGHT, df: -1 });
        else if (/^[a-z0-9]{2,}$/i.test(word)) out.push({ concept, weight: 1, df: -1 });
        continue;
      }
      // A word the documents never use that holds a function character (交给, 的话, 我是) is the
      // spoken language around the question, not its subject.
      if (df === 0 && SPOKEN.test(word)) continue;
      const rarity = df === 0 ? UNKNOWN_WEIGHT : Math.log(1 + Math.max(kb.passages, 1) / (df + 0.5));
      const weight = QUALIFIERS.has(word) || MEASURES.has(word) ? Math.min(rarity, QUALIFIER_WEIGHT) : rarity;
      // What a query for its bigrams would cost (retrieve.ts#matchExpression keeps that bounded).
      const grams = new Map<string, number>();
      if (df > 0 && weight >= RARE_WEIGHT) {
        for (const g of new Set(concept.forms.flatMap(bigrams))) grams.set(g, await this.passagesWith(db, kb, g));
      }
      out.push({ concept, weight, df, grams });
    }
    return out;
  }
}

/**
 * A term taken out of the middle of a longer word of the documents (学习 of 党员学习日, leaving
 * 党员|日; 品牌 of 党建品牌创建, leaving 党|建|创建) is that word again, where the pieces on both
 * sides join it, one beside it a lone character (rarely a word of its own), and the documents use
 * the whole. The longest such word; at its ends, a lone character that makes a word with the piece
 * beyond it is that word's (党|建 of 建品牌创建).
 */
async function rejoined(
  db: AppDb,
  kb: KnowledgeSnapshot,
  vocabulary: Vocabulary,
  q: QuestionDraft,
): Promise<{ terms: string[]; tokens: string[] }> {
  let { terms, tokens } = q;
  const piece = (k: number) => (k < 0 || tokens[k] === TOKEN_BREAK ? undefined : tokens[k]);
  const inDocuments = async (s: string) => (await vocabulary.passagesWith(db, kb, s)) > 0;
  for (const term of q.terms) {
    for (let i = 1; i < tokens.length; i++) {
      if (!((piece(i - 1)?.length ?? 0) === 1 || (piece(i)?.length ?? 0) === 1)) continue;
      if (piece(i - 1) === undefined || piece(i) === undefined) continue;
      let joined: [number, number] | undefined;
      for (const [l, r] of SPANS) {
        const side = [...Array(l).keys()].map((k) => piece(i - l + k));
        const after = [...Array(r).keys()].map((k) => piece(i + k));
        if ([...side, ...after].includes(undefined)) continue;
        const word = `${side.join('')}${term}${after.join('')}`;
        if (!q.text.includes(word) || !(await inDocuments(word))) continue;
        const [first, last] = [side[0] as string, after.at(-1) as string];
        const before = piece(i - l - 1);
        const beyond = piece(i + r);
        if (first.length === 1 && before && (await inDocuments(`${before}${first}`))) continue;
        if (last.length === 1 && beyond && (await inDocuments(`${last}${beyond}`))) continue;
        joined = [l, r];
        break;
      }
      if (!joined) continue;
      const [l, r] = joined;
      const word = `${tokens.slice(i - l, i).join('')}${term}${tokens.slice(i, i + r).join('')}`;
      terms = terms.map((t) => (t === term ? word : t));
      tokens = [...tokens.slice(0, i - l), ...tokens.slice(i + r)];
      break;
    }
  }
  return { terms, tokens };
}

/** How many pieces a rejoined term takes before and after it, the most first. */
const SPANS: [number, number][] = [
  [2, 2],
  [2, 1],
  [1, 2],
  [1, 1],
];

/**
 * A share asked of a word (轮训的比例, 党员占比): the documents name it by the word and 率 (轮训率),
 * where they use that word. The share becomes it, weighed as the word it is, not as a measure.
 */
async function ratesNamed(db: AppDb, kb: KnowledgeSnapshot, vocabulary: Vocabulary, text: string, words: string[]) {
  for (const [i, word] of words.entries()) {
    if (!SHARES.has(word)) continue;
    // (Of the word's forms, the one the documents use with 率: 培训的比例 → 轮训率.)
    const rates = words
      .filter((w) => w !== word && new RegExp(`${w}的?${word}`).test(text))
      .flatMap((w) => conceptOf(w).forms.map((f) => `${f}率`));
    for (const rate of rates) {
      if ((await vocabulary.passagesWith(db, kb, rate)) <= 0) continue;
      words[i] = rate;
      break;
    }
  }
}

/** The words asking for a share. */
const SHARES = new Set(['比例', '占比', '百分比', '比率']);

/**
 * How many people an activity must reach (轮训得覆盖多少人, 多少党员要参加, 几成的人): the documents set
 * it as the activity's 率 (党员轮训率年内达到60%以上), where they use that word, which the question's
 * words seldom hold. The rate joins the activity, which stays what is asked about.
 */
async function headcountRates(db: AppDb, kb: KnowledgeSnapshot, vocabulary: Vocabulary, text: string, words: string[]) {
  if (!HEADCOUNT.test(text)) return;
  const rates = words.filter((w) => !HEADCOUNT.test(w)).flatMap((w) => conceptOf(w).forms.map((f) => `${f}率`));
  for (const rate of new Set(rates)) {
    // (Its last pair first, 员率 of 党员率: rare, it is cheap to count; the whole phrase of a common
    // word costs a scan of most of the index.)
    if (words.includes(rate) || (await vocabulary.passagesWith(db, kb, rate.slice(-2))) <= 0) continue;
    if ((await vocabulary.passagesWith(db, kb, rate)) > 0) words.push(rate);
  }
}

/** The words asking how many people are reached: 多少人, 几个人, 多少名党员, 几成, 覆盖面, 人数. */
const HEADCOUNT =
  /多少(?:个|名|位)?(?:人|党员|老师|教师|干部)|几(?:个|名|位)(?:人|党员|老师)|几成|覆盖面|人数|覆盖|达标/;

/** The collective terms (三会一课) whose members the text names two or more of, without the term itself. */
export function collectivesNamed(text: string): string[] {
  return Object.entries(COLLECTIVES)
    .filter(
      ([term, members]) => !text.includes(term) && members.filter((m) => m.some((w) => text.includes(w))).length >= 2,
    )
    .map(([term]) => term);
}

/**
 * The collective terms (三会一课) a member of which the text names alone (党小组会, 支委会): the
 * documents set the member's rules by the term (严格落实“三会一课”), seldom by the member's name.
 */
function collectivesOfMembers(text: string): string[] {
  return Object.entries(COLLECTIVES)
    .filter(([term, members]) => !text.includes(term) && members.some((m) => m.some((w) => text.includes(w))))
    .map(([term]) => term);
}

/**
 * A member of a collective term the question names (支委会 of 三会一课) is found in the term too: the
 * documents speak of the members by it.
 */
function withCollectives(concept: Concept, collectives: string[]): Concept {
  const of = collectives.filter((c) =>
    (COLLECTIVES[c] ?? []).some((m) => m.some((w) => w.includes(concept.word) || concept.word.includes(w))),
  );
  return of.length === 0 || collectives.includes(concept.word)
    ? concept
    : { ...concept, forms: [...concept.forms, ...of] };
}
