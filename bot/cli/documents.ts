// Reading policy documents from files (Node only): .txt and .md as they are, .docx through
// mammoth, text PDFs through unpdf. Image-only or empty files are refused with a reason.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { IngestError, indexDocument } from '../../handlers/qa/ingest';
import type { AppDb } from '../../storage/db';
import { putDocument } from '../../storage/kb';

async function readDocumentText(path: string): Promise<string> {
  const ext = extname(path).toLowerCase();
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new IngestError(`${basename(path)}：找不到或无法读取这个文件`);
  }
  if (ext === '.txt' || ext === '.md') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return new TextDecoder('gbk').decode(bytes);
    }
  }
  if (ext === '.docx') {
    const mammoth = await import('mammoth');
    try {
      return (await mammoth.extractRawText({ buffer: bytes })).value;
    } catch (err) {
      throw new IngestError(`${basename(path)}：不是有效的 .docx 文件（${(err as Error).message}）`);
    }
  }
  if (ext === '.pdf') {
    const { extractText, getDocumentProxy } = await import('unpdf');
    try {
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      const { text } = await extractText(pdf, { mergePages: true });
      return text;
    } catch (err) {
      throw new IngestError(`${basename(path)}：无法读取 PDF（${(err as Error).message}）`);
    }
  }
  throw new IngestError(`${basename(path)}：不支持的文件类型，请用 .txt、.md、.docx 或 .pdf`);
}

export async function addDocumentFile(db: AppDb, path: string, now: number) {
  const text = await readDocumentText(path);
  if (extname(path).toLowerCase() === '.pdf' && text.replace(/\s/g, '').length < 20) {
    throw new IngestError(`${basename(path)}：PDF 里没有文字（可能是扫描件），请先做文字识别`);
  }
  const doc = await indexDocument(basename(path), text);
  return { ...(await putDocument(db, doc, now)), title: doc.title, passages: doc.passages.length };
}
