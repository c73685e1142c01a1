// Callback XML → a plain record of strings. Every value stays a string (MsgId does not fit a JS
// number) and repeated elements are always arrays (a single SelectedItem is still a list).
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  cdataPropName: false,
  processEntities: true,
  isArray: (name) => name === 'SelectedItem' || name === 'OptionId',
});

export type XmlRecord = Record<string, unknown>;

/** The ciphertext of a callback envelope (`<xml>…<Encrypt><![CDATA[…]]></Encrypt>…</xml>`), or ''. */
export function envelopeCiphertext(text: string): string {
  const m = text.match(/<Encrypt>\s*(?:<!\[CDATA\[([A-Za-z0-9+/=]+)\]\]>|([A-Za-z0-9+/=]+))\s*<\/Encrypt>/);
  return m?.[1] ?? m?.[2] ?? '';
}

/** The `<xml>` root's children, or null for text that is not well-formed XML of that shape. */
export function parseXml(text: string): XmlRecord | null {
  // WeCom never sends a DOCTYPE; one declaring entities is an expansion or inclusion attempt.
  if (/<!DOCTYPE/i.test(text) || XMLValidator.validate(text) !== true) return null;
  let doc: { xml?: unknown };
  try {
    doc = parser.parse(text) as { xml?: unknown };
  } catch {
    return null;
  }
  return doc.xml && typeof doc.xml === 'object' ? (doc.xml as XmlRecord) : null;
}

export function str(rec: XmlRecord, key: string): string {
  const v = rec[key];
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}
