// Lines → blocks: paragraphs rejoined across hard line breaks and blank lines, headings
// recognised, and tables that the conversion flattened into tab-indented cells read back as rows.
import { markerOf } from './headings';
import { type Line, splitLines } from './lines';

export type Block =
  | { kind: 'para'; text: string; md: boolean; mdLevel: number }
  /** A row of a flattened table, rendered as one line of text. */
  | { kind: 'row'; text: string }
  /** A filled-in form read in order: example data, not a rule. */
  | { kind: 'form'; text: string }
  /** A group label of a table (a merged first column such as 领导班子好 20分). */
  | { kind: 'group'; title: string };

const TERMINAL = /[。！？；!?;…]$/;
/** A short line ending in a colon introduces what follows (说明：, 联系人：); a long one is a wrapped line. */
const LEAD_IN = /^.{1,24}[：:]$/;
const DATE_LINE = /^\d{4}年\d{1,2}月\d{1,2}日$/;
const TITLE_LIKE = /(方案|通知|意见|要点|办法|规定|决定|细则|计划|报告|标准|表)(（[^）]{1,10}）)?$/;
const ADDRESSEE = /^[^，。；]{2,30}[：:]$/;
const PUNCT = /[，。、；：:！？,;]/;
const LABEL = /^(说明|附件|名词解释|填表说明|备注|附则)[：:]$/;
const GROUP_CELL = /^([\u4e00-\u9fff]{2,10})(\d{1,3})分$/;
const NUMBERED_CELL = /^\d{1,2}[．.](?!\d)/;

/** Bold run-in headings glued to the paragraph before them go on a line of their own. */
function unglue(raw: string): string {
  return raw
    .replace(/([。！？])\*\*(?=[一二三四五六七八九十]{1,3}[、是]|[（(][一二三四五六七八九十]{1,3}[）)])/g, '$1\n**')
    .replace(/([。！？])(?=[一二三四五六七八九十]{1,3}、\*\*)/g, '$1\n');
}

function joiner(a: string, b: string): string {
  return /[A-Za-z0-9]$/.test(a) && /^[A-Za-z0-9]/.test(b) ? ' ' : '';
}

export function toBlocks(raw: string): Block[] {
  const lines = splitLines(unglue(raw));
  const blocks: Block[] = [];
  let para: { text: string; md: boolean; mdLevel: number } | null = null;
  let blank = false;
  let table: { cells: string[]; gapBefore: boolean[] } | null = null;

  const flushPara = () => {
    if (para?.text) blocks.push({ kind: 'para', ...para });
    para = null;
  };
  const flushTable = () => {
    if (table) blocks.push(...tableBlocks(table.cells, table.gapBefore));
    table = null;
  };

  const paragraphLine = (line: Line) => {
    const heading = para ? markerOf(para.text) : null;
    const startsNew =
      para === null ||
      para.md ||
      line.mdHeading ||
      markerOf(line.text) !== null ||
      LABEL.test(para.text) ||
      TERMINAL.test(para.text) ||
      LEAD_IN.test(para.text) ||
      DATE_LINE.test(para.text) ||
      DATE_LINE.test(line.text) ||
      ADDRESSEE.test(line.text) ||
      (TITLE_LIKE.test(para.text) && !PUNCT.test(para.text)) ||
      // A heading on a line of its own: the next line is its body.
      (heading !== null && heading.rest.length <= 40 && !PUNCT.test(heading.rest)) ||
      (blank && para.text.length <= 40 && !PUNCT.test(para.text));
    if (startsNew) {
      flushPara();
      para = { text: line.text, md: line.mdHeading, mdLevel: line.mdLevel };
    } else if (para) {
      para.text += joiner(para.text, line.text) + line.text;
    }
  };

  for (const line of lines) {
    if (line.text === '' && !line.cell) {
      blank = true;
      continue;
    }
    if (table) {
      const t: { cells: string[]; gapBefore: boolean[] } = table;
      if (line.cell) {
        t.cells.push(line.text);
        t.gapBefore.push(blank);
      } else if (endsTable(line.text)) {
        flushTable();
        paragraphLine(line);
      } else {
        const last = t.cells.length - 1;
        const prev = t.cells[last] ?? '';
        const vertical = [...line.text].length <= 3 && /[\u4e00-\u9fff]$/.test(prev);
        t.cells[last] = prev + (vertical || prev === '' ? '' : ' ') + line.text;
      }
    } else if (line.cell) {
      flushPara();
      table = { cells: [line.text], gapBefore: [blank] };
    } else {
      paragraphLine(line);
    }
    blank = false;
  }
  flushPara();
  flushTable();
  return blocks;
}

/** A line that is not a cell closes the table when it is plainly text of its own. */
function endsTable(text: string): boolean {
  if (/^附件\s*\d/.test(text) || LABEL.test(text) || /^[\u4e00-\u9fff]{1,6}说明[：:]/.test(text)) return true;
  return [...text].length > 40;
}

function tableBlocks(rawCells: string[], gapBefore: boolean[]): Block[] {
  const cells = rawCells.map((c) => c.trim());
  // The header: the first cells up to the first blank line, when they are short column names.
  let headerEnd = gapBefore.findIndex((g, i) => i > 0 && g);
  if (headerEnd < 0) headerEnd = cells.length;
  const header = cells.slice(0, headerEnd);
  const isHeader = header.length >= 2 && header.length <= 6 && header.every((h) => h && [...h].length <= 6);
  const body = isHeader ? cells.slice(headerEnd) : cells;

  if (body.filter((c) => NUMBERED_CELL.test(c)).length >= 3) {
    // Scoring-sheet shape: [group] item value value …, one row per numbered item.
    const valueNames = isHeader ? header.slice(header.length >= 3 ? 2 : 1) : [];
    const out: Block[] = [];
    let row: { item: string; values: string[] } | null = null;
    const flushRow = () => {
      if (!row) return;
      const r: { item: string; values: string[] } = row;
      // The first value (the points an item is worth, 分值) follows the item as the sheet shows
      // it; the other columns are named.
      const [first, ...others] = r.values.slice(0, valueNames.length || r.values.length);
      const named = others.map((v, i) => (v ? `${valueNames[i + 1] ?? ''}：${v}` : '')).filter(Boolean);
      const text = `${r.item}${first ?? ''}${named.length ? `（${named.join('；')}）` : ''}`;
      out.push({ kind: 'row', text });
      row = null;
    };
    for (const c of body) {
      const group = c.match(GROUP_CELL);
      if (group) {
        flushRow();
        out.push({ kind: 'group', title: `${group[1]}${group[2]}分` });
      } else if (NUMBERED_CELL.test(c)) {
        flushRow();
        row = { item: c, values: [] };
      } else if (row) {
        row.values.push(c);
      } else if (c) {
        out.push({ kind: 'row', text: c });
      }
    }
    flushRow();
    // The merged first column is the sheet's outline: say it once, as a reader sees it at a glance.
    const groups = out.flatMap((b) => (b.kind === 'group' ? [b.title] : []));
    if (groups.length >= 2)
      out.unshift({ kind: 'row', text: `本表分为${groups.length}个部分：${groups.join('，')}。` });
    return out;
  }

  if (isHeader && body.length >= header.length) {
    // A plain grid: rows of as many cells as the header has columns.
    const out: Block[] = [];
    for (let i = 0; i < body.length; i += header.length) {
      const row = body.slice(i, i + header.length);
      const text = row
        .map((v, j) => (v ? `${header[j] ?? ''}：${v}` : ''))
        .filter(Boolean)
        .join('；');
      if (text) out.push({ kind: 'row', text });
    }
    return out;
  }

  // A form: its rows in reading order (党员总数 11); a row of a label and its value reads 存在的主要问题：…,
  // so that what the form asks for can be told from what one school wrote.
  const rows: string[][] = [];
  cells.forEach((c, i) => {
    if (i === 0 || gapBefore[i]) rows.push([]);
    rows[rows.length - 1]?.push(c);
  });
  const text = rows
    .map((row) => {
      const [label, value, ...more] = row;
      if (label && FORM_LABEL.test(label.replace(/\s/g, '')) && more.length === 0) {
        return `${label.replace(/\s/g, '')}：${value ?? ''}`;
      }
      // Several labels, each followed by its value (党支部名称 兰陵小学党支部 成立时间 1980 党员总数 11).
      if (pairedRow(row)) {
        const pairs = row.flatMap((c, i) => (i % 2 === 0 ? [`${c.replace(/\s/g, '')}：${row[i + 1] ?? ''}`] : []));
        return pairs.join(' ');
      }
      return row.filter(Boolean).join(' ');
    })
    .filter(Boolean)
    .join(' ');
  return text ? [{ kind: 'form', text }] : [];
}

/** A form's label cell: a short name, no figures or sentence punctuation (完成整改时间, 党支部定点联系人). */
const FORM_LABEL = /^[\u4e00-\u9fff（）()]{2,16}$/;
/** A label that names a field rather than a value filled in (党支部名称, 成立时间, 党员总数, 关系隶属). */
const FIELD_NAME = /(名称|时间|日期|总数|人数|数|隶属|电话|单位|职务|姓名|地址|情况|结果|理由)$/;

/** A row of label, value, label, value…: every other cell, from the first, names a field. */
function pairedRow(row: string[]): boolean {
  if (row.length < 4 || row.length % 2 !== 0) return false;
  return row.every((c, i) => i % 2 === 1 || (FORM_LABEL.test(c.replace(/\s/g, '')) && FIELD_NAME.test(c.trim())));
}
