// One Q&A benchmark step in its own process, so that its peak memory is its own:
//   tsx bench/qa.ts build DB DIR…  → index every document of each DIR into DB, the DIRs in order
//   tsx bench/qa.ts query DB       → reopen DB (no rebuild), answer the evaluation questions (timed),
//                                    then measure their retrieval hit@3 (untimed)
// Prints one JSON line.

import { corpusFiles } from '../bot/cli/corpus';
import { addDocumentFile } from '../bot/cli/documents';
import { Knowledge } from '../handlers/qa/knowledge';
import { allDocuments } from '../storage/kb';
import { openSqlite } from '../storage/sqlite';
import { evaluate, loadEval } from '../tests/qa/evaluate';
import { percentiles } from './stats';

const [step, file, ...dirs] = process.argv.slice(2);
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

if (step === 'build' && file && dirs.length > 0) {
  const started = performance.now();
  const { db, close } = openSqlite(file);
  let passages = 0;
  for (const dir of dirs) {
    for (const f of corpusFiles(dir)) passages += (await addDocumentFile(db, f, Date.now())).passages;
  }
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
  const maxRss = maxRssMb();
  // Recall: whether each question's evidence is still among the first passages however many
  // other documents the knowledge base holds.
  const recall = await evaluate(
    {
      ask: async (q) => {
        const { answer, retrieved } = await kb.explain(q);
        return { ...answer, retrieved };
      },
    },
    loadEval(),
  );
  close();
  const hitAt3 = recall.hitAt3 / recall.answerable;
  console.log(JSON.stringify({ restartMs, firstMs, n: times.length, ...percentiles(times), maxRssMb: maxRss, hitAt3 }));
} else {
  console.error('usage: tsx bench/qa.ts build DB DIR… | query DB');
  process.exit(2);
}
