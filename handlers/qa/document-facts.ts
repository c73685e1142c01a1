// Questions about a loaded document itself: who issued it, when, its 文号, whether it is the formal
// version or a 征求意见稿. They are answered from the document's metadata, read from its front page
// at ingest (title, issuer, 文号, the date it is signed), never from a date or a number in its text:
// what the metadata does not state is said to be not stated.

import type { AppDb } from '../../storage/db';
import { type KbDocument, passagesNear } from '../../storage/kb';
import { type Answer, type Citation, citationOf, docLabel } from './citation';
import type { Hit } from './retrieve';

/** What a question asks of a document itself. */
export type DocumentFact = 'date' | 'issuer' | 'docNo' | 'version';

/**
 * A document named as such (its kind: 方案, 通知; or its version), not as where something is said
 * (方案里, 文件中): what is asked after it in the clause is asked of the document.
 */
const DOCUMENT =
  '(?:文件|方案|通知|意见|要点|办法|细则|标准|正式稿|正式版|征求意见稿|定稿|这份|那份)(?![里中上内])[^，。？?；]{0,6}';
const WHEN =
  '(?:什么时候|啥时候|何时|哪天|哪一天|哪年|哪一年|几月几[号日]|哪个月)[^，。？?]{0,3}(?:印发|发布|下发|出台|发的|发出|颁布|公布|成文)';
const WHO =
  '(?:(?:哪个|哪家|什么|啥|哪一?级)(?:单位|部门|机关|机构)[^，。？?]{0,4}(?:发|出台|制定)|谁(?:发|印发|出台|下发|制定)的)';
const ASKED: [DocumentFact, RegExp][] = [
  ['date', new RegExp(`${DOCUMENT}${WHEN}|(印发|发布|下发|成文|落款)的?(日期|时间)`)],
  ['issuer', new RegExp(`${DOCUMENT}${WHO}|发文(单位|机关)`)],
  ['docNo', /文号|发文字号|几号文/],
  // (Compared with the 征求意见稿: of the formal version.)
  [
    'version',
    /正式稿|正式版|正式文件|正式印发|正式发文|正式下发|定稿|最终版|最新版|哪个版本|哪一版|是不是征求意见稿|是征求意见稿[吗嘛么]|(跟|和|与|同|比)征求意见稿/,
  ],
];

/** What the question asks of a document itself; none when it asks of what a document says. */
export function documentFactsAsked(question: string): DocumentFact[] {
  const q = question.replace(/\s+/g, '');
  return ASKED.filter(([, re]) => re.test(q)).map(([fact]) => fact);
}

/** A title that says the document is not the formal version. */
const DRAFT = /征求意见稿|讨论稿|送审稿|草案|草稿/;

/**
 * The answer from the metadata of the documents the question is about: each document of the places
 * it names (固原和建始这两份…文号各是多少), else the best hit's. Direct when the metadata states
 * everything asked of each, else related.
 */
export async function documentFactsAnswer(
  db: AppDb,
  asked: DocumentFact[],
  named: KbDocument[],
  hits: Hit[],
): Promise<Answer | null> {
  const best = hits[0]?.doc;
  const docs = named.length > 0 ? named : best ? [best] : [];
  const each = (await Promise.all(docs.map((doc) => factsOf(db, asked, doc)))).filter((f) => f !== null);
  if (each.length === 0) return null;
  return {
    kind: each.every((f) => f.stated) ? 'direct' : 'related',
    found: true,
    answer: each.map((f) => f.answer).join('\n'),
    citations: each.flatMap((f) => f.citations),
  };
}

/** What one document's metadata states of what was asked, as its lines with its label. */
async function factsOf(
  db: AppDb,
  asked: DocumentFact[],
  doc: KbDocument,
): Promise<{ answer: string; stated: boolean; citations: Citation[] } | null> {
  const opening = await passagesNear(db, doc.id, 0, OPENING);
  const first = opening[0];
  if (!first) return null;
  const hit: Hit = { doc, passage: first, coverage: 1, score: 1 };
  const title = `《${doc.title}》`;
  const draft = doc.title.match(DRAFT)?.[0];
  const lines: string[] = [];
  let stated = true;
  const citations: Citation[] = [];
  if (asked.includes('version') && draft) {
    // Of the formal version nothing is loaded: its date and how it differs are not said.
    stated = false;
    lines.push(`已载入的${title}是${draft}，不是正式印发的文件；正式稿的印发时间和内容，已载入的文件中都没有。`);
    // Where the document calls itself so (its cover note), quoted.
    const note = opening.find((p) => p.text.includes(draft));
    const sentence = note?.text.split(/(?<=[。；])/).find((s) => s.includes(draft));
    if (note && sentence) citations.push(citationOf({ ...hit, passage: note }, sentence));
  } else {
    if (asked.includes('version'))
      lines.push(`${title}${doc.docNo ? `有文号（${doc.docNo}），是正式印发的文件` : `的标题没有标明是征求意见稿`}。`);
    if (asked.includes('issuer')) {
      if (doc.issuer) lines.push(`${title}是${doc.issuer}印发的。`);
      else {
        stated = false;
        lines.push(`${title}上没有写发文单位。`);
      }
    }
    // (Asked whether it is formal, its 文号 is already said.)
    if (asked.includes('docNo') && !(asked.includes('version') && doc.docNo)) {
      if (doc.docNo) lines.push(`${title}的文号是${doc.docNo}。`);
      else {
        stated = false;
        lines.push(`${title}没有文号。`);
      }
    }
    if (asked.includes('date')) {
      const day = doc.date?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
      if (day) lines.push(`${title}的落款日期是${dateText(doc.date as string)}。`);
      else {
        stated = false;
        lines.push(`${title}上没有写具体的印发日期${doc.date ? `（只看得出是${doc.date}年的）` : ''}。`);
      }
    }
    citations.push(frontPage(hit, asked));
  }
  return { answer: `${lines.join('\n')}（${docLabel(doc)}）`, stated, citations };
}

/** 2022-10-20 as the documents write it: 2022年10月20日. */
const dateText = (date: string) => date.replace(/^(\d{4})-0?(\d{1,2})-0?(\d{1,2})$/, '$1年$2月$3日');

/** The passages at a document's start, where a cover note says what the document is. */
const OPENING = 3;

/** The document's front page cited as the place its metadata is read from: its title and what was asked of it. */
function frontPage(hit: Hit, asked: DocumentFact[]): Citation {
  const { doc } = hit;
  const date = doc.date && /-/.test(doc.date) ? dateText(doc.date) : doc.date && `${doc.date}年`;
  const quote = [
    asked.includes('issuer') && doc.issuer,
    (asked.includes('docNo') || asked.includes('version')) && doc.docNo,
    `《${doc.title}》`,
    asked.includes('date') && date,
  ]
    .filter(Boolean)
    .join(' ');
  return { ...citationOf(hit, quote), section: '文头', passage: quote };
}

/** Asked whether a document's rule binds the member's own school (我们不在固原，…对我们管用吗, 也得照着做吗). */
const APPLIES =
  /(管用|适用|有约束力?)(于?(我们|咱们?|本校))?(吗|不|嘛|么|没)|(对(我们|咱们?)[^，。？]{0,4}(有效|算数|作数))|(也得|也要|也需要|得|要)照着?(做|办|执行)|管不管|管得着|(管|约束)(我们|咱们?)/;

export const appliesAsked = (question: string) => APPLIES.test(question.replace(/\s+/g, ''));

/**
 * The line under a document's title that names whom it is sent to, its 主送 (市直教育体育系统各党委
 * （总支、支部）：, 全县教育系统各基层党组织：): the units it binds.
 */
export const ADDRESSEE =
  /^((?:各|全|局属|市直|县直|区直)[^。，,；：:\n]{0,40}?(?:党委|党组织|党工委|工委|总支|支部|单位|学校)(?:（[^）]*）)?)[：:]/m;

/**
 * Whom the document is sent to, said before its rule when the member asks whether it binds them:
 * a document binds those it is addressed to. Null when it names none.
 */
export async function addresseeNote(db: AppDb, doc: KbDocument): Promise<{ note: string; citation: Citation } | null> {
  for (const passage of await passagesNear(db, doc.id, 0, OPENING)) {
    const line = passage.text.match(ADDRESSEE)?.[1];
    if (!line) continue;
    const hit: Hit = { doc, passage, coverage: 1, score: 1 };
    return {
      note: `《${doc.title}》是发给${line}的（主送），它的要求约束的是这些单位。`,
      citation: citationOf(hit, `${line}：`),
    };
  }
  return null;
}
