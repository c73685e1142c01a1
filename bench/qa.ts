// One Q&A benchmark step in its own process, so that its peak memory is its own:
//   tsx bench/qa.ts build DB DIR   → index every document of DIR into DB
//   tsx bench/qa.ts query DB       → reopen DB (no rebuild) and answer the evaluation questions
// Prints one JSON line.

import { corpusFiles } from '../bot/cli/corpus';
import { addDocumentFile } from '../bot/cli/documents';
import { Knowledge } from '../handlers/qa/knowledge';
import { allDocuments } from '../storage/kb';
import { openSqlite } from '../storage/sqlite';
import { loadEval } from '../tests/qa/evaluate';
import { percentiles } from './stats';

const [step, file, dir] = process.argv.slice(2);
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

if (step === 'build' && file && dir) {
  const started = performance.now();
  const { db, close } = openSqlite(file);
  let passages = 0;
  for (const f of corpusFiles(dir)) passages += (await addDocumentFile(db, f, Date.now())).passages;
  const buildMs = performance.now() - started;
  const docs = (await allDocuments(db)).length;
  close();
  console.log(JSON.stringify({ buildMs, docs, passages, maxRssMb: maxRssMb() }));
} else if (step === 'query' && file) {
  const opened = performance.now();
  const { db, close } = openSqlite(file);
  const kb = new Knowledge(db);
  const questions = loadEval().map((q) => q.question);
  const first = performance.now();
  await kb.ask(questions[0] as string);
  const restartMs = performance.now() - opened;
  const firstMs = performance.now() - first;
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of questions) {
      const t = performance.now();
      await kb.ask(q);
      times.push(performance.now() - t);
    }
  }
  close();
  console.log(JSON.stringify({ restartMs, firstMs, n: times.length, ...percentiles(times), maxRssMb: maxRssMb() }));
} else {
  console.error('usage: tsx bench/qa.ts build DB DIR | query DB');
  process.exit(2);
}
