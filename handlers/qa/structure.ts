// Questions about a document's structure, answered from the headings the ingester found rather
// than from any one passage: “这个文件后面附件都有哪几个”, “具体举措分成哪几大块”.
import type { AppDb } from '../../storage/db';
import { type KbDocument, type KbPassage, passagesNear, sectionStarts } from '../../storage/kb';
import { type Answer, citationOf, docLabel } from './citation';
import { parallelAsked, spellsOut } from './parallel';
import type { Question } from './question';
import { coverage, covers, flat, type Hit, type Weighted } from './retrieve';
import { sentencesOf } from './sentences';

/** Asks which attachments there are (附件都有哪几个, 有几个附件), not about what one holds. */
const ASKS_ATTACHMENTS =
  /附件(都|一共|共)?(有|是|包括)?(哪些|哪几个?|几个|啥(?!时)|什么(?!时))|(哪些|哪几个?|几个|啥|什么)附件|附件.{0,2}(列表|清单)/;

/** Asks into which parts something is divided (分成哪几大块, 包括哪几个方面). */
const ASKS_PARTS = /(几|哪几)(大块|块|个方面|方面|部分|大部分|个板块|板块|大类)|分(成|为)哪几|几大(块|方面|部分)/;

/** Asks which fields a form has (表里要填哪几栏, 这张表填什么). */
const ASKS_FIELDS = /(哪几|哪些|几|什么|啥)个?(栏|栏目|项内容)|表头|填(什么|啥|哪些|哪几)/;

/** A form's note on filling it in, as its sentence. */
const NOTE = /(填表说明|填报说明|说明)[：:][^\n]*/;

/** A field of a form as the ingester reads its rows: 完成整改时间：6月. */
const FIELD = /(?:^|\s)([\u4e00-\u9fff（）()]{2,16})：/g;

/** The fields of the first form among the best hits (its passages together), each named once. */
async function fields(db: AppDb, hits: Hit[]): Promise<Answer | null> {
  const hit = hits.slice(0, 5).find((h) => h.passage.kind === 'form');
  if (!hit) return null;
  const near = (await passagesNear(db, hit.doc.id, hit.passage.ord, 8)).filter(
    (p) => p.section === hit.passage.section,
  );
  const passages = near.filter((p) => p.kind === 'form');
  const names = [...new Set(passages.flatMap((p) => [...p.text.matchAll(FIELD)].map((m) => m[1] as string)))];
  if (names.length < 2) return null;
  const form = hit.passage.section.replace(/^附件\d+\s*/, '');
  // The form's own note on who fills in what (填表说明：除最后一栏，此表其他内容由党支部据实填报).
  const note = near.find((p) => p.kind !== 'form' && NOTE.test(p.text));
  const noteText = note?.text.match(NOTE)?.[0];
  return {
    kind: 'direct',
    found: true,
    answer: `《${form}》要填写：${names.join('、')}（${docLabel(hit.doc)}，${hit.passage.section.split(' ')[0]}）${noteText ? `\n${noteText}` : ''}`,
    citations: [
      citationOf(hit, hit.passage.section),
      ...(note && noteText ? [citationOf({ ...hit, passage: note }, noteText)] : []),
    ],
  };
}

/** The share of the question a heading must cover to be the one asked about. */
const HEADING_MIN = 0.5;

/** The structure a question asks about, or null when it asks something else. */
export async function structureAnswer(
  db: AppDb,
  q: Question,
  hits: Hit[],
  weighted: Weighted[],
): Promise<Answer | null> {
  // 附件啥时候交 / 交给谁 asks a deadline or a person about the attachments, not which they are.
  if (q.needs.some((n) => n === 'time' || n === 'who' || n === 'number' || n === 'frequency')) return null;
  if (ASKS_FIELDS.test(q.text) && /表/.test(q.text)) {
    const form = await fields(db, hits);
    if (form) return form;
  }
  if (ASKS_ATTACHMENTS.test(q.text)) return attachments(db, hits);
  // 主要看哪几方面 asks what is looked at: a best hit spelling that out (看…；看…) answers, not headings.
  if (ASKS_PARTS.test(q.text) && !spelledOut(q, hits.slice(0, SPELLED_RANK))) return parts(db, hits, weighted);
  return null;
}

/** A passage this high among the hits that spells out the items asked answers a 哪几方面 itself. */
const SPELLED_RANK = 3;

function spelledOut(q: Question, hits: Hit[]): boolean {
  const asked = parallelAsked(q.text);
  return (
    asked.length > 0 &&
    hits.some((h) => sentencesOf(h.passage.text, h.passage.kind).some((sentence) => spellsOut(asked, sentence)))
  );
}

/** The documents in the order retrieval ranks them, a named place's first. */
const docsOf = (hits: Hit[]): KbDocument[] => [
  ...new Map(hits.filter((h) => h.named !== false).map((h) => [h.doc.id, h.doc])).values(),
];

/** Each part cited by its heading (the passage it opens is shown by 原文 N). */
const cite = (doc: KbDocument, parts: { passage: KbPassage; heading: string }[]) =>
  parts.map(({ passage, heading }) => citationOf({ doc, passage, coverage: 1, score: 1 }, heading));

async function attachments(db: AppDb, hits: Hit[]): Promise<Answer | null> {
  for (const doc of docsOf(hits).slice(0, 3)) {
    // Sections run 附件1 标题, 附件1 说明 …: an attachment is named by its first section.
    const firsts = new Map<string, KbPassage>();
    for (const p of await sectionStarts(db, doc.id, '附件')) {
      const key = p.section.split(' ')[0] as string;
      if (!firsts.has(key)) firsts.set(key, p);
    }
    if (firsts.size === 0) continue;
    const shown = [...firsts.values()];
    return {
      kind: 'direct',
      found: true,
      answer: `《${doc.title}》共有${shown.length}个附件：\n${shown.map((p) => p.section).join('\n')}（${docLabel(doc)}）`,
      citations: cite(
        doc,
        shown.map((passage) => ({ passage, heading: passage.section })),
      ),
    };
  }
  return null;
}

/**
 * The heading the question names (its own words, not only the document's title, must be in it)
 * and the headings one level below it, in order.
 */
async function parts(db: AppDb, hits: Hit[], weighted: Weighted[]): Promise<Answer | null> {
  let best: { hit: Hit; level: number; score: number } | undefined;
  for (const hit of hits.slice(0, 20)) {
    if (hit.named === false) continue;
    // What the document's title already says (双高争先…方案) does not pick a heading within it.
    const inner = weighted.filter((w) => covers(flat(hit.doc.title), w.concept) === 0);
    hit.passage.headings.forEach((heading, level) => {
      // The heading itself must name most of what the question is about (具体举措), not one word of it.
      const own = coverage(flat(heading), '', inner);
      if (own < HEADING_MIN) return;
      const score = own + coverage(flat(heading + hit.doc.title), '', weighted);
      if (!best || score > best.score) best = { hit, level, score };
    });
  }
  if (!best) return null;
  const { hit, level } = best;
  const heading = hit.passage.headings[level] as string;
  const children = new Map<string, KbPassage>();
  for (const p of await passagesNear(db, hit.doc.id, hit.passage.ord, 60)) {
    const child = p.headings[level + 1];
    if (p.headings[level] === heading && child && !children.has(child)) children.set(child, p);
  }
  if (children.size < 2) return null;
  return {
    kind: 'direct',
    found: true,
    answer: `《${hit.doc.title}》“${heading}”分为${children.size}个部分：\n${[...children.keys()].join('\n')}（${docLabel(hit.doc)}）`,
    citations: cite(
      hit.doc,
      [...children].map(([heading, passage]) => ({ passage, heading })),
    ),
  };
}
