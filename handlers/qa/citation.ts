// What an answer is, and how a passage is cited in it: title, 文号 and section, the quoted
// passage with mobile numbers and e-mail addresses masked.
import type { KbDocument } from '../../storage/kb';
import type { Hit } from './retrieve';

export interface Citation {
  /** Source file name. */
  doc: string;
  title: string;
  issuer: string;
  docNo: string | null;
  section: string;
  quote: string;
  docId: string;
  ord: number;
}

export interface Answer {
  found: boolean;
  answer: string;
  citations: Citation[];
}

export function maskPrivate(text: string): string {
  return text
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2')
    .replace(/([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)/g, '$1***@$2');
}

export function docLabel(doc: KbDocument): string {
  const issuer = doc.issuer.replace(/^(中共|中国共产党)/, '');
  return doc.docNo ? `${issuer}（${doc.docNo}）` : issuer;
}

export function citationOf(hit: Hit): Citation {
  return {
    doc: hit.doc.source,
    title: hit.doc.title,
    issuer: hit.doc.issuer,
    docNo: hit.doc.docNo,
    section: hit.passage.section || '文首',
    quote: maskPrivate(hit.passage.text.replace(/\n/g, '')),
    docId: hit.doc.id,
    ord: hit.passage.ord,
  };
}

/** `《title》(docNo) section`, as a citation is written in chat. */
export function citationLine(c: Citation): string {
  return `《${c.title}》${c.docNo ? `(${c.docNo})` : ''} ${c.section}`;
}
