// Headings of Chinese official documents: 一、 › （一） › 1. › （1）, ordinal paragraphs 一是…,
// attachments 附件1：. Levels are not fixed by the marker: a list that restarts at 1 nests under
// the current heading, and a number that continues a list on the stack returns to that list.

export type MarkerType = 'cn' | 'cnParen' | 'num' | 'numParen' | 'ordinal' | 'attachment' | 'label' | 'group';

export interface Marker {
  type: MarkerType;
  n: number;
  /** The marker as cited, half-width: `三、`, `(二)`, `1.`, `(1)`, `六是`, `附件1`. */
  marker: string;
  /** What follows the marker on the line. */
  rest: string;
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

export function chineseNumber(s: string): number {
  if (s === '十') return 10;
  if (s.startsWith('十')) return 10 + (CN_DIGITS[s.slice(1)] ?? 0);
  if (s.endsWith('十')) return (CN_DIGITS[s.slice(0, -1)] ?? 0) * 10;
  if (s.length === 3 && s[1] === '十') return (CN_DIGITS[s[0] as string] ?? 0) * 10 + (CN_DIGITS[s[2] as string] ?? 0);
  return CN_DIGITS[s] ?? 0;
}

const PATTERNS: { type: MarkerType; re: RegExp; cite: (n: string) => string; cn: boolean }[] = [
  { type: 'attachment', re: /^附件\s*(\d{1,2})\s*[：:]\s*/, cite: (n) => `附件${n}`, cn: false },
  { type: 'cnParen', re: /^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*/, cite: (n) => `(${n})`, cn: true },
  { type: 'cn', re: /^([一二三四五六七八九十]{1,3})\s*、\s*/, cite: (n) => `${n}、`, cn: true },
  { type: 'ordinal', re: /^([一二三四五六七八九十]{1,3})是(?=[^是])/, cite: (n) => `${n}是`, cn: true },
  { type: 'numParen', re: /^[（(]\s*(\d{1,2})\s*[）)]\s*/, cite: (n) => `(${n})`, cn: false },
  { type: 'num', re: /^(\d{1,2})\s*[.．、](?!\d)\s*/, cite: (n) => `${n}.`, cn: false },
];

/** The heading marker a paragraph starts with, if any. */
export function markerOf(text: string): Marker | null {
  for (const p of PATTERNS) {
    const m = text.match(p.re);
    if (!m) continue;
    const digits = m[1] as string;
    const n = p.cn ? chineseNumber(digits) : Number(digits);
    if (n <= 0) continue;
    return { type: p.type, n, marker: p.cite(digits), rest: text.slice(m[0].length) };
  }
  return null;
}

/** A heading's short title: its first clause, as a person would name the section. */
export function shortTitle(rest: string): string {
  const first = rest.split(/[。；：:！？]/)[0]?.trim() ?? '';
  const clause = first.length > 24 ? (first.split(/[，,]/)[0] ?? first) : first;
  return clause.length > 24 ? `${clause.slice(0, 24)}…` : clause;
}

export interface Heading {
  type: MarkerType;
  n: number;
  marker: string;
  title: string;
  /** Came from a markdown `#` heading: continues only the document's own top structure. */
  md: boolean;
}

/** The current heading path while reading a document from top to bottom. */
export class HeadingStack {
  private stack: Heading[] = [];

  get path(): readonly Heading[] {
    return this.stack;
  }

  enter(h: Heading): void {
    if (h.type === 'attachment') {
      this.stack = [h];
      return;
    }
    if (h.type === 'group' || h.type === 'label') {
      // Table groups and labels such as 说明： sit right under the attachment (or the top).
      const base = this.stack[0]?.type === 'attachment' ? 1 : 0;
      this.stack = [...this.stack.slice(0, base), h];
      return;
    }
    if (h.n > 1) {
      const at = this.continues(h, true) ?? this.continues(h, false);
      if (at !== undefined) {
        this.stack = [...this.stack.slice(0, at), h];
        return;
      }
    }
    this.stack = [...this.stack, h];
  }

  /** The topmost list of the same marker this heading continues (its number is higher). */
  private continues(h: Heading, sameKind: boolean): number | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const s = this.stack[i] as Heading;
      if (s.type !== h.type || s.n >= h.n) continue;
      if (sameKind && h.md && !s.md) continue;
      return i;
    }
    return undefined;
  }
}

/** `三、(二) 六是 二、领导联系基层`: markers of the ancestors, marker and title of the last. */
export function sectionLabel(path: readonly Heading[]): string {
  return path
    .map((h, i) => {
      const last = i === path.length - 1;
      if (h.type === 'group' || h.type === 'label') return h.title;
      if (h.type === 'attachment') return last && h.title ? `${h.marker} ${h.title}` : h.marker;
      return last ? `${h.marker}${h.title}` : h.marker;
    })
    .reduce((acc, part) => (acc === '' ? part : acc.endsWith('、') ? acc + part : `${acc} ${part}`), '');
}
