// Reading policy documents from files (Node only): .docx through mammoth, text PDFs through unpdf;
// everything else as bot/files.ts reads any upload.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { IngestError } from '../../handlers/qa/ingest';
import type { AppDb } from '../../storage/db';
import { addDocument, type RichReader } from '../files';

/** The .docx and .pdf reader only Node has. */
export const nodeRichReader: RichReader = async (name, ext, bytes) => {
  if (ext === '.docx') {
    const mammoth = await import('mammoth');
    try {
      return (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
    } catch (err) {
      throw new IngestError(`${name}：不是有效的 .docx 文件（${(err as Error).message}）`);
    }
  }
  const { extractText, getDocumentProxy } = await import('unpdf');
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const { text } = await extractText(pdf, { mergePages: true });
    return text;
  } catch (err) {
    throw new IngestError(`${name}：无法读取 PDF（${(err as Error).message}）`);
  }
};

export async function addDocumentFile(db: AppDb, path: string, now: number) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new IngestError(`${basename(path)}：找不到或无法读取这个文件`);
  }
  return addDocument(db, basename(path), new Uint8Array(bytes), now, nodeRichReader);
}
