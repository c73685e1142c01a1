// The knowledge base as the Q&A handler and the ask CLI use it: question in, answer out.
import type { AppDb } from '../../storage/db';
import { passagesContaining, passagesNear } from '../../storage/kb';
import { compose } from './answer';
import { type Answer, citationOf } from './citation';
import { computeGrading, GRADING } from './grading';
import { type LlmConfig, rewrite } from './llm';
import { analyse, COMPARISON, correctSlips } from './question';
import { type KnowledgeSnapshot, retrieve, snapshot } from './retrieve';
import { structureAnswer } from './structure';
import { Vocabulary } from './vocabulary';

export class Knowledge {
  private kb: KnowledgeSnapshot | undefined;
  private readonly vocabulary = new Vocabulary();

  constructor(
    private readonly db: AppDb,
    private readonly llm?: LlmConfig,
  ) {}

  /** The answer; with a chat model configured, its fluent rewrite when that checks out. */
  async ask(text: string): Promise<Answer> {
    const { answer } = await this.explain(text);
    if (!this.llm) return answer;
    return (await rewrite(this.llm, text, answer)) ?? answer;
  }

  /**
   * A message may hold several questions (`一年研究几次？开几次会`): each is answered, and the
   * answers are joined. A follow-up too short to stand alone borrows the first one's subject.
   */
  async explain(text: string): Promise<Explained> {
    // A pasted document is not a question: searching with all its words would find anything.
    if (text.length > MAX_QUESTION) {
      const answer = {
        found: false,
        answer: `问题太长了（超过${MAX_QUESTION}字）。请把要问的事说得简短具体一些。`,
        citations: [],
      };
      return { answer, retrieved: [] };
    }
    const kb = await snapshot(this.db, this.kb);
    // A computation reads its numbers from the whole message, wherever they were put.
    const computed = await this.computed(correctSlips(text), kb);
    if (computed)
      return { answer: computed, retrieved: computed.citations.map((c) => ({ doc: c.doc, text: c.quote })) };
    const parts = splitQuestions(text, kb.allPlaces);
    if (parts.length === 0) return this.explainOne(text);
    if (parts.length === 1) return this.withContext(parts[0] as Part);
    const results = [];
    for (const [i, part] of parts.entries()) {
      const short = i > 0 && part.question.length < 8;
      const r = short
        ? await this.explainOne(`${(parts[0] as Part).question} ${part.question}`)
        : await this.withContext(part);
      // A short follow-up (考的是啥) is about the same subject: the first answer covers it.
      if (!(short && !r.answer.found)) results.push(r);
    }
    const found = results.filter((r) => r.answer.found);
    if (found.length === 0) return results[0] ?? this.explainOne(text);
    const answers = results.map((r, i) =>
      r.answer.found ? r.answer.answer : `（第${i + 1}问）已载入的文件中没有找到相关规定。`,
    );
    const citations = found.flatMap((r) => r.answer.citations);
    const unique = citations.filter((c, i) => citations.findIndex((d) => d.docId === c.docId && d.ord === c.ord) === i);
    return {
      answer: { found: true, answer: [...new Set(answers)].join('\n'), citations: unique.slice(0, 3) },
      retrieved: results.flatMap((r) => r.retrieved.slice(0, 2)),
    };
  }

  /**
   * A question with what was said before it (固原那个方案里，…): asked with it first; if that
   * finds nothing, the words before were the member's own situation, and it is asked alone.
   */
  private async withContext(part: Part): Promise<Explained> {
    const r = await this.explainOne(join(part.context, part.question));
    // (A short question leans on what came before it: 具体按多少比例返 is not asked alone.)
    if (r.answer.found || !part.context || part.question.length < ALONE_MIN) return r;
    const alone = await this.explainOne(part.question);
    return alone.answer.found ? alone : r;
  }

  /** One question's answer with the passages retrieved for it, best first (for evaluation). */
  private async explainOne(text: string): Promise<Explained> {
    const kb = await snapshot(this.db, this.kb);
    this.kb = kb;
    const draft = analyse(text, kb.dictionary, kb.allPlaces);
    const weighted = kb.docs.size === 0 ? [] : await this.vocabulary.concepts(this.db, kb, draft);
    const q = { ...draft, concepts: weighted.map((w) => w.concept) };
    if (weighted.length === 0) {
      const answer = {
        found: false,
        answer: kb.docs.size === 0 ? '知识库里还没有文件。' : '请把问题说得具体一些，例如：党组织活动经费不低于多少？',
        citations: [],
      };
      return { answer, retrieved: [] };
    }
    const hits = await retrieve(this.db, kb, q, weighted);
    // Steps and lists often run over several sections: bring the neighbours of the best hits.
    if (q.needs.includes('steps') || q.needs.includes('list')) {
      for (const h of hits.slice(0, 3)) h.near = await passagesNear(this.db, h.doc.id, h.passage.ord, 12);
    }
    return {
      answer: (await structureAnswer(this.db, q, hits, weighted)) ?? compose(q, hits, weighted),
      retrieved: hits.map((h) => ({ doc: h.doc.source, text: h.passage.text })),
    };
  }

  private sheet: { version: string; docId: string | null } | undefined;

  /** The loaded document holding the grading sheet, looked for once per version of the knowledge base. */
  private async sheetOf(kb: KnowledgeSnapshot): Promise<string | null> {
    if (this.sheet?.version !== kb.version) {
      const [p] = await passagesContaining(this.db, GRADING.clauses.bands, 1);
      this.sheet = { version: kb.version, docId: p?.docId ?? null };
    }
    return this.sheet.docId;
  }

  /**
   * A grading computation (自评86、考评80算什么等级), answered only when the loaded sheet holds
   * every clause it rests on, each cited; otherwise the question goes to retrieval like any other.
   */
  private async computed(text: string, kb: KnowledgeSnapshot): Promise<Answer | null> {
    // Set beside another document's rule (固原跟天宁评分表有啥区别), the sheet is one side of a comparison.
    if (/区别|不同|不一样|对比|比较|差别/.test(text) && kb.allPlaces.filter((p) => text.includes(p)).length >= 1)
      return null;
    const result = computeGrading(text);
    if (!result) return null;
    const sheetId = await this.sheetOf(kb);
    if (!sheetId) return null;
    const citations = [];
    const quotes: string[] = [];
    for (const rest of result.rests) {
      const p = (await passagesContaining(this.db, rest, 1, sheetId))[0];
      const doc = p && kb.docs.get(p.docId);
      if (!p || !doc) return null;
      citations.push(citationOf({ doc, passage: p, coverage: 1, score: 1 }));
      // A row of the sheet is quoted whole (its points are in the row), less the example score.
      const quote =
        p.kind === 'row'
          ? p.text.replace(/（自评得分：[^）]*）/g, '')
          : (p.text.split(/(?<=。)/).find((t) => t.includes(rest)) ?? p.text);
      quotes.push(`依据：“${quote.trim()}”`);
    }
    return { found: true, answer: [result.text, ...quotes].join('\n'), citations };
  }
}

/** An answer, with the passages retrieved for it, best first (what the evaluation measures). */
type Explained = { answer: Answer; retrieved: { doc: string; text: string }[] };

/** The longest message read as a question. */
const MAX_QUESTION = 300;

const join = (a: string, b: string) => (a ? `${a}，${b}` : b);
/** A question this long may stand without what was said before it. */
const ALONE_MIN = 12;

/** One question of a message, and what the member said before it. */
interface Part {
  question: string;
  context: string;
}

/** Questions in one message: its parts between question marks and commas; a part that asks nothing is context. */
export function splitQuestions(text: string, places: readonly string[] = []): Part[] {
  const parts = text
    .split(/[？?，,；;]/)
    .map((p) => p.trim())
    .filter((p) => p.replace(/[\s。！!]/g, '').length >= 2);
  // A part that asks nothing (固原那个方案里，…) is context for the question after it.
  const out: Part[] = [];
  let context = '';
  for (const p of parts) {
    const last = out[out.length - 1];
    // 几个文件分别是啥, 固原的文件咋规定的 or 每一步啥时间 after a question asks more of it: one question.
    const scoping = places.some((place) => p.includes(place)) && SCOPE.test(p);
    if (last && p.length <= 24 && (COMPARISON.test(p) || scoping || (p.length <= 14 && FOLLOW_UP.test(p)))) {
      last.question = join(last.question, p);
    } else if (ASKS.test(p)) {
      out.push({ question: p, context });
      context = '';
    } else context = join(context, p);
  }
  // After the last question, a short remark still belongs to it (…多久一次，天宁的); a long one is
  // the member's own situation (我们有俩老师在外地跟岗), which no document speaks of.
  const last = out[out.length - 1];
  if (context && last) {
    if (context.length <= 6) last.question = join(last.question, context);
  } else if (context) out.push({ question: context, context: '' });
  return out;
}

/** A part naming places and asking what their documents say (固原和金凤的文件咋规定的) scopes the question before it. */
const SCOPE = /文件|规定|要求|说法|咋说|怎么说|方案|怎么讲/;

/** A part that details the question before it (…分几步，每一步啥时间): one question with it. */
const FOLLOW_UP = /^(每一?步|每个?阶段|各(个)?(步骤|阶段|环节)|具体|大概|分别)/;

const ASKS = /几|多少|谁|哪|什么|啥|咋|吗|呢|怎么|如何|是否|有没有|要不要|能不能|多久|多长|区别|不同|一样/;
