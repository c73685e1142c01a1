// A district's quarterly reminders at scale, each step in its own process so that its peak memory
// is its own (a file database, as in production):
//   tsx bench/fanout.ts import DB N   → import a roster of N branch secretaries into DB
//   tsx bench/fanout.ts plan DB       → plan the quarter's first reminders, then drain the outbox
//                                       through a sender that only counts (the platform is not measured)
// Prints one JSON line: times, peak RSS and the longest event-loop stall.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadDutiesFile } from '../bot/cli/rule-files';
import { Assistant } from '../bot/core/assistant';
import { drainOutbox, type Sender } from '../bot/core/delivery';
import { silentLogger } from '../bot/core/log';
import { ACCOUNT_COLUMNS, PLATFORMS } from '../bot/platforms';
import { remindDuties } from '../cron/duty-reminders';
import { importRoster } from '../storage/roster';
import { openSqlite } from '../storage/sqlite';

const [step, file, n] = process.argv.slice(2);
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const stalls = monitorEventLoopDelay({ resolution: 10 });
stalls.enable();
/** A turn of the event loop: the stall monitor's timer gets to run (it measures from its last run). */
const turn = () => new Promise((resolve) => setTimeout(resolve, 20));
await turn();
/** The longest stall so far, including one that just ended. */
const longestStallMs = async () => {
  await turn();
  return stalls.max / 1e6;
};

if (step === 'import' && file && n) {
  const rows = [['组织', '学校', '姓名', '角色', '企业微信账号']];
  for (let i = 0; i < Number(n); i++) rows.push([`工委/第${i}支部`, `学校${i}`, `书记${i}`, '书记', `sec${i}`]);
  const { db, close } = openSqlite(file);
  const started = performance.now();
  const imported = await importRoster(db, rows, Date.now(), 'bench', ACCOUNT_COLUMNS);
  if (!imported.ok) throw new Error(`roster import failed: ${JSON.stringify(imported.errors.slice(0, 3))}`);
  const ms = performance.now() - started;
  close();
  console.log(JSON.stringify({ members: Number(n), ms, maxRssMb: maxRssMb(), longestStallMs: await longestStallMs() }));
} else if (step === 'plan' && file) {
  // The first workday of 2026's fourth quarter: 流动党员摸底 goes to every secretary.
  const at = new Date('2026-10-09T09:30:00+08:00');
  const duties = loadDutiesFile('data/duties.json').filter((d) => d.every === 'quarter');
  const { db, close } = openSqlite(file);
  const bot = new Assistant({
    db,
    features: [],
    log: silentLogger,
    platforms: PLATFORMS,
    now: () => at,
    delivering: ['wecom'],
  });
  let started = performance.now();
  const planned = await remindDuties(bot, duties, at);
  const planMs = performance.now() - started;
  const planStallMs = await longestStallMs();
  stalls.reset();
  const counting: Sender = { deliver: async () => {} };
  started = performance.now();
  let sent = 0;
  for (;;) {
    const r = await drainOutbox(db, { wecom: counting }, Date.now, silentLogger);
    sent += r.sent;
    if (r.sent + r.retried + r.failed === 0) break;
  }
  const drainMs = performance.now() - started;
  close();
  console.log(
    JSON.stringify({
      planned,
      planMs,
      planStallMs,
      sent,
      drainMs,
      drainStallMs: await longestStallMs(),
      maxRssMb: maxRssMb(),
    }),
  );
} else {
  console.error('usage: tsx bench/fanout.ts import DB N | plan DB');
  process.exit(2);
}
