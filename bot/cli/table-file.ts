// Spreadsheet files as tables of strings: .csv (UTF-8, or GBK as Excel saves it on Chinese
// Windows) and .xlsx (first sheet). Cells are read as the text a person sees.
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export class TableFileError extends Error {}

function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

export async function readTable(path: string): Promise<string[][]> {
  if (!existsSync(path)) throw new TableFileError(`找不到文件：${path}`);
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') {
    const text = decode(readFileSync(path)).replace(/^\uFEFF/, '');
    try {
      const table = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
      return table.map((row) => row.map((cell) => cell.replace(NEUTRALISED, '')));
    } catch (err) {
      throw new TableFileError(`无法解析 CSV：${(err as Error).message}`);
    }
  }
  if (ext === '.xlsx') {
    const book = new ExcelJS.Workbook();
    try {
      await book.xlsx.readFile(path);
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

export function toCsv(table: string[][]): string {
  return `\uFEFF${table.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export async function writeXlsx(path: string, sheetName: string, table: string[][]): Promise<void> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  for (const row of table) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  // Keep ids and phone numbers as text, so Excel shows 13912345678 and not 1.39E+10.
  sheet.columns.forEach((col) => {
    col.numFmt = '@';
    col.width = 16;
  });
  await book.xlsx.writeFile(path);
}
