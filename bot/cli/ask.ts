// npm run --silent ask -- "问题" | --json "问题" | --jsonl  (lines {"id","question"} on stdin)
// JSON out: {found, answer, citations: [{doc, title, issuer, docNo, section, quote}], kind}, where
// kind is direct | related | none and found is true for direct and related.
import { createInterface } from 'node:readline';
import { citationLine } from '../../handlers/qa/citation';
import { Knowledge } from '../../handlers/qa/knowledge';
import { llmConfig, loadConfig } from '../config';
import { PLATFORMS } from '../platforms';
import { ensureDefaultCorpus } from './corpus';
import { openDatabase } from './database';
import { command, runCli, usage } from './run';

const publicAnswer = (a: Awaited<ReturnType<Knowledge['ask']>>) => ({
  found: a.found,
  answer: a.answer,
  citations: a.citations.map(({ doc, title, issuer, docNo, section, quote }) => ({
    doc,
    title,
    issuer,
    docNo,
    section,
    quote,
  })),
  kind: a.kind,
});

export const main = command(async (args, io) => {
  const json = args.includes('--json');
  const jsonl = args.includes('--jsonl');
  const question = args
    .filter((a) => !a.startsWith('--'))
    .join(' ')
    .trim();
  if (!jsonl && !question) {
    return usage(
      io,
      '用法：npm run --silent ask -- [--json] "问题"  或  npm run --silent ask -- --jsonl < questions.jsonl',
    );
  }
  const config = loadConfig(io.env, PLATFORMS);
  const { db, close } = openDatabase(config);
  try {
    await ensureDefaultCorpus(db);
    const kb = new Knowledge(db, llmConfig(config));
    if (jsonl) {
      for await (const line of createInterface({ input: io.stdin })) {
        if (!line.trim()) continue;
        let id: unknown = null;
        try {
          const item = JSON.parse(line) as { id?: unknown; question?: unknown };
          id = item.id ?? null;
          if (typeof item.question !== 'string') throw new Error('question must be a string');
          io.print(JSON.stringify({ id, ...publicAnswer(await kb.ask(item.question)) }));
        } catch (err) {
          io.print(JSON.stringify({ id, error: (err as Error).message }));
        }
      }
      return 0;
    }
    const answer = await kb.ask(question);
    if (json) {
      io.print(JSON.stringify(publicAnswer(answer)));
    } else {
      io.print(answer.answer);
      for (const [i, c] of answer.citations.entries()) io.print(`\n[${i + 1}] ${citationLine(c)}\n    “${c.quote}”`);
    }
    return 0;
  } finally {
    close();
  }
});

runCli(import.meta.url, main);
