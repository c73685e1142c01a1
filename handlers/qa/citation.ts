// What an answer is, and how a passage is cited in it: title, 文号 and section, the quoted
// sentences (the ones that answer), the whole passage for 原文 N, mobile numbers and personal
// e-mail addresses masked.
import type { KbDocument } from '../../storage/kb';
import type { Hit } from './retrieve';

export interface Citation {
  /** Source file name. */
  doc: string;
  title: string;
  issuer: string;
  docNo: string | null;
  section: string;
  /** The sentences the answer rests on. */
  quote: string;
  /** The whole passage they stand in (原文 N shows it; absent in answers stored before it). */
  passage?: string;
  docId: string;
  ord: number;
}

/**
 * What kind of answer it is: `direct` (a sentence gives what was asked), `related` (the documents
 * speak of the subject but do not give exactly that: the closest rules are quoted as such) or
 * `none` (the documents do not cover it).
 */
export type AnswerKind = 'direct' | 'related' | 'none';

export interface Answer {
  kind: AnswerKind;
  /** True for direct and related answers (callers before kinds read this). */
  found: boolean;
  answer: string;
  citations: Citation[];
}

/**
 * A domain run by a government, school or other public body (czedu.gov.cn, xx.edu.cn, x.org.cn,
 * x.gov): an address there is a unit's contact point, which the asker needs to hand work in.
 */
const INSTITUTIONAL_DOMAIN = /(^|\.)(gov|edu|ac|org|mil)(\.[a-z]{2})?$/i;

/**
 * The words just before a mailbox the document tells units to send work to (发送至邮箱：, 报送至…邮箱):
 * a unit's hand-in address on whatever domain (瑞安's is on 163.com), not a person's.
 */
const SENT_TO = /(发送?|报送?|送|发)(至|到)[^。；;，,]{0,8}邮箱[：:]?\s*$/;

/**
 * Masks mobile numbers and personal mailboxes (a contact list's 163.com, qq.com …); a unit's mailbox
 * (an institutional domain, or the address work is to be sent to) stays readable.
 */
export function maskPrivate(text: string): string {
  return text
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2')
    .replace(
      /([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)/g,
      (address: string, first: string, domain: string, _tld: string, at: number, whole: string) =>
        INSTITUTIONAL_DOMAIN.test(domain) || SENT_TO.test(whole.slice(Math.max(0, at - 16), at))
          ? address
          : `${first}***@${domain}`,
    );
}

/** Whose rule a line of an answer is: the issuer with its 文号, or the title of a document that names no issuer. */
export function docLabel(doc: KbDocument): string {
  const issuer = doc.issuer.replace(/^(中共|中国共产党)/, '') || `《${doc.title}》`;
  return doc.docNo ? `${issuer}（${doc.docNo}）` : issuer;
}

/** A citation of a retrieved passage, quoting `quote` (sentences of it) or else the whole passage. */
export function citationOf(hit: Hit, quote?: string): Citation {
  const whole = maskPrivate(hit.passage.text.replace(/\n/g, ''));
  return {
    doc: hit.doc.source,
    title: hit.doc.title,
    issuer: hit.doc.issuer,
    docNo: hit.doc.docNo,
    section: hit.passage.section || '文首',
    quote: quote ? maskPrivate(quote.replace(/\n/g, '')) : whole,
    passage: whole,
    docId: hit.doc.id,
    ord: hit.passage.ord,
  };
}

/** `《title》(docNo) section`, as a citation is written in chat. */
export function citationLine(c: Citation): string {
  return `《${c.title}》${c.docNo ? `(${c.docNo})` : ''} ${c.section}`;
}
