// The Workers entry: what a Worker has (D1, ctx.waitUntil, bundled rules and documents, no long
// connections) → bot/start.ts → the same Hono app as bot/node.ts; cron triggers → the same jobs
// as cron/scheduler.ts. Nothing here may import a Node-only module (better-sqlite3, node:fs,
// node-cron, ws, @wecom/aibot-node-sdk, mammoth, unpdf).
// `Env` and the runtime types come from cloudflare/worker-configuration.d.ts (`wrangler types`).
//
// What Workers cannot do and this entry leaves out:
// - Long connections (WeCom smart bot WebSocket, DingTalk Stream): the smart bot's HTTP callback
//   and DINGTALK_MODE=http serve instead.
// - Meeting workbook downloads need ZHIBU_PUBLIC_URL and ZHIBU_LINK_SECRET (no random per-isolate
//   secret: links must survive isolates). exceljs runs in workerd (+~1.4 MiB to the bundle).
// - Files: what Node reads from disk comes bundled by the build (`npm run bundle --prefix
//   cloudflare`, cloudflare/scripts/bundle.mjs): the shipped policy documents (cloudflare/corpus.json,
//   indexed into D1 by the first cron run that finds the knowledge base empty), the self-check forms
//   and the duty rules (cloudflare/rules.json, loaded as on Node by domain/rules.ts: a form dropped
//   into data/forms is in the next deploy), and the holiday file. Documents are added through the
//   台账 console as .txt/.md (.docx/.pdf are refused with the reason: mammoth and unpdf are
//   Node-only), or from the operator's machine, any type, with
//   `npm run kb --prefix cloudflare -- add … --remote` (bot/cli/d1.ts); rosters likewise.
// - Limits: D1 runs at most 1,000 statements an invocation (paid plan) and waitUntil work ends
//   30 s after the event. Every invocation counts its statements (bot/statements.ts) and works in
//   steps within ZHIBU_RUN_STATEMENTS and ZHIBU_RUN_SECONDS (bot/core/budget.ts); the next run
//   goes on where a stopped one left off.
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import corpus from '../cloudflare/corpus.json';
import ruleFiles from '../cloudflare/rules.json';
import { CRONS } from '../cron/jobs';
import holidaysJson from '../data/holidays.json';
import { useHolidays } from '../domain/calendar';
import { parseHolidays } from '../domain/holidays';
import { rulesFrom } from '../domain/rules';
import type { Feature } from '../handlers/feature';
import { indexDocument } from '../handlers/qa/ingest';
import pkg from '../package.json';
import type { AppDb } from '../storage/db';
import { demoMembers, seedDemo } from '../storage/demo';
import { allDocuments, putDocument } from '../storage/kb';
import * as schema from '../storage/schema';
import { kvTokenStore } from '../storage/tokens';
import { type Config, demoLeftMessage, loadConfig, realPeopleReach } from './config';
import { type Budget, InvocationBudget } from './core/budget';
import { consoleLogger } from './core/log';
import { ACCOUNT_COLUMNS, PLATFORMS } from './platforms';
import { featuresFor, type Rules, startBot } from './start';
import { asInvocation, countIntoInvocation, countStatements } from './statements';

/** Records as objects: Workers Logs indexes their fields. */
const log = consoleLogger('object');

/** The cron expressions of wrangler.toml [triggers], and what each runs (as bot/node.ts's jobs). */
export { CRONS } from '../cron/jobs';

const holidays = parseHolidays(holidaysJson);
if (!holidays.ok) throw new Error(`data/holidays.json：${holidays.message}`);
useHolidays(holidays.table);

const loaded = rulesFrom(ruleFiles);
if (!loaded.ok) throw new Error(loaded.message);
const rules: Rules = loaded.value;

/** Indexes the bundled policy documents into an empty knowledge base (D1 keeps the index): one step, ~45 statements. */
async function ensureCorpus(db: AppDb, now: number, budget: Budget): Promise<void> {
  if ((await allDocuments(db)).length > 0 || !budget.allows()) return;
  for (const doc of corpus as { source: string; text: string }[]) {
    await putDocument(db, await indexDocument(doc.source, doc.text), now);
  }
  log.info('loaded the shipped policy documents into the knowledge base', { documents: corpus.length });
}

/** The newest migration wrangler applied (`d1_migrations` holds the file names). */
async function d1SchemaVersion(db: AppDb): Promise<string | null> {
  try {
    const row = await db.get<{ name: string } | undefined>(
      sql`select name from d1_migrations order by id desc limit 1`,
    );
    return row?.name.replace(/\.sql$/, '') ?? null;
  } catch {
    return null; // migrations applied some other way: the version is unknown, not an outage
  }
}

/** What lives as long as the isolate: config, D1 handle, features (the Q&A snapshot is cached there). */
interface Isolate {
  config: Config;
  db: AppDb;
  features: Feature[];
  linkSecret: string | undefined;
  /**
   * Whether the demo organisation was seen to: loaded into an empty D1 (simulator only), or found
   * absent beside a real platform. Demo members found there are looked for again each invocation,
   * so that the one after `remove-demo` serves.
   */
  demoChecked: boolean;
}

let cached: { key: string; db: unknown; isolate: Isolate } | undefined;

function isolate(env: Env): Isolate {
  // Bindings that are not strings (DB) are not configuration. The isolate's objects are kept while
  // the configuration and the database binding stay the same, whether or not `env` is the same object.
  const vars = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
  const key = JSON.stringify(vars);
  if (cached?.key === key && cached.db === env.DB) return cached.isolate;
  // A ConfigError fails every request, naming the variable; so does a platform that needs a long
  // connection a Worker cannot hold (its channel says so when it opens).
  const config = loadConfig(vars, PLATFORMS);
  // Every statement is counted into the invocation that runs it: the budget reads the count.
  const db: AppDb = drizzle(countStatements(env.DB, countIntoInvocation), { schema });
  // Links must survive isolates: signed only with a configured secret, where people can reach the bot.
  const linkSecret = config.ZHIBU_PUBLIC_URL && config.ZHIBU_LINK_SECRET ? config.ZHIBU_LINK_SECRET : undefined;
  const features = featuresFor(config, db, rules, linkSecret);
  cached = { key, db: env.DB, isolate: { config, db, features, linkSecret, demoChecked: false } };
  return cached.isolate;
}

/**
 * Everything that may hold this invocation's ctx: a new assistant, channels, app and budget per
 * invocation (cheap). A scheduled run drains the outbox once, after its jobs, so that a drain
 * does not run beside them on the same budget; a request drains whenever a send is queued.
 */
function build(env: Env, ctx: ExecutionContext, spent: () => number, drainOnQueue: boolean) {
  const state = isolate(env);
  const { config, db, features, linkSecret } = state;
  const budget = new InvocationBudget(
    { statements: config.ZHIBU_RUN_STATEMENTS, ms: config.ZHIBU_RUN_SECONDS * 1000 },
    spent,
  );
  const bot = startBot(config, {
    db,
    log,
    version: pkg.version,
    schemaVersion: () => d1SchemaVersion(db),
    defer: (work) => {
      ctx.waitUntil(work().catch((err) => log.error('deferred work failed', { err })));
    },
    // Cloudflare sets it; the simulator answers loopback only, so it is off unless ZHIBU_SIMULATOR=1
    // and then reachable from nowhere but `wrangler dev` tests.
    clientAddress: (c) => c.req.header('cf-connecting-ip') ?? undefined,
    rules,
    linkSecret,
    features,
    budget,
    drainOnQueue,
    // Access tokens are shared by every invocation through D1.
    tokens: (name) => kvTokenStore(db, name),
  });
  /**
   * The demo organisation in an empty D1 when configured (.dev.vars for `wrangler dev`; wrangler.toml
   * sets ZHIBU_DEMO=0). With a real platform on, its members left in D1 refuse the invocation, as
   * Node refuses to start: the reason, logged and answered, until they are removed.
   */
  const demo = async (): Promise<string | null> => {
    if (state.demoChecked) return null;
    if (realPeopleReach(config) && (await demoMembers(db)).length > 0) {
      const reason = demoLeftMessage(PLATFORMS, 'npm run roster --prefix cloudflare -- remove-demo --remote');
      log.error(reason);
      return reason;
    }
    if (config.demo && (await seedDemo(db, Date.now(), ACCOUNT_COLUMNS))) log.info('loaded the demo organisation');
    state.demoChecked = true;
    return null;
  };
  return { ...bot, budget, demo };
}

async function runScheduled(cron: string, now: Date, env: Env, ctx: ExecutionContext, spent: () => number) {
  const { assistant, jobs, outbox, budget, demo } = build(env, ctx, spent, false);
  const due = jobs.filter((j) => j.schedule === cron);
  if (due.length === 0) {
    log.warn('unknown cron trigger', { cron });
    return;
  }
  if (await demo()) return;
  if (cron === CRONS.everyMinute) await ensureCorpus(assistant.db, now.getTime(), budget);
  for (const job of due) await job.run(now);
  await outbox.kick();
  if (budget.stopped) {
    log.info('run stopped at its budget; the next run goes on', { cron, statements: spent(), ms: budget.elapsed() });
  }
}

export default {
  fetch(request, env, ctx) {
    return asInvocation(async (spent) => {
      const { app, demo } = build(env, ctx, spent, true);
      const refused = await demo();
      if (refused)
        return new Response(refused, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      return app.fetch(request, env, ctx);
    });
  },
  scheduled(controller, env, ctx) {
    ctx.waitUntil(
      asInvocation((spent) => runScheduled(controller.cron, new Date(controller.scheduledTime), env, ctx, spent)).catch(
        (err) => {
          log.error('job failed', { cron: controller.cron, err });
          throw err;
        },
      ),
    );
  },
} satisfies ExportedHandler<Env>;
