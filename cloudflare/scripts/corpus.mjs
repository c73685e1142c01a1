// Bundles the shipped policy documents (data/corpus/*.txt) as cloudflare/corpus.json: a Worker
// has no file system, so the Worker entry imports them and indexes them into D1.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../../data/corpus/', import.meta.url).pathname;
const docs = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((source) => ({ source, text: readFileSync(join(dir, source), 'utf8') }));
writeFileSync(new URL('../corpus.json', import.meta.url), JSON.stringify(docs));
console.log(`cloudflare/corpus.json: ${docs.length} documents`);
