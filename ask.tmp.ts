import { ensureDefaultCorpus } from '/work/wt/i16r/bot/cli/corpus';
import { Knowledge } from '/work/wt/i16r/handlers/qa/knowledge';
import { openSqlite } from '/work/wt/i16r/storage/sqlite';
const { db } = openSqlite(':memory:');
await ensureDefaultCorpus(db);
const kb = new Knowledge(db);
for (const q of process.argv.slice(2)) {
  const { answer } = await kb.explain(q);
  console.log(`Q: ${q}\n[${answer.kind}] ${answer.answer}\n`);
}
