// npm run eval: the evaluation figures on the shipped corpus (an in-memory database).
import { ensureDefaultCorpus } from '../../bot/cli/corpus';
import { Knowledge } from '../../handlers/qa/knowledge';
import { openSqlite } from '../../storage/sqlite';
import { evaluate, formatReport, loadEval } from './evaluate';

const { db } = openSqlite(':memory:');
await ensureDefaultCorpus(db);
const kb = new Knowledge(db);
const report = await evaluate(
  {
    ask: async (q) => {
      const { answer, retrieved } = await kb.explain(q);
      return { ...answer, retrieved };
    },
  },
  loadEval(),
);
console.log(formatReport(report));
if (process.argv.includes('--failures')) {
  for (const f of report.failures)
    console.log(`\n${f.id} ${f.question}\n  ${f.why}\n  → ${f.answer.replace(/\n/g, ' ')}`);
}
