// npm run bench: every benchmark, each step in its own process, figures printed as a table.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CORPUS } from '../bot/cli/corpus';
import { generateCorpus } from './generate-corpus';

/**
 * One step in its own process, given `minutes` at most: the JSON of its last line, or null when
 * it failed or ran out of time (said in the output; the other steps still run).
 */
// biome-ignore lint/suspicious/noExplicitAny: each step prints its own JSON
function step(minutes: number, ...args: string[]): any {
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', ...args], {
      encoding: 'utf8',
      timeout: minutes * 60_000,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return JSON.parse(out.trim().split('\n').pop() as string);
  } catch (err) {
    console.log(`(step failed: ${args.join(' ')}: ${(err as Error).message.split('\n')[0]})`);
    return null;
  }
}
const tsx = (...args: string[]) => step(10, ...args);

const work = mkdtempSync(join(tmpdir(), 'zhibu-bench-'));
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(1)} ms`);

console.log(`cores: ${availableParallelism()}\n`);
console.log('## Policy Q&A (extractive)');
console.log(
  '| corpus | documents | passages | index build | restart to first answer | p50 | p99 | peak RSS build / query |',
);
console.log('|---|---|---|---|---|---|---|---|');
// The generated documents are indexed after the shipped ones, so the evaluation set's answers
// are older than thousands of documents: recall is measured where a district's knowledge base is.
const corpora: [string, number, string[]][] = [['shipped (5 documents)', 0, [DEFAULT_CORPUS]]];
for (const n of [1000, 5000]) {
  const dir = join(work, `generated-${n}`);
  const bytes = generateCorpus(dir, n);
  corpora.push([`shipped, then generated (${(bytes / 1e6).toFixed(1)} MB)`, n, [DEFAULT_CORPUS, dir]]);
}
const recall: string[] = [];
for (const [name, n, dirs] of corpora) {
  const db = join(work, `qa-${n}.db`);
  const b = step(20, 'bench/qa.ts', 'build', db, ...dirs);
  const q = b && step(10, 'bench/qa.ts', 'query', db);
  if (!b || !q) continue;
  console.log(
    `| ${name} | ${b.docs} | ${b.passages} | ${fmt(b.buildMs)} | ${fmt(q.restartMs)} | ${fmt(q.p50)} | ${fmt(q.p99)} | ${b.maxRssMb} MB / ${q.maxRssMb} MB |`,
  );
  recall.push(`${n.toLocaleString('en')}: ${(100 * q.hitAt3).toFixed(1)}%`);
}
console.log(`(p50/p99 over ${3 * 121} questions: the evaluation set asked three times)`);
console.log(
  `Q&A recall in a large knowledge base (eval.jsonl retrieval hit@3; generated documents indexed after the shipped 5): ${recall.join(', ')}`,
);

console.log(
  '\n## WeCom self-built app, measured from outside: the built server, the fake WeCom and the load in their own processes',
);
const w = tsx('bench/wecom.ts');
if (w) {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  console.log(
    `| path (bursts of ${w.burst}, 32 at a time, median of ${w.rounds} rounds) | per second | share of the anchor |`,
  );
  console.log('|---|---|---|');
  console.log(`| anchor: bare Hono, verify + decrypt + parse | ${w.anchorRate.toFixed(0)} | 100% |`);
  console.log(
    `| ceiling: the anchor sending one reply a message to the fake (keep-alive client) | ${w.ceilingRate.toFixed(0)} | ${pct(w.ceilingRatio)} |`,
  );
  console.log(`| full path, accepted (verify … enqueue) | ${w.acceptedRate.toFixed(0)} | ${pct(w.acceptedRatio)} |`);
  console.log(
    `| full path, accepted and replied (reply counted at the fake) | ${w.repliedRate.toFixed(0)} | ${pct(w.ratio)} (target ≥ 50%; ${pct(w.ofCeiling)} of the ceiling) |`,
  );
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const cpu = w.cpuMsPerMessage;
  console.log(
    `CPU a message costs (median of the rounds): anchor ${ms(cpu.anchor)}, ceiling ${ms(cpu.ceiling)}, full path ${ms(cpu.full)} (accepted and replied); the fake WeCom ${ms(cpu.fake)} a reply it takes`,
  );
  console.log(
    `A member's reply while ${w.reminders} reminders drain (${w.answered} of ${w.asks} questions answered, ${w.remindersOutWhenAnswered} reminders out by then): p50 ${fmt(w.replyP50)}, p99 ${fmt(w.replyP99)} (target ≤ 2 s); errors: ${w.errors + w.askErrors}`,
  );
}

console.log('\n## DingTalk Stream robot messages, fake gateway on loopback, full path (record, ack, answer)');
const d = tsx('bench/dingtalk.ts') ?? { perSecond: 0, p50: 0, p99: 0 };
console.log('| burst of 2,000: messages/s | ack latency at 200 messages/s: p50 / p99 |');
console.log('|---|---|');
console.log(`| ${d.perSecond.toFixed(0)} | ${fmt(d.p50)} / ${fmt(d.p99)} |`);

console.log('\n## Meeting check-in: one branch of 300 members, ten meetings, 16 taps at a time (simulator HTTP API)');
const c = tsx('bench/checkin.ts') ?? { clicks: 0, perSecond: 0, p50: 0, p99: 0 };
console.log('| clicks | clicks/s | click to answer p50 / p99 |');
console.log('|---|---|---|');
console.log(`| ${c.clicks} | ${c.perSecond.toFixed(0)} | ${fmt(c.p50)} / ${fmt(c.p99)} |`);

console.log("\n## Duty reminders: 10,000 branch secretaries, the month's 研判 nudge");
const r = tsx('bench/duties.ts') ?? {
  planned: 0,
  planMs: 0,
  replanMs: 0,
  perSecond: 0,
  rssMb: 0,
  dingtalkSent: 0,
  dingtalkCalls: 0,
  dingtalkPerSecond: 0,
};
console.log(
  '| reminders | plan into the outbox | plan again (all stored) | drain through the WeCom app sender (fake API, loopback) | peak RSS |',
);
console.log('|---|---|---|---|---|');
console.log(
  `| ${r.planned} | ${fmt(r.planMs)} | ${fmt(r.replanMs)} | ${r.perSecond.toFixed(0)} messages/s | ${r.rssMb} MB |`,
);
console.log('\n| DingTalk (fake OpenAPI): people reached | batchSend calls | people/s |');
console.log('|---|---|---|');
console.log(`| ${r.dingtalkSent} | ${r.dingtalkCalls} | ${r.dingtalkPerSecond.toFixed(0)} |`);

console.log("\n## 台账 console: 50 branches of 25 members, a year of records (seeded generator), an admin's pages");
const k = tsx('bench/console.ts') ?? { pages: {} };
console.log('| page | p50 | p95 | HTML |');
console.log('|---|---|---|---|');
for (const [name, p] of Object.entries(k.pages as Record<string, { p50: number; p95: number; bytes: number }>))
  console.log(`| ${name} | ${fmt(p.p50)} | ${fmt(p.p95)} | ${(p.bytes / 1024).toFixed(0)} KB |`);

console.log(
  "\n## A district's quarterly reminders: 50,000 branch secretaries (file database, a sender that only counts)",
);
const fanDb = join(work, 'district-50k.db');
const imported = step(15, 'bench/fanout.ts', 'import', fanDb, '50000');
const fan = imported && step(15, 'bench/fanout.ts', 'plan', fanDb);
console.log('| step | time | peak RSS | longest event-loop stall |');
console.log('|---|---|---|---|');
if (imported)
  console.log(
    `| roster import (one transaction) | ${fmt(imported.ms)} | ${imported.maxRssMb} MB | ${fmt(imported.longestStallMs)} |`,
  );
if (fan) {
  console.log(
    `| plan ${fan.planned} reminders, by pages of 200 | ${fmt(fan.planMs)} | ${fan.maxRssMb} MB | ${fmt(fan.planStallMs)} |`,
  );
  console.log(
    `| drain ${fan.sent} through the outbox | ${fmt(fan.drainMs)} | (same process) | ${fmt(fan.drainStallMs)} |`,
  );
}

console.log('\n## Cold start: `npm start` (compiled) from spawn to ready, five starts on an existing database');
const built = (() => {
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'build.ts'], { stdio: 'ignore', timeout: 120_000 });
    return true;
  } catch (err) {
    console.log(`(build failed: ${(err as Error).message.split('\n')[0]})`);
    return false;
  }
})();
const cold = built && step(5, 'bench/start.ts');
if (cold) console.log(`| median | slowest |\n|---|---|\n| ${fmt(cold.medianMs)} | ${fmt(cold.maxMs)} |`);
