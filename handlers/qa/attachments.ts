// “这个文件后面附件都有哪几个”: a question about a document's structure, answered from the
// sections the ingester found (附件1 …, 附件2 …) rather than from any one passage.
import type { AppDb } from '../../storage/db';
import { type KbPassage, sectionStarts } from '../../storage/kb';
import { type Answer, citationOf, docLabel } from './answer';
import type { Question } from './question';
import type { Hit } from './retrieve';

/** Asks which attachments there are (附件都有哪几个, 有几个附件), not about what one holds. */
const ASKS_ATTACHMENTS =
  /附件(都|一共|共)?(有|是|包括)?(哪些|哪几个?|几个|啥(?!时)|什么(?!时))|(哪些|哪几个?|几个|啥|什么)附件|附件.{0,2}(列表|清单)/;

/** The attachments of the document the question is about, or null when it asks something else. */
export async function attachmentsAnswer(db: AppDb, q: Question, hits: Hit[]): Promise<Answer | null> {
  if (!ASKS_ATTACHMENTS.test(q.text)) return null;
  // The documents in the order retrieval ranks them, a named place's first.
  const docs = [...new Map(hits.filter((h) => h.named !== false).map((h) => [h.doc.id, h.doc])).values()];
  for (const doc of docs.slice(0, 3)) {
    // Sections run 附件1 标题, 附件1 说明 …: an attachment is named by its first section.
    const firsts = new Map<string, KbPassage>();
    for (const p of await sectionStarts(db, doc.id, '附件')) {
      const key = p.section.split(' ')[0] as string;
      if (!firsts.has(key)) firsts.set(key, p);
    }
    if (firsts.size === 0) continue;
    const shown = [...firsts.values()];
    return {
      found: true,
      answer: `《${doc.title}》共有${shown.length}个附件：\n${shown.map((p) => p.section).join('\n')}（${docLabel(doc)}）`,
      citations: shown.slice(0, 3).map((passage) => citationOf({ doc, passage, coverage: 1, score: 1 })),
    };
  }
  return null;
}
