// The knowledge base as the Q&A handler and the ask CLI use it: question in, answer out.
import type { AppDb } from '../../storage/db';
import { type Answer, compose } from './answer';
import { analyse } from './question';
import { type KnowledgeSnapshot, retrieve, snapshot } from './retrieve';
import { Vocabulary } from './vocabulary';

export class Knowledge {
  private kb: KnowledgeSnapshot | undefined;
  private readonly vocabulary = new Vocabulary();

  constructor(private readonly db: AppDb) {}

  async ask(text: string): Promise<Answer> {
    return (await this.explain(text)).answer;
  }

  /** The answer with the passages retrieved for it, best first (for evaluation). */
  async explain(text: string): Promise<{ answer: Answer; retrieved: { doc: string; text: string }[] }> {
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
    return {
      answer: compose(q, hits, weighted),
      retrieved: hits.map((h) => ({ doc: h.doc.source, text: h.passage.text })),
    };
  }
}
