// npm run eval: the evaluation figures on the shipped corpus (an in-memory database), for each
// question set: tests/qa/eval.jsonl (the development set), eval-fresh.jsonl (nine rounds written
// without sight of the code) and tests/qa/rounds/round*.jsonl (later blind rounds).
//   --set FILE       another set of the same format (may be repeated)
//   --failures       list each question answered badly
//   --results FILE   write each question's outcome as JSON lines (to compare two runs)
// The invented answers are always listed: there should be none.
import { appendFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ensureDefaultCorpus } from '../../bot/cli/corpus';
import { Knowledge } from '../../handlers/qa/knowledge';
import { openSqlite } from '../../storage/sqlite';
import { EVAL_FILES, evaluate, formatReport, loadEval } from './evaluate';

const args = process.argv.slice(2);
const valuesOf = (flag: string) => args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));
const { db } = openSqlite(':memory:');
await ensureDefaultCorpus(db);
const kb = new Knowledge(db);
const sets = valuesOf('--set');
const files = sets.length ? sets : EVAL_FILES;
const [results] = valuesOf('--results');
if (results) writeFileSync(results, '');
for (const file of files) {
  const report = await evaluate(
    {
      ask: async (q) => {
        const { answer, retrieved } = await kb.explain(q);
        return { ...answer, retrieved };
      },
    },
    loadEval(file),
  );
  console.log(`# ${basename(file)}\n${formatReport(report)}\n`);
  for (const f of report.invented)
    console.log(`invented: ${f.id} ${f.question}\n  ${f.why}\n  → ${f.answer.replace(/\n/g, ' ')}\n`);
  if (args.includes('--failures')) {
    for (const f of report.failures)
      console.log(`${f.id} ${f.question}\n  ${f.why}\n  → ${f.answer.replace(/\n/g, ' ')}\n`);
  }
  if (results) {
    const set = basename(file);
    appendFileSync(results, report.results.map((r) => `${JSON.stringify({ set, ...r })}\n`).join(''));
  }
}
