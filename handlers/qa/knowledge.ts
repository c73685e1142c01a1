// The knowledge base as the Q&A handler and the ask CLI use it: question in, answer out.
import type { AppDb } from '../../storage/db';
import { type KbDocument, passagesContaining, passagesNear, passagesOf } from '../../storage/kb';
import { compose, type Found, NO_PLACE_NOTE } from './answer';
import { handInLine, handInPart, handInParts, handInWord, onlyHandIn } from './asked';
import { type Answer, type Citation, citationOf } from './citation';
import { SHEET_COMPARED } from './compare';
import { addresseeNote, appliesAsked, documentFactsAnswer, documentFactsAsked } from './document-facts';
import { computeGrading, GRADING } from './grading';
import { type LlmConfig, rewrite } from './llm';
import { encloses } from './places';
import { analyse, MEASURES, QUALIFIERS, type Question } from './question';
import { flat, type Hit, type KnowledgeSnapshot, retrieve, snapshot, type Weighted } from './retrieve';
import { structureAnswer } from './structure';
import { Vocabulary } from './vocabulary';

export class Knowledge {
  private kb: KnowledgeSnapshot | undefined;
  private readonly vocabulary = new Vocabulary();

  constructor(
    private readonly db: AppDb,
    private readonly llm?: LlmConfig,
  ) {}

  /** The answer; with a chat model configured, its answer from the evidence when that checks out. */
  async ask(text: string): Promise<Answer> {
    const { answer, evidence } = await this.explain(text);
    if (!this.llm || evidence.length === 0) return answer;
    return (await rewrite(this.llm, text, answer, evidence)) ?? answer;
  }

  /**
   * A short message without a question word (一岗双责, 联系点) that names something the documents
   * speak of: a question about it, not small talk or a mistyped command.
   */
  async isTopic(text: string): Promise<boolean> {
    const t = text.trim();
    if (t.length === 0 || t.length > TOPIC_MAX) return false;
    const kb = await snapshot(this.db, this.kb);
    this.kb = kb;
    if (kb.docs.size === 0) return false;
    const weighted = await this.vocabulary.concepts(this.db, kb, analyse(t, kb.dictionary, kb.allPlaces));
    return weighted.some((w) => w.df > 0 && w.weight >= SPECIFIC_WEIGHT && !QUALIFIERS.has(w.concept.word));
  }

  /**
   * The answer with the passages retrieved for the whole message, best first (what the
   * evaluation measures as retrieval), and the evidence the answer was chosen from. A message may
   * hold several questions (`一年研究几次？开几次会`): each is answered, and the answers joined.
   */
  async explain(text: string): Promise<Explained> {
    // A pasted document is not a question: searching with all its words would find anything.
    if (text.length > MAX_QUESTION) {
      return none(`问题太长了（超过${MAX_QUESTION}字）。请把要问的事说得简短具体一些。`);
    }
    const kb = await snapshot(this.db, this.kb);
    this.kb = kb;
    const whole = await this.understand(text, kb);
    // A computation reads its numbers from the whole message, wherever they were put.
    // (Set beside another document's rule, the sheet is one side of a comparison: nothing to compute.
    // Asked 分别 with no place named, 得分分别是88、96 or 这两条分别值几分, it is still the sheet's.)
    const beside = whole.q.comparison && (whole.q.places.length > 0 || whole.q.placeLike.length > 0);
    const computed = beside ? null : await this.computed(text, kb);
    if (computed) {
      const { hits } = await this.retrieved(whole, kb);
      // (A further part answered only from passages the computation already quotes adds nothing.)
      const quoted = new Set(computed.answer.citations.map((c) => `${c.docId}#${c.ord}`));
      const further = (await this.afterGrade(text, computed.grade, kb)).filter(
        (a) => !a.citations.every((c) => quoted.has(`${c.docId}#${c.ord}`)),
      );
      // (Asked whether the sheet fits the member, whom its document is sent to is said too.)
      const answer = await this.addressed(text, whole.q, joined([computed.answer, ...further]));
      return { answer, retrieved: listed(hits), evidence: [] };
    }
    // Asked only of named documents themselves (固原和建始的文号各是多少): their metadata answers.
    const facts = documentFactsAsked(text);
    if (whole.weighted.length === 0 && facts.length > 0) {
      const answer = await documentFactsAnswer(this.db, facts, this.namedDocuments(whole.q), []);
      if (answer) return { answer, retrieved: [], evidence: [] };
    }
    if (whole.weighted.length === 0) {
      return none(
        kb.docs.size === 0 ? '知识库里还没有文件。' : '请把问题说得具体一些，例如：党组织活动经费不低于多少？',
      );
    }
    // A comparison's further parts (多久一次、集中还是轮训) detail what each document is asked: one question.
    const parts = whole.q.comparison ? [] : handInTogether(splitQuestions(text));
    if (parts.length <= 1) {
      // What the member adds after the question (我们区也想定个数，参照一下) is their own situation:
      // searched with it, its words pull the search away from the question's.
      const asked = parts[0] ? join(parts[0].context, parts[0].question) : text;
      const own = flat(asked) === flat(text) ? whole : await this.understand(asked, kb);
      const searched = own.weighted.length > 0 ? own : whole;
      inheritScope(searched.q, whole.q);
      const found = await this.found(
        await this.retrieved(searched, kb),
        parts[0] ?? { question: text, context: '', about: '' },
        true,
        text,
      );
      // (What is read from a document's metadata is not the passages': no chat model rewrites it.)
      const evidence = documentFactsAsked(found.own).length > 0 ? [] : found.hits;
      return {
        answer: await this.addressed(text, whole.q, await this.answerOf(found)),
        retrieved: listed(found.hits),
        evidence,
      };
    }
    const answers: Answer[] = [];
    const rankings: Hit[][] = [];
    // Parts that come to the same search (a follow-up asked with the question before it) share it.
    const searches = new Map<string, Hit[]>();
    let previous: { question: string; subject: Weighted[] } | undefined;
    let wayAsked = false;
    for (const part of parts) {
      let understood = await this.understand(join(part.context, part.question), kb);
      // A follow-up naming nothing of its own (交给谁, 一个月该交多少), or only what the question
      // before it named (分几个阶段？每个阶段什么时间), asks about what that question asked:
      // searched with it, and about its subject too.
      // So does one asking whether the act asked of before applies to what it names (…每年啥时候报？
      // 我们校长要报吗): the act's object is that question's subject.
      const follows =
        previous !== undefined &&
        (!namesSubject(understood.weighted, part.question, previous.question) ||
          sameAct(part.question, previous.question));
      if (previous && follows) {
        // Searched with the question before it; what it asks is its own when it asks something
        // (不反馈会咋样 asks no 截止时间), else the question's before it (有没有统一规定).
        const own = understood.q;
        understood = await this.understand(join(part.context, join(previous.question, part.question)), kb);
        if (own.needs.length > 0) {
          const { needs, unit, bound, term } = own;
          Object.assign(understood.q, { needs, unit, bound, term, listHead: own.listHead ?? understood.q.listHead });
        }
      }
      // A part that names no place or year is asked of those the message named.
      inheritScope(understood.q, whole.q);
      const key = searchKey(understood);
      const hits = searches.get(key) ?? (await this.retrieved(understood, kb)).hits;
      searches.set(key, hits);
      // (The hand-in lines the message asks for are looked for once, by the first part: each quoted once.)
      const found = await this.found({ ...understood, hits }, part, false, wayAsked ? '' : text);
      wayAsked ||= handInParts(join(part.context, part.question)) > 0;
      if (previous && follows) {
        found.subject = [...new Set([...found.subject, ...previous.subject])];
        found.broad = [...new Set([...found.broad, ...previous.subject])];
      }
      const a = await this.answerOf(found);
      rankings.push(found.hits);
      // (With what the member reported before it, not their own situation: a follow-up is searched as that question.)
      previous = { question: join(part.about, part.question), subject: found.subject };
      // A follow-up the documents do not answer is covered by the answer before it.
      if (!(follows && a.kind === 'none')) answers.push(a);
    }
    // The message's passages: each part's best, then each part's second best…
    const merged = interleaved(rankings);
    const evidence = documentFactsAsked(text).length > 0 ? [] : (rankings[0] ?? []);
    return { answer: await this.addressed(text, whole.q, joined(answers)), retrieved: listed(merged), evidence };
  }

  /**
   * Asked whether a document binds the member (固原那个规定对我们管用吗): whom it is sent to, said
   * first (the document of the place named, else the one quoted first), then its rule.
   */
  private async addressed(text: string, q: Question, answer: Answer): Promise<Answer> {
    if (!answer.found || !appliesAsked(text)) return answer;
    const kb = this.kb as KnowledgeSnapshot;
    const named = this.namedDocuments(q);
    const doc = named.length === 1 ? named[0] : kb.docs.get(answer.citations[0]?.docId ?? '');
    const addressee = doc ? await addresseeNote(this.db, doc) : null;
    if (!addressee) return answer;
    return {
      ...answer,
      answer: `${addressee.note}\n${answer.answer}`,
      citations: [...answer.citations, addressee.citation].slice(0, MAX_CITATIONS),
    };
  }

  /**
   * The answers to the parts of a graded message that ask what follows from the grade (58分算哪一级？
   * 是不是就成了要重点整顿的对象): each searched as asked of that grade; with no grade decided, the
   * parts asking something else (摸底重点看哪几块？…分几个等级), as asked. A part that gives scores or
   * asks of the sheet itself is the computation's.
   */
  private async afterGrade(text: string, grade: string | undefined, kb: KnowledgeSnapshot): Promise<Answer[]> {
    const out: Answer[] = [];
    for (const part of splitQuestions(text)) {
      if (/\d/.test(part.question) || SHEET_WORDS.test(part.question)) continue;
      if (computeGrading(join(part.context, part.question))) continue;
      const context = grade ?? part.context;
      const understood = await this.understand(join(context, part.question), kb);
      // (With no grade, a part may be asked of what was said before it: 要先做一次摸底，…重点看哪几块.)
      if (!namesSubject(understood.weighted, grade ? part.question : join(context, part.question))) continue;
      const found = await this.found(
        await this.retrieved(understood, kb),
        { question: part.question, context, about: grade ?? part.about },
        false,
        text,
      );
      const a = await this.answerOf(found);
      if (a.found) out.push(a);
    }
    return out;
  }

  /** The question analysed and its concepts weighed (not yet searched). */
  private async understand(text: string, kb: KnowledgeSnapshot): Promise<Searched> {
    const draft = analyse(text, kb.dictionary, kb.allPlaces);
    const weighted = kb.docs.size === 0 ? [] : await this.vocabulary.concepts(this.db, kb, draft);
    return { q: { ...draft, concepts: weighted.map((w) => w.concept) }, weighted, hits: [] };
  }

  /** …and the passages retrieved for it, best first. */
  private async retrieved(s: Searched, kb: KnowledgeSnapshot): Promise<Searched> {
    return s.weighted.length === 0 ? s : { ...s, hits: await retrieve(this.db, kb, s.q, s.weighted) };
  }

  /**
   * A question about a document itself (哪天印发, 文号) or its structure (附件有哪几个), or else one
   * of the three kinds of answer.
   */
  private async answerOf(f: Found): Promise<Answer> {
    const facts = documentFactsAsked(f.own);
    return (
      (facts.length > 0 ? await documentFactsAnswer(this.db, facts, this.namedDocuments(f.q), f.hits) : null) ??
      (await structureAnswer(this.db, f.q, f.hits, f.weighted)) ??
      compose(f)
    );
  }

  /** The documents of the places the question names, in the order it names them. */
  private namedDocuments(q: Question): KbDocument[] {
    const kb = this.kb as KnowledgeSnapshot;
    const at = (d: KbDocument) =>
      Math.min(...q.places.filter((p) => kb.places.get(d.id)?.includes(p)).map((p) => q.text.indexOf(p)));
    return [...kb.docs.values()].filter((d) => Number.isFinite(at(d))).sort((a, b) => at(a) - at(b));
  }

  /** What the answer is chosen from: the concepts it must be about, the places no document is from. */
  private async found(s: Searched, part: Part, whole: boolean, message: string): Promise<Found> {
    const kb = this.kb as KnowledgeSnapshot;
    const { q, hits } = s;
    // Steps and lists often run over several sections: bring the neighbours of the best hits.
    if (q.needs.includes('steps') || q.needs.includes('list')) {
      for (const h of hits.slice(0, q.needs.includes('steps') ? 5 : 3))
        h.near ??= await passagesNear(this.db, h.doc.id, h.passage.ord, 12);
    }
    // A scoring sheet compared: its bands often stand in the passage after the one found (权重, then 分为四级).
    // (Read as wide as for steps: `near` is kept on the hit, and a later reader of it expects that width.)
    if (q.comparison && SHEET_COMPARED.test(q.text)) {
      for (const h of hits.slice(0, SHEET_HITS)) h.near ??= await passagesNear(this.db, h.doc.id, h.passage.ord, 12);
    }
    const otherPlaces: string[] = [];
    // (A place holding the one ruled out, 温州 of 不是瑞安那个, is asked of itself: the documents only mention it.)
    for (const p of q.placeLike)
      if (q.excluded.some((e) => encloses(p, e)) || (await this.vocabulary.passagesWith(this.db, kb, p)) === 0)
        otherPlaces.push(p);
    // A question that points back (这三类各有啥标准) is about what was said before it.
    // So is one asked under a condition the member sets (要是评上五星级支部，能拨多少经费): the rule on
    // that case answers, not one on the thing in general (活动经费不低于公用经费的2%).
    // (Said of themselves too, 假如我们评上了: a case supposed is no situation of theirs.)
    const supposed = part.context
      .split(/[，,；;。]/)
      .filter((c) => CONDITION.test(c))
      .join('，');
    const asked = subjectOf(
      s.weighted,
      BACK.test(part.question)
        ? join(part.about, part.question)
        : HEARD_TRUE.test(part.question)
          ? join(part.about.replace(HEARSAY, ''), part.question)
          : join(supposed, part.question),
      q,
    );
    // Asked whether a thing follows what the member reported (退休金涨了，党费是不是也要跟着调): a direct
    // answer speaks of what it follows too.
    const along = ALONG.test(part.question)
      ? subjectOf(s.weighted, part.about, q).subject.filter((w) => !asked.subject.includes(w))
      : [];
    // A term the member quotes before the question (想给党员过“政治生日”，有没有统一的做法) is what
    // they ask about, even told as their own plan: an answer must be about it too.
    const quoted = quotedTerms(part.context);
    for (const w of s.weighted)
      if (
        (w.df === 0 || w.weight >= SPECIFIC_WEIGHT) &&
        quoted.some((t) => t.includes(flat(w.concept.word))) &&
        !asked.subject.includes(w)
      )
        asked.subject.push(w);
    // Asked what their own post does (我刚当组织委员，平时负责哪些事): the post is whose duties are
    // asked, though told as their situation; an answer must be about it, by its rarest word (纪检 of
    // 纪检委员, which the documents call 纪检小组).
    const post = DUTIES.test(part.question) ? part.context.match(POST)?.[1] : undefined;
    const postWord = s.weighted
      .filter((w) => post && flat(post).includes(flat(w.concept.word)) && (w.df === 0 || w.weight >= SPECIFIC_WEIGHT))
      .sort((a, b) => b.weight - a.weight)[0];
    if (postWord && !asked.subject.includes(postWord)) asked.subject.push(postWord);
    // What the member reports of others or of the documents belongs with the subject; their own situation does not.
    // (Asked whether the subject follows what they report, the rules on the subject are the related ones.)
    const broad =
      part.about && along.length === 0
        ? subjectOf(s.weighted, join(part.about, part.question), q).subject
        : asked.subject;
    const best = hits[0];
    // Asked any of how, where or by when to hand in: the best document's passages that say by what day
    // and where (its cover note's and reply form's lines, whatever words they share with the question).
    // (Only of a document that speaks of all the subject: 请假…交给谁 is not handed in where a plan is.)
    const handIn: Hit[] = [];
    if (best && message && handInParts(join(part.context, part.question)) > 0) {
      const passages = await passagesOf(this.db, best.doc.id);
      const all = flat(`${best.doc.title}${passages.map((p) => p.text).join('')}`);
      const holds = (w: Weighted) =>
        handInWord(w.concept.word) || (w.df !== 0 && w.concept.forms.some((f) => all.includes(flat(f))));
      if (asked.subject.every(holds))
        for (const passage of passages)
          if (passage.kind !== 'form' && handInLine(passage.text)) handIn.push({ ...best, passage });
    }
    return { q, hits, weighted: s.weighted, ...asked, broad, along, own: part.question, otherPlaces, whole, handIn };
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
  private async computed(text: string, kb: KnowledgeSnapshot): Promise<{ answer: Answer; grade?: string } | null> {
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
      // A row of the sheet is quoted whole (its points are in the row), less the example score.
      const quote = (
        p.kind === 'row'
          ? p.text.replace(/（自评得分：[^）]*）/g, '')
          : (p.text.split(/(?<=。)/).find((t) => t.includes(rest)) ?? p.text)
      ).trim();
      citations.push(citationOf({ doc, passage: p, coverage: 1, score: 1 }, quote));
      quotes.push(`依据：“${quote}”`);
    }
    return {
      answer: { kind: 'direct', found: true, answer: [result.text, ...quotes].join('\n'), citations },
      grade: result.grade,
    };
  }
}

/**
 * An answer, with the passages retrieved for the whole message, best first (what the evaluation
 * measures), and those the answer was chosen from (what a chat model is shown).
 */
type Explained = { answer: Answer; retrieved: { doc: string; text: string }[]; evidence: Hit[] };

interface Searched {
  q: Question;
  weighted: Weighted[];
  hits: Hit[];
}

/** What a search depends on: the concepts, the places named, whether steps are asked for. */
const searchKey = (s: Searched) =>
  `${s.weighted.map((w) => w.concept.word).join('|')}#${s.q.places.join('|')}#${s.q.needs.includes('steps')}`;

/** Passages as the evaluation reads them. */
const listed = (hits: Hit[]) => hits.map((h) => ({ doc: h.doc.source, text: h.passage.text }));

/** Rankings merged: the first of each, then the second of each…, each passage once. */
function interleaved(rankings: Hit[][]): Hit[] {
  const out: Hit[] = [];
  const seen = new Set<string>();
  const longest = Math.max(0, ...rankings.map((r) => r.length));
  for (let i = 0; i < longest; i++) {
    for (const r of rankings) {
      const h = r[i];
      const key = h && `${h.doc.id}#${h.passage.ord}`;
      if (h && key && !seen.has(key)) {
        seen.add(key);
        out.push(h);
      }
    }
  }
  return out;
}

const none = (answer: string): Explained => ({
  answer: { kind: 'none', found: false, answer, citations: [] },
  retrieved: [],
  evidence: [],
});

/** The most citations an answer lists (原文 N takes one digit). */
const MAX_CITATIONS = 9;

/** The longest message read as a topic to look up (三会一课, 意识形态研判). */
const TOPIC_MAX = 12;

/** The longest message read as a question. */
const MAX_QUESTION = 300;

const join = (a: string, b: string) => (a ? `${a}，${b}` : b);

/** A part that names no place or year is asked of those the message named, never of one it rules out. */
function inheritScope(part: Question, message: Question): void {
  // A place the message rules out (温州的比例？不是瑞安那个) is not the part's: what the message names instead is.
  part.excluded = [...new Set([...part.excluded, ...message.excluded])];
  const kept = part.places.filter((p) => !message.excluded.includes(p));
  if (kept.length < part.places.length) {
    part.places = kept;
    part.placeLike = [...new Set([...part.placeLike, ...message.placeLike])];
  }
  if (part.places.length === 0 && message.places.length > 0) {
    part.places = message.places;
    part.placeLike = [];
  }
  if (part.placeLike.length === 0 && part.places.length === 0) part.placeLike = message.placeLike;
  if (part.years.length === 0) part.years = message.years;
}

/**
 * The concepts an answer must be about (`subject`): the specific ones of the question itself (not
 * of what the member said before it), less the words that only qualify a quantity (至少, 每年) or
 * name what it counts in (比例, 学时); a question whose own words name none (具体是哪五个) is about
 * what came before it. And the concepts that say what the question is on (`topic`): every
 * specific one the documents use, with what was said before it.
 */
function subjectOf(weighted: Weighted[], question: string, q: Question): { subject: Weighted[]; topic: Weighted[] } {
  // A word the documents never use (预备期, 工资) is most often the very thing they do not cover;
  // one naming what is asked (截止: a time) is what the need reads, held by a date.
  const specific = weighted.filter(
    (w) =>
      ((w.df === 0 && !MEASURES.has(w.concept.word)) || (w.df > 0 && w.weight >= SPECIFIC_WEIGHT)) &&
      !QUALIFIERS.has(w.concept.word) &&
      !/^第\d+条$/.test(w.concept.word) &&
      // (Asked when it must be done, 完成 says what the time is of: a time of the task is its time.)
      !(q.needs.includes('time') && DONE.test(w.concept.word)),
  );
  const topic = specific.filter((w) => w.df !== 0 && !MEASURES.has(w.concept.word));
  const own = flat(question);
  const asked = specific.filter((w) => own.includes(flat(w.concept.word)));
  // What is asked for (哪些内容, 什么处分) names the answer's kind, as a unit does: said alone, the
  // question is about what came before it (老师有偿补课被举报，该给什么处分: 处分 for 有偿补课).
  const names = asked.filter((w) => !MEASURES.has(w.concept.word) && w.concept.word !== q.askedNoun);
  if (names.length > 0 || (asked.length > 0 && !q.askedNoun)) {
    // (A word naming what is asked that the documents never use, 截止, is in no sentence to hold.)
    if (asked.some((w) => !MEASURES.has(w.concept.word)))
      return { subject: asked.filter((w) => !(MEASURES.has(w.concept.word) && w.df === 0)), topic };
  }
  return { subject: specific, topic };
}

/**
 * The question names a subject of its own: a specific word of two characters or more that the
 * documents use, and that the question before it did not already name.
 */
function namesSubject(weighted: Weighted[], question: string, before = ''): boolean {
  const own = flat(question);
  const said = flat(before);
  return weighted.some(
    (w) =>
      w.df > 0 &&
      !said.includes(flat(w.concept.word)) &&
      w.weight >= SPECIFIC_WEIGHT &&
      w.concept.word.length >= 2 &&
      own.includes(flat(w.concept.word)) &&
      !MEASURES.has(w.concept.word) &&
      !QUALIFIERS.has(w.concept.word) &&
      !DONE.test(w.concept.word),
  );
}

/** The terms quoted in a text (“政治生日”), flattened. */
function quotedTerms(text: string): string[] {
  return [...text.matchAll(/[“"「『]([^”"」』]{2,16})[”"」』]/g)].map((m) => flat(m[1] as string));
}

/** Asking what someone does: 负责哪些事, 干些啥, 管什么, 职责, 分工. */
const DUTIES = /负责|职责|分工|(干|做|管)(什么|啥|些啥|哪些)|(哪些|什么|啥)(事|工作|活)/;
/** The member's own post, as they tell it: 我刚当组织委员, 我是新来的宣传委员, 新任纪检委员. */
const POST =
  /(?:我|本人)[^，。？]{0,4}?(?:当|任|是|做|担任)(?:了|上)?(?:个|一名)?(?:新来的|新任的?)?([\u4e00-\u9fff]{1,6}?(?:委员|书记|校长|园长|主任|干事|联络员|组长))/;

/**
 * Finishing names no subject of its own: 啥时间段完成 asks when what was asked before is done
 * (…咋要求补建的，啥时间段完成), and a time of the task is the time asked.
 */
const DONE = /^(完成|结束|办完|搞完|做完|弄完|完工)$/;

/** Below this weight a concept is in about a quarter of all passages: it says little of the subject. */
const SPECIFIC_WEIGHT = 2;

/**
 * The answers to the parts of a message, as one: its kind the best of theirs. A part whose every
 * quote another part already gives says nothing more and is left out (多少算较高？有具体比例吗？):
 * a related answer where another part quotes the same, a direct one where an earlier direct one does
 * (or a later one that quotes more besides).
 */
function joined(answers: Answer[]): Answer {
  const same = (c: Citation, d: Citation) =>
    c.docId === d.docId && c.ord === d.ord && (c.quote.includes(d.quote) || d.quote.includes(c.quote));
  // Every quote of the answer stands within one the others give.
  const within = (c: Citation, d: Citation) => c.docId === d.docId && c.ord === d.ord && d.quote.includes(c.quote);
  // (An answer that says something of its own, not only its quotes, 是征求意见稿，不是正式印发的文件, is never covered.)
  const covered = (a: Answer, by: Answer[], holds = within) =>
    a.citations.length > 0 &&
    a.citations.every((c) => a.answer.includes(c.quote) && by.some((b) => b.citations.some((d) => holds(c, d))));
  const parts = answers.map((a, i) => ({ a, i }));
  const kept = parts.filter(({ a, i }) => {
    if (!a.found) return true;
    const before = parts.filter((p) => p.i < i && p.a.found).map((p) => p.a);
    const direct = parts.filter((p) => p.i > i && p.a.kind === 'direct').map((p) => p.a);
    // (A related part whose closest rule an earlier part already quotes adds only what is further
    // off; a direct answer that quotes the same sentence without its heading says it already.)
    if (a.kind === 'related')
      return !covered({ ...a, citations: a.citations.slice(0, 1) }, before, same) && !covered(a, direct, same);
    // (Nor one that a later part's direct answer quotes with more, more lines or more of one: 几号交？交到哪
    // answered by both lines; …补建的？啥时间完成 by the rule with its stage's span.)
    const more = direct.filter((b) => b.citations.length > a.citations.length || b.answer.length > a.answer.length);
    return (
      !covered(
        a,
        parts.filter((p) => p.i < i && p.a.kind === 'direct').map((p) => p.a),
      ) && !covered(a, more)
    );
  });
  const found = kept.filter(({ a }) => a.found).map(({ a }) => a);
  if (found.length === 0) return answers[0] as Answer;
  const text = kept.map(({ a, i }) => (a.found ? a.answer : `（第${i + 1}问）已载入的文件中没有找到相关规定。`));
  // The places no document is from, said once.
  for (let i = 1; i < text.length; i++) {
    const note = text[i]?.match(NO_PLACE_NOTE)?.[0];
    if (note && text.slice(0, i).some((t) => t.startsWith(note))) text[i] = (text[i] as string).slice(note.length);
  }
  // Each place quoted once, by its longest quote.
  const unique: Citation[] = [];
  for (const c of found.flatMap((a) => a.citations)) {
    const at = unique.findIndex((d) => same(c, d));
    if (at < 0) unique.push(c);
    else if (c.quote.length > (unique[at] as Citation).quote.length) unique[at] = c;
  }
  return {
    kind: found.some((a) => a.kind === 'direct') ? 'direct' : 'related',
    found: true,
    answer: [...new Set(text)].join('\n'),
    // (Every place the answer quotes is cited: 原文 1 to 原文 9.)
    citations: unique.slice(0, MAX_CITATIONS),
  };
}

/** One question of a message, and what the member said before it. */
interface Part {
  question: string;
  context: string;
  /**
   * What of that context names the subject: not the member's own situation (我们学校是民办的,
   * 我刚当上支部书记), which narrows the search, but what they report of others or of the
   * documents (支委委员任期内调走了, 瑞安说要打造党建品牌100校).
   */
  about: string;
}

/** Questions in one message: its parts between question marks and commas; a part that asks nothing is context. */
export function splitQuestions(text: string): Part[] {
  const parts = text
    .split(/[？?，,；;。！!]/)
    .map((p) => p.trim())
    .filter((p) => p.replace(/[\s。！!]/g, '').length >= 2);
  // A part that asks nothing (固原那个方案里，…) is context for the question after it.
  const out: Part[] = [];
  let context = '';
  let about = '';
  for (const p of parts) {
    if (ASKS.test(p.replace(POINTING, '').replace(SOME, ''))) {
      out.push({ question: p, context, about });
      context = '';
      about = '';
    } else {
      context = join(context, p);
      if (!FIRST_PERSON.test(p) && !GRADE_REPORTED.test(p)) about = join(about, p);
    }
  }
  // After the last question, a short remark still belongs to it (…多久一次，天宁的); a long one is
  // the member's own situation (我们有俩老师在外地跟岗), which no document speaks of.
  const last = out[out.length - 1];
  if (context && last) {
    if (context.length <= 6) last.question = join(last.question, context);
  } else if (context) out.push({ question: context, context: '', about: '' });
  return out;
}

/**
 * Bare parts asking how, by when and whether sealed to hand in (几号截止？发哪儿？要不要盖章？) are
 * one question of them all, about what the member said before them (瑞安那个征求意见稿我们想提点意见),
 * which one line of the documents often answers (…5点前…盖章扫描后发送至邮箱). (A part naming its
 * subject, 实施方案报哪去, is followed by the others as any follow-up is; a bare seal part is searched
 * in the documents' 盖章, without who signs.)
 */
function handInTogether(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    // (What it is handed in as, 提意见, may be said before the questions.)
    const asked = last ? join(last.context, last.question) : '';
    const more = handInParts(join(asked, part.question)) > handInParts(asked);
    const bare = onlyHandIn(part.question);
    if (last && more && bare && onlyHandIn(last.question) && !part.context) {
      last.question = join(handInPart(last.question), handInPart(part.question));
      continue;
    }
    out.push(bare ? { ...part, question: handInPart(part.question) } : part);
  }
  return out;
}

/** 这几块, 那几个 point at what was said (我想按这几块分类): they ask nothing. */
const POINTING = /[这那]几/g;
/** 有几位老同志原来当过校长, 有几个老师外出培训赶不回来: some, told of, not a number asked. */
const SOME = /有几[个位名](?=[\u4e00-\u9fff]{8,}$)/g;
const ASKS =
  /真的假的|几|多少|谁|哪|什么|啥|咋|吗|呢|怎么|如何|是否|是不是|有没有|要不要|能不能|多久|多长|区别|不同|一样/;
/** Words that point back to what the member named before the question (这三类, 这几项, 那两个). */
const BACK = /^[^，。？]{0,4}[这那](几|两|三|四|五|六|七|八|九|十)[个类项种条块样点]/;
/** The hits whose neighbours are read for a compared sheet's bands. */
const SHEET_HITS = 8;
/** Asked whether what the member heard is so (听说…每年都要发展一个，真的假的): what they heard is the subject. */
const HEARD_TRUE = /真的假的|是真的吗|真的吗|是不是真的|属实吗|靠谱吗/;
/** Who the member heard it from (有人说, 听人说) is not what they ask about. */
const HEARSAY = /听人?说|有人说|据说|别人说|人家说|传言说?/g;

/** A condition set before a question: 要是, 如果, 假如, 万一, 一旦, 若. */
const CONDITION = /^(要是|如果|假如|假设|万一|一旦|若是?|倘若)/;

/** Asking whether a thing changes along with another: 跟着调, 随着涨, 相应调整. */
const ALONG = /跟着|随着|相应地?(调|变|涨|降|增|减|提)/;

/**
 * A part asking whether an act applies (我们校长要报吗, 退休党员也得交不) whose act, a bare verb at its
 * end, is the one the question before it asked of (…啥时候报): it asks of that question's subject.
 */
function sameAct(question: string, before: string): boolean {
  const act = question.match(/(?:要|需要|得|用|该|也|必须)([\u4e00-\u9fff])(?:吗|么|不|没|呢)?[？?]?$/)?.[1];
  return act !== undefined && before.includes(act);
}

/** Words of a question about the grading sheet's scores and grades: the computation answers it. */
const SHEET_WORDS = /分数|得分|多少分|几分|总分|档|等级|等次|哪一?级|先进|较好|一般|评上|定级|定为|定成/;

/**
 * A grade the member reports of their branch (自评下来只有较好, 考评给了个“一般”, 被定为后进): their
 * situation, not what they ask of, though it names no one (a grade would pull in the sheet's rows).
 */
const GRADE_REPORTED =
  /(?:自评|考评|定级|定为|定成|评为|评成|评了个?|被评|给了个?|算|只有|才|拿了个?)[^，,。；;]{0,4}?[“"]?(?:先进|较好|一般|后进)/;

/** The member speaking of themselves, or saying who they are (作为组织委员, 纪检委员问下): their situation. */
const FIRST_PERSON = /我|咱|俺|本人|本校|本支部|^作为|问一?下$|请教|请问|想问/;
