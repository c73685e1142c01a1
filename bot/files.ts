// Files people hand in, read from their bytes the same way on Node and on Workers: rosters
// (.csv in UTF-8 or GBK as Excel saves it on Chinese Windows; .xlsx, first sheet, cells as the
// text a person sees) and policy documents (.txt/.md as they are; .docx/.pdf through a reader
// only Node has: where none is given they are refused with a reason). The CLI reads files from
// disk through these; the console reads uploads.
import { parse } from 'csv-parse/sync';
import { IngestError, indexDocument } from '../handlers/qa/ingest';
import type { AppDb } from '../storage/db';
import { putDocument } from '../storage/kb';

export class TableFileError extends Error {}

/** UTF-8, or GBK when it is not valid UTF-8. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

const extOf = (name: string) => name.match(/\.[^./\\]+$/)?.[0]?.toLowerCase() ?? '';

/** A spreadsheet's first sheet as a table of strings; `name` tells the format by its extension. */
export async function tableOf(name: string, bytes: Uint8Array): Promise<string[][]> {
  const ext = extOf(name);
  if (ext === '.csv') {
    const text = decodeText(bytes).replace(/^\uFEFF/, '');
    try {
      const table = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
      return table.map((row) => row.map((cell) => cell.replace(NEUTRALISED, '')));
    } catch (err) {
      throw new TableFileError(`无法解析 CSV：${(err as Error).message}`);
    }
  }
  if (ext === '.xlsx') {
    // exceljs takes a fifth of a second to load: loaded when first used, not at start-up.
    const { Workbook } = (await import('exceljs')).default;
    const book = new Workbook();
    try {
      await book.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (err) {
      throw new TableFileError(`无法读取 .xlsx 文件：${(err as Error).message}`);
    }
    const sheet = book.worksheets[0];
    if (!sheet) return [];
    const table: string[][] = [];
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= Math.max(row.cellCount, 1); c++) {
        // An exported CSV saved again as .xlsx keeps the apostrophe as text.
        cells.push((row.getCell(c).text ?? '').replace(NEUTRALISED, ''));
      }
      table.push(cells);
    }
    return table;
  }
  throw new TableFileError(`不支持的文件类型“${ext || '无扩展名'}”：请用 .csv 或 .xlsx`);
}

/**
 * What a spreadsheet program takes for the start of a formula (=HYPERLINK(…), =cmd|…): such a cell
 * is written behind an apostrophe, shown as text (OWASP's advice for CSV), and read back without it.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEUTRALISED = /^'(?=[=+\-@\t\r])/;

function csvCell(value: string): string {
  const v = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A table as CSV that Excel opens as UTF-8 (with a BOM). */
export function toCsv(table: string[][]): string {
  return `\uFEFF${table.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Reads a .docx or a .pdf as text (Node: mammoth, unpdf); throws IngestError for a bad file. */
export type RichReader = (name: string, ext: '.docx' | '.pdf', bytes: Uint8Array) => Promise<string>;

/** A policy document's text from its bytes. */
export async function documentText(name: string, bytes: Uint8Array, rich?: RichReader): Promise<string> {
  const ext = extOf(name);
  if (ext === '.txt' || ext === '.md') return decodeText(bytes);
  if (ext === '.docx' || ext === '.pdf') {
    if (!rich)
      throw new IngestError(
        `${name}：这里（Cloudflare Workers）不能读取 ${ext} 文件，请另存为 .txt 后上传，或在 Node 版上添加`,
      );
    const text = await rich(name, ext, bytes);
    if (ext === '.pdf' && text.replace(/\s/g, '').length < 20)
      throw new IngestError(`${name}：PDF 里没有文字（可能是扫描件），请先做文字识别`);
    return text;
  }
  throw new IngestError(`${name}：不支持的文件类型，请用 .txt、.md、.docx 或 .pdf`);
}

/** Adds a document to the knowledge base, replacing the one of the same file name in one atomic write. */
export async function addDocument(db: AppDb, name: string, bytes: Uint8Array, now: number, rich?: RichReader) {
  const text = await documentText(name, bytes, rich);
  const doc = await indexDocument(name, text);
  return { ...(await putDocument(db, doc, now)), title: doc.title, passages: doc.passages.length };
}
