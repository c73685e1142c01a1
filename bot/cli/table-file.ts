// Spreadsheet files on disk (Node only): read as bot/files.ts reads any upload, written as .xlsx.
import { existsSync, readFileSync } from 'node:fs';
import { TableFileError, tableOf } from '../files';

export async function readTable(path: string): Promise<string[][]> {
  if (!existsSync(path)) throw new TableFileError(`找不到文件：${path}`);
  return tableOf(path, new Uint8Array(readFileSync(path)));
}

export async function writeXlsx(path: string, sheetName: string, table: string[][]): Promise<void> {
  // exceljs takes a fifth of a second to load: loaded when first used, not at start-up.
  const { Workbook } = (await import('exceljs')).default;
  const book = new Workbook();
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
