// A document's text → what the knowledge base stores: metadata, passages and their search terms.
import type { NewDocument } from '../../../storage/kb';
import { indexedGrams, quotedTerms, words } from '../tokenize';
import { parseDocument } from './document';

export class IngestError extends Error {}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Place names a user may call a document by: 固原, 金凤, 天宁… (from its issuer and title). */
export function placesOf(doc: { issuer: string; title: string }): string[] {
  const out = new Set<string>();
  const text = `${doc.issuer} ${doc.title}`.replace(/中国共产党|中共|关于|印发|做好|\d+\s*年/g, ' ');
  for (const m of text.matchAll(/([\u4e00-\u9fff]{2,3}?)[市县区]/g)) {
    const place = m[1] as string;
    if (!/教育|示范|党建|全/.test(place)) out.add(place);
  }
  return [...out];
}

export async function indexDocument(source: string, text: string): Promise<NewDocument> {
  const body = text.replace(/\s/g, '');
  if (body.length < 20) throw new IngestError(`${source}：文件是空的或几乎没有文字`);
  const parsed = parseDocument(text, source.replace(/\.[^.]+$/, ''));
  if (parsed.passages.length === 0) throw new IngestError(`${source}：没有读出任何段落`);
  const { meta } = parsed;
  const terms = new Set<string>();
  const passages = parsed.passages.map((p) => {
    const quoted = quotedTerms(p.text);
    for (const t of quoted) terms.add(t);
    // Headings only: the document's own name is matched from memory (retrieve.ts), since as a
    // column of every passage it would make common title words match every row.
    const head = p.headings.join(' ');
    return {
      ...p,
      words: [...words(p.text), ...quoted].join(' '),
      grams: indexedGrams(p.text),
      head: [...words(head), ...quotedTerms(head)].join(' '),
    };
  });
  return { source, sha256: await sha256(text), ...meta, passages, terms: [...terms] };
}
