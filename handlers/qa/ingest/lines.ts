// Conversion debris, removed line by line: markdown marks, bookmarks, stray spaces inside
// Chinese text, an English "and" between Chinese words, page numbers alone on a line.

export interface Line {
  text: string;
  /** Began with a tab: a cell of a flattened table. */
  cell: boolean;
  /** Was a markdown heading (`#`): the document's own top structure. */
  mdHeading: boolean;
  /** The markdown heading level (1 for `#`), 0 when not a heading. */
  mdLevel: number;
}

const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
const SPACE_IN_CJK = new RegExp(
  `([${CJK}，。、；：？！“”‘’（）《》〔〕])[ \\t\\u00a0\\u3000]+(?=[${CJK}，。、；：？！“”‘’（）《》〔〕])`,
  'g',
);
const SPACE_CJK_DIGIT = new RegExp(`([${CJK}])[ \\u00a0]+(?=\\d)|(\\d)[ \\u00a0]+(?=[${CJK}])`, 'g');
const AND_IN_CJK = new RegExp(`([${CJK}]) and (?=[${CJK}])`, 'g');

/** Known slips of the conversion, fixed in the text the bot quotes. Data, not logic: extend as found. */
export const SLIPS: Record<string, string> = {
  教有工委: '教育工委',
};

export function tidyText(text: string): string {
  let t = text
    .replace(/\[bookmark: [^\]]*\]/g, '')
    .replace(/\*\*/g, '')
    .replace(AND_IN_CJK, '$1和')
    .replace(SPACE_IN_CJK, '$1')
    .replace(SPACE_CJK_DIGIT, '$1$2')
    .replace(/[ \u00a0\u3000]+$/g, '')
    .replace(/^[ \u00a0\u3000]+/g, '');
  for (const [slip, fix] of Object.entries(SLIPS)) t = t.split(slip).join(fix);
  return t;
}

export function splitLines(raw: string): Line[] {
  const lines: Line[] = [];
  for (const original of raw.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const cell = original.startsWith('\t');
    let text = original.replace(/\t/g, ' ');
    const md = text.match(/^\s*(#{1,6})\s+/);
    if (md) text = text.slice(md[0].length);
    text = tidyText(text);
    if (/^-{3,}$/.test(text)) text = '';
    lines.push({ text, cell, mdHeading: !!md, mdLevel: md ? (md[1] as string).length : 0 });
  }
  // A page number alone on a line (not a table cell): drop it.
  return lines.map((l) => (!l.cell && /^\d{1,3}$/.test(l.text) ? { ...l, text: '' } : l));
}
