// The Node entry: what a long-lived process has (SQLite, background work it can wait for, the
// platforms' long connections, the rules and documents on disk) → bot/start.ts → the HTTP server,
// the scheduler, and how it stops. Production runs it compiled (npm run build → dist/node.js);
// `npm run dev` runs it with tsx.
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { CRONS } from '../cron/jobs';
import { startScheduler } from '../cron/scheduler';
import { useHolidays, yearsWithoutHolidays } from '../domain/calendar';
import { demoMembers, seedDemo } from '../storage/demo';
import { shipped } from '../storage/shipped';
import { DatabaseOpenError, type OpenedSqlite } from '../storage/sqlite';
import { backupDirFor } from '../storage/sqlite-backup';
import { DatabaseBusyError } from '../storage/sqlite-lock';
import { MigrationError } from '../storage/sqlite-migrate';
import { ensureDefaultCorpus } from './cli/corpus';
import { openDatabase } from './cli/database';
import { nodeRichReader } from './cli/documents';
import { holidaysFile, loadHolidaysFile } from './cli/holidays-file';
import { loadRules } from './cli/rule-files';
import { type Config, ConfigError, demoLeftMessage, describeConfig, loadConfig, realPeopleReach } from './config';
import { consoleLogger } from './core/log';
import { ACCOUNT_COLUMNS, PLATFORMS } from './platforms';
import { CONNECTORS } from './platforms-node';
import { Background } from './server/background';
import { dailyBackupJob } from './server/backups';
import { keepAliveFetch } from './server/keep-alive-fetch';
import { closeHttpServer, stopOnSignals } from './server/shutdown';
import { startBot } from './start';

const version = (JSON.parse(readFileSync(shipped('package.json'), 'utf8')) as { version: string }).version;

// Every background promise is handled where it starts; one that slips through is logged, not fatal.
process.on('unhandledRejection', (err) => log.error('unhandled rejection', { err, cause: (err as Error)?.cause }));

let config: ReturnType<typeof loadConfig>;
let rules: ReturnType<typeof loadRules>;
try {
  config = loadConfig(process.env, PLATFORMS);
  rules = loadRules(config.ZHIBU_FORMS, config.ZHIBU_DUTIES);
  useHolidays(loadHolidaysFile(config.ZHIBU_HOLIDAYS));
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
const log = consoleLogger(config.ZHIBU_LOG);

const missing = yearsWithoutHolidays(Date.now(), 120);
if (missing.length > 0) {
  log.warn('no holiday data for these years: reminders move off weekends only; add them to the holiday file', {
    years: missing,
    file: holidaysFile(config.ZHIBU_HOLIDAYS),
  });
}

const database = openServerDatabase(config);
const { db, migrated } = database;
if (migrated.from !== migrated.to) log.info(migrated.from ? 'database upgraded' : 'database created', { ...migrated });
if (realPeopleReach(config) && (await demoMembers(db)).length > 0) {
  refuseToStart(demoLeftMessage(PLATFORMS, 'npm run roster -- remove-demo'));
}
if (config.demo && (await seedDemo(db, Date.now(), ACCOUNT_COLUMNS))) {
  log.info('loaded the demo organisation (天宁区教育工委, two school branches)');
}
const loaded = await ensureDefaultCorpus(db);
if (loaded > 0) log.info('loaded the shipped policy documents into the knowledge base', { documents: loaded });

const background = new Background(log);
const bot = startBot(config, {
  db,
  log,
  version,
  schemaVersion: async () => database.schema,
  defer: (work) => background.run(work),
  clientAddress: (c) => getConnInfo(c).remote.address,
  rules,
  linkSecret: config.ZHIBU_LINK_SECRET ?? crypto.randomUUID(),
  connectors: CONNECTORS,
  richReader: nodeRichReader,
  fetch: keepAliveFetch,
});

const backupDir = backupDirFor(config.ZHIBU_DB, config.ZHIBU_BACKUP_DIR);
const scheduler = startScheduler(
  [
    { name: 'outbox', schedule: CRONS.everyMinute, run: () => bot.outbox.kick() },
    ...bot.jobs,
    dailyBackupJob(database.sqlite, backupDir, database.migrations, log),
  ].map((job) => ({ ...job, run: (now: Date) => background.track(job.run(now)) })),
  log,
);

const server = serve({ fetch: bot.app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  const base = `http://localhost:${info.port}`;
  // What fell due while the process was down: accepted callbacks, meeting deadlines, reminders.
  for (const job of bot.jobs) {
    if (job.schedule === CRONS.daily) continue;
    background.run(() => job.run(new Date()), { job: job.name });
  }
  log.info('zhibu started', {
    version,
    schema: database.schema,
    url: base,
    backups: backupDir,
    ...describeConfig(config),
  });
  // The lines a person at a terminal looks for; a log collector (json) has them in the event above.
  if (config.ZHIBU_LOG === 'text') {
    console.log(`支部助手已启动：${base}`);
    for (const line of bot.announce(base)) console.log(line);
  }
});

stopOnSignals(
  {
    async stopIntake() {
      scheduler.stop();
      await Promise.all([bot.stop(), closeHttpServer(server)]);
    },
    settle: () => background.idle(),
    close: () => database.close(),
  },
  log,
);

/**
 * The database, held for as long as the server runs and brought up to date; or one line saying
 * why ZHIBU_DB cannot be used, another process holds it, or the upgrade failed.
 */
function openServerDatabase(config: Config): OpenedSqlite {
  try {
    return openDatabase(config, { hold: true });
  } catch (err) {
    const refused = [DatabaseOpenError, DatabaseBusyError, MigrationError].some((e) => err instanceof e);
    if (refused) refuseToStart((err as Error).message);
    throw err;
  }
}

function refuseToStart(line: string): never {
  console.error(line);
  process.exit(1);
}
