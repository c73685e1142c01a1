// The default knowledge base: the policy documents shipped in data/corpus, loaded into an
// empty knowledge base (on start-up and before the first question from the CLI).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppDb } from '../../storage/db';
import { allDocuments } from '../../storage/kb';
import { shipped } from '../../storage/shipped';
import { addDocumentFile } from './documents';

export const DEFAULT_CORPUS = shipped('data', 'corpus');

export function corpusFiles(dir = DEFAULT_CORPUS): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(txt|md|docx|pdf)$/i.test(f) && f.toLowerCase() !== 'readme.md')
    .sort()
    .map((f) => join(dir, f));
}

/** Loads the shipped documents when the knowledge base is empty; the number loaded. */
export async function ensureDefaultCorpus(db: AppDb, dir = DEFAULT_CORPUS): Promise<number> {
  if ((await allDocuments(db)).length > 0) return 0;
  const files = corpusFiles(dir);
  for (const f of files) await addDocumentFile(db, f, Date.now());
  return files.length;
}
