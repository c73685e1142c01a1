// npm run eval: the evaluation figures on the shipped corpus (an in-memory database), for each
// question set (tests/qa/eval.jsonl, the development set, and eval-fresh.jsonl, written without
// sight of the code). `npm run eval -- --set FILE` runs another set of the same format;
// `--failures` lists what went wrong.
import { basename } from 'node:path';
import { ensureDefaultCorpus } from '../../bot/cli/corpus';
import { Knowledge } from '../../handlers/qa/knowledge';
import { openSqlite } from '../../storage/sqlite';
import { EVAL_FILES, evaluate, formatReport, loadEval } from './evaluate';

const { db } = openSqlite(':memory:');
await ensureDefaultCorpus(db);
const kb = new Knowledge(db);
const at = process.argv.indexOf('--set');
const files = at >= 0 ? [process.argv[at + 1] as string] : EVAL_FILES;
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
  if (process.argv.includes('--failures')) {
    for (const f of report.failures)
      console.log(`${f.id} ${f.question}\n  ${f.why}\n  → ${f.answer.replace(/\n/g, ' ')}\n`);
  }
}
