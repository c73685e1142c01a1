// The Workers entry: env bindings → D1 → core → channels → the same Hono app as bot/node.ts, and
// cron triggers → the same jobs as cron/scheduler.ts. Nothing here may import a Node-only module
// (better-sqlite3, node:fs, node-cron, ws, @wecom/aibot-node-sdk, mammoth, unpdf).
// `Env` and the runtime types come from cloudflare/worker-configuration.d.ts (`wrangler types`).
//
// What Workers cannot do and this entry leaves out:
// - WeCom smart bot long connection (WebSocket client, @wecom/aibot-node-sdk): use its HTTP callback.
// - DingTalk Stream mode (WebSocket client on `ws`): DINGTALK_MODE must be "http".
// - Meeting workbook downloads need ZHIBU_PUBLIC_URL and ZHIBU_LINK_SECRET (no random per-isolate
//   secret: links must survive isolates). exceljs runs in workerd (+~1.4 MiB to the bundle).
// - Files: the shipped policy documents come bundled (cloudflare/corpus.json, generated from
//   data/corpus by `npm run corpus --prefix cloudflare`) and are indexed into D1 by the first
//   cron run that finds the knowledge base empty; the self-check forms, the duty rules and the
//   holiday file (data/holidays.json) are bundled JSON. Forms are a Node operation. Documents are
//   added through the 台账 console as .txt/.md (.docx/.pdf are refused with the reason: mammoth
//   and unpdf are Node-only), or from the operator's machine, any type, with
//   `npm run kb --prefix cloudflare -- add … --remote` (bot/cli/d1.ts); rosters likewise.
// - Limits: D1 runs at most 1,000 statements an invocation (paid plan) and waitUntil work ends
//   30 s after the event. Every invocation counts its statements (bot/statements.ts) and works in
//   steps within ZHIBU_RUN_STATEMENTS and ZHIBU_RUN_SECONDS (bot/core/budget.ts); the next run
//   goes on where a stopped one left off.
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { Platform } from '../cards/message';
import corpus from '../cloudflare/corpus.json';
import { CRONS, scheduledJobs } from '../cron/jobs';
import dutiesJson from '../data/duties.json';
import gradingForm from '../data/forms/grading.json';
import rectificationForm from '../data/forms/rectification.json';
import surveyForm from '../data/forms/survey.json';
import holidaysJson from '../data/holidays.json';
import { useHolidays } from '../domain/calendar';
import { checkOpens, parseDuties } from '../domain/duties';
import { checkFormSet, type FormDefinition, parseForm } from '../domain/forms';
import { parseHolidays } from '../domain/holidays';
import { buildFeatures } from '../handlers';
import type { Feature } from '../handlers/feature';
import { indexDocument } from '../handlers/qa/ingest';
import pkg from '../package.json';
import type { AppDb } from '../storage/db';
import { seedDemo } from '../storage/demo';
import { allDocuments, putDocument } from '../storage/kb';
import * as schema from '../storage/schema';
import { createApp } from './app';
import { wireChannels } from './channels';
import { type Config, deliveringPlatforms, llmConfig, loadConfig } from './config';
import { Assistant } from './core/assistant';
import { type Budget, InvocationBudget } from './core/budget';
import { Dispatcher, drainOutbox, type Sender } from './core/delivery';
import { consoleLogger } from './core/log';
import { simSender } from './sim/sender';
import { asInvocation, countIntoInvocation, countStatements } from './statements';

/** Records as objects: Workers Logs indexes their fields. */
const log = consoleLogger('object');

/** The cron expressions of wrangler.toml [triggers], and what each runs (as bot/node.ts's jobs). */
export { CRONS } from '../cron/jobs';

const holidays = parseHolidays(holidaysJson);
if (!holidays.ok) throw new Error(`data/holidays.json：${holidays.message}`);
useHolidays(holidays.table);

const parsedDuties = parseDuties(dutiesJson);
if (!parsedDuties.ok) throw new Error(`data/duties.json: ${parsedDuties.message}`);
const duties = parsedDuties.duties;

const forms: FormDefinition[] = [gradingForm, rectificationForm, surveyForm].map((json) => {
  const parsed = parseForm(json);
  if (!parsed.ok) throw new Error(`data/forms: ${parsed.message}`);
  return parsed.form;
});
const bundleProblem =
  checkFormSet(forms) ??
  checkOpens(
    duties,
    forms.map((f) => f.id),
  );
if (bundleProblem) throw new Error(bundleProblem);

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
interface Core {
  config: Config;
  db: AppDb;
  features: Feature[];
  links: { baseUrl: string; secret: string } | undefined;
  /** Whether the demo organisation was looked at (ZHIBU_DEMO=1: loaded into an empty D1). */
  demoChecked: boolean;
}

let cached: { key: string; db: unknown; core: Core } | undefined;

function core(env: Env): Core {
  // Bindings that are not strings (DB) are not configuration. The core is kept while the
  // configuration and the database binding stay the same, whether or not `env` is the same object.
  const vars = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
  const key = JSON.stringify(vars);
  if (cached?.key === key && cached.db === env.DB) return cached.core;
  const config = loadConfig(vars); // a ConfigError fails every request, naming the variable
  if (config.DINGTALK_CLIENT_ID && config.DINGTALK_MODE !== 'http') {
    throw new Error('配置错误：DINGTALK_MODE 在 Workers 上只能是 http（Stream 需要常驻的 WebSocket 连接）');
  }
  if (config.WECOM_BOT_ID) log.warn('WECOM_BOT_ID is ignored on Workers: use the smart bot HTTP callback');
  // Every statement is counted into the invocation that runs it: the budget reads the count.
  const db: AppDb = drizzle(countStatements(env.DB, countIntoInvocation), { schema });
  const llm = llmConfig(config);
  const links =
    config.ZHIBU_PUBLIC_URL && config.ZHIBU_LINK_SECRET
      ? { baseUrl: config.ZHIBU_PUBLIC_URL, secret: config.ZHIBU_LINK_SECRET }
      : undefined;
  const features = buildFeatures(db, { ...(llm ? { llm } : {}), ...(links ? { links } : {}), duties, forms });
  cached = { key, db: env.DB, core: { config, db, features, links, demoChecked: false } };
  return cached.core;
}

/**
 * Everything that may hold this invocation's ctx: a new Bot, senders, app and budget per
 * invocation (cheap). A scheduled run drains the outbox once, after its jobs, so that a drain
 * does not run beside them on the same budget; a request drains whenever a send is queued.
 */
function build(env: Env, ctx: ExecutionContext, spent: () => number, drainOnQueue: boolean) {
  const c = core(env);
  const { config, db, features, links } = c;
  const budget = new InvocationBudget(
    { statements: config.ZHIBU_RUN_STATEMENTS, ms: config.ZHIBU_RUN_SECONDS * 1000 },
    spent,
  );
  const defer = (work: () => Promise<unknown>) => {
    ctx.waitUntil(work().catch((err) => log.error('deferred work failed', { err })));
  };
  const senders: Partial<Record<Platform, Sender>> = config.simulator ? { sim: simSender(db) } : {};
  const outbox = new Dispatcher('outbox', () => drainOutbox(db, senders, Date.now, log, budget), log);
  const bot = new Assistant({
    db,
    features,
    log,
    budget,
    ...(drainOnQueue ? { onQueued: () => defer(() => outbox.kick()) } : {}),
    channels: () => deliveringPlatforms(config),
  });
  const channels = wireChannels({
    config,
    bot,
    db,
    log,
    defer,
    forms,
    duties,
    storeTokens: true,
    ...(links ? { linkSecret: links.secret } : {}),
  });
  Object.assign(senders, channels.senders);
  const app = createApp({
    bot,
    config,
    log,
    version: pkg.version,
    schemaVersion: () => d1SchemaVersion(db),
    // Cloudflare sets it; the simulator answers loopback only, so it is off unless ZHIBU_SIMULATOR=1
    // and then reachable from nowhere but `wrangler dev` tests.
    clientAddress: (c) => c.req.header('cf-connecting-ip') ?? undefined,
    defer,
    ...channels.app,
  });
  /** The demo organisation in an empty D1 when configured (.dev.vars for `wrangler dev`; wrangler.toml sets ZHIBU_DEMO=0), once an isolate. */
  const demo = async () => {
    if (c.demoChecked) return;
    if (config.demo && (await seedDemo(db, Date.now()))) log.info('loaded the demo organisation');
    c.demoChecked = true;
  };
  return { db, bot, app, outbox, budget, demo };
}

async function runScheduled(cron: string, now: Date, env: Env, ctx: ExecutionContext, spent: () => number) {
  const { db, bot, outbox, budget, demo } = build(env, ctx, spent, false); // also registers the inbound processors
  const due = scheduledJobs(bot, db, duties).filter((j) => j.schedule === cron);
  if (due.length === 0) {
    log.warn('unknown cron trigger', { cron });
    return;
  }
  await demo();
  if (cron === CRONS.everyMinute) await ensureCorpus(db, now.getTime(), budget);
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
      await demo();
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
