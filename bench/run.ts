// npm run bench: every benchmark, each step in its own process, figures printed as a table.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CORPUS } from '../bot/cli/corpus';
import { generateCorpus } from './generate-corpus';

const tsx = (...args: string[]) =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop() as string,
  );

const work = mkdtempSync(join(tmpdir(), 'zhibu-bench-'));
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(1)} ms`);

console.log(`cores: ${availableParallelism()}\n`);
console.log('## Policy Q&A (extractive)');
console.log(
  '| corpus | documents | passages | index build | restart to first answer | p50 | p99 | peak RSS build / query |',
);
console.log('|---|---|---|---|---|---|---|---|');
const generated = join(work, 'generated');
const bytes = generateCorpus(generated, 1000);
for (const [name, dir] of [
  ['shipped (5 documents)', DEFAULT_CORPUS],
  [`generated (${(bytes / 1e6).toFixed(1)} MB)`, generated],
] as const) {
  const db = join(work, `${dir === generated ? 'gen' : 'shipped'}.db`);
  const b = tsx('bench/qa.ts', 'build', db, dir);
  const q = tsx('bench/qa.ts', 'query', db);
  console.log(
    `| ${name} | ${b.docs} | ${b.passages} | ${fmt(b.buildMs)} | ${fmt(q.restartMs)} | ${fmt(q.p50)} | ${fmt(q.p99)} | ${b.maxRssMb} MB / ${q.maxRssMb} MB |`,
  );
}
console.log(`(p50/p99 over ${3 * 121} questions: the evaluation set asked three times)`);

console.log('\n## WeCom self-built app callbacks, loopback HTTP, 32 concurrent senders');
const w = tsx('bench/wecom.ts');
console.log('| path | callbacks/s | share of bare | p50 / p99 at 500 callbacks/s |');
console.log('|---|---|---|---|');
console.log(`| bare Hono handler: verify + decrypt | ${w.bareRate.toFixed(0)} | 100% | — |`);
console.log(
  `| full: verify, decrypt, parse, de-duplicate, enqueue (then routed and answered in the background) | ${w.fullRate.toFixed(0)} | ${(100 * w.ratio).toFixed(0)}% | ${fmt(w.p50)} / ${fmt(w.p99)} |`,
);

console.log('\n## DingTalk Stream robot messages, fake gateway on loopback, full path (record, ack, answer)');
const d = tsx('bench/dingtalk.ts');
console.log('| burst of 2,000: messages/s | ack latency at 200 messages/s: p50 / p99 |');
console.log('|---|---|');
console.log(`| ${d.perSecond.toFixed(0)} | ${fmt(d.p50)} / ${fmt(d.p99)} |`);

console.log('\n## Meeting check-in: one branch of 300 members, ten meetings, 16 taps at a time (simulator HTTP API)');
const c = tsx('bench/checkin.ts');
console.log('| clicks | clicks/s | click to answer p50 / p99 |');
console.log('|---|---|---|');
console.log(`| ${c.clicks} | ${c.perSecond.toFixed(0)} | ${fmt(c.p50)} / ${fmt(c.p99)} |`);

console.log("\n## Duty reminders: 10,000 branch secretaries, the month's 研判 nudge");
const r = tsx('bench/duties.ts');
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
const k = tsx('bench/console.ts');
console.log('| page | p50 | p95 | HTML |');
console.log('|---|---|---|---|');
for (const [name, p] of Object.entries(k.pages as Record<string, { p50: number; p95: number; bytes: number }>))
  console.log(`| ${name} | ${fmt(p.p50)} | ${fmt(p.p95)} | ${(p.bytes / 1024).toFixed(0)} KB |`);
