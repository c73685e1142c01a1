// The one start-up, for both runtimes: an entry (bot/node.ts, bot/worker.ts) reads what its runtime
// differs in (the database, how work runs after a response, the long connections it can hold,
// where the rules come from) and hands it here; here the platforms on are opened, the assistant,
// the outbox, the app and the jobs are built from them, in that order. Runtime-neutral.
import type { ChatRef, PlatformId } from '../cards/message';
import { scheduledJobs } from '../cron/jobs';
import type { Duty } from '../domain/duties';
import type { FormDefinition } from '../domain/forms';
import { buildFeatures } from '../handlers';
import { meetingsWorkbook } from '../handlers/checkin/workbook';
import type { Feature } from '../handlers/feature';
import type { AppDb } from '../storage/db';
import { orgById } from '../storage/orgs';
import type { TokenStore } from '../storage/tokens';
import { createApp } from './app';
import { type Config, deliveringPlatforms, llmConfig, platformsOn } from './config';
import { Assistant } from './core/assistant';
import type { Budget } from './core/budget';
import { Dispatcher, drainOutbox, type Sender } from './core/delivery';
import type { Logger } from './core/log';
import { accountColumns, type ClientAddress, type LongConnection, type LongConnector } from './core/platform';
import type { RichReader } from './files';

/** The rules in force: the self-check forms and the recurring duties. */
export interface Rules {
  forms: readonly FormDefinition[];
  duties: readonly Duty[];
}

export interface Runtime {
  db: AppDb;
  log: Logger;
  version: string;
  /** The database's schema version (the newest applied migration), for /healthz. */
  schemaVersion?: () => Promise<string | null>;
  /** Runs work after the response: in the background on Node, through ctx.waitUntil on Workers. */
  defer(work: () => Promise<unknown>): void;
  /** Who is calling, as the runtime tells it. */
  clientAddress: ClientAddress;
  rules: Rules;
  /** Signs download and form-page links; without it neither is served. */
  linkSecret?: string | undefined;
  /** The long connections this runtime can hold (Node: bot/platforms-node.ts). */
  connectors?: readonly LongConnector[];
  /** Reads .docx and .pdf uploads in the console (Node); absent, they are refused with a reason. */
  richReader?: RichReader;
  /** Features built before (the Worker keeps them for the isolate's life); default: built here. */
  features?: Feature[];
  /** The clock (tests drive it). */
  now?: () => Date;
  /** What this invocation may still do (a Worker's statements and seconds); absent: no limit. */
  budget?: Budget;
  /** Drain the outbox as soon as a send is queued (default); a Worker's scheduled run drains once, after its jobs. */
  drainOnQueue?: boolean;
  /** Where platforms keep their access tokens between invocations (Workers: D1); absent: in memory. */
  tokens?: (name: string) => TokenStore;
  /** How the platforms' API calls go out (Node: bot/server/keep-alive-fetch.ts); absent: the global fetch. */
  fetch?: typeof fetch;
}

/** The features with this configuration: links signed where the bot has a public address. */
export function featuresFor(config: Config, db: AppDb, rules: Rules, linkSecret?: string): Feature[] {
  const llm = llmConfig(config);
  const links =
    config.ZHIBU_PUBLIC_URL && linkSecret ? { baseUrl: config.ZHIBU_PUBLIC_URL, secret: linkSecret } : undefined;
  return buildFeatures(db, { ...(llm ? { llm } : {}), ...(links ? { links } : {}), ...rules });
}

export function startBot(config: Config, runtime: Runtime) {
  const { db, log, defer } = runtime;
  const clock = runtime.now ?? (() => new Date());
  const now = () => clock().getTime();
  const assistant = new Assistant({
    db,
    features: runtime.features ?? featuresFor(config, db, runtime.rules, runtime.linkSecret),
    log,
    platforms: config.platforms.map((p) => p.adapter),
    delivering: deliveringPlatforms(config),
    defer,
    now: clock,
    ...(runtime.budget ? { budget: runtime.budget } : {}),
    ...(runtime.drainOnQueue === false ? {} : { onQueued: () => defer(() => outbox.kick()) }),
  });

  const connections: LongConnection[] = [];
  const channels = platformsOn(config).map(({ adapter, settings }) => {
    const showAsText = (chat: ChatRef, cardId: string) => assistant.showAsText(adapter.id, chat, cardId);
    const connector = runtime.connectors?.find((c) => c.platform === adapter.id);
    const connection = connector?.connect(settings, { log, showAsText });
    if (connection) connections.push(connection);
    const deps = {
      db,
      log,
      now,
      clientAddress: runtime.clientAddress,
      showAsText,
      connection,
      ...(runtime.tokens ? { tokens: runtime.tokens } : {}),
      ...(runtime.fetch ? { fetch: runtime.fetch } : {}),
    };
    return { id: adapter.id, channel: adapter.open(settings, deps) };
  });
  const senders: Record<PlatformId, Sender> = {};
  for (const { id, channel } of channels) if (channel.sender) senders[id] = channel.sender;
  const outbox = new Dispatcher('outbox', () => drainOutbox(db, senders, now, log, runtime.budget), log);

  const secret = runtime.linkSecret;
  // Served at an https address: cookies are Secure (the proxy in front may speak http to us).
  const secureCookie = config.ZHIBU_PUBLIC_URL?.startsWith('https:') ?? false;
  const app = createApp({
    assistant,
    log,
    version: runtime.version,
    ...(runtime.schemaVersion ? { schemaVersion: runtime.schemaVersion } : {}),
    channels,
    platforms: config.platforms.map((p) => p.adapter.id),
    ...(secret
      ? {
          files: { secret, meetingsWorkbook: workbookOf(db) },
          formPage: { forms: runtime.rules.forms, secret, secureCookie },
          console: {
            secret,
            secureCookie,
            duties: runtime.rules.duties,
            forms: runtime.rules.forms,
            accountColumns: accountColumns(config.platforms.map((p) => p.adapter)),
            ...(runtime.richReader ? { richReader: runtime.richReader } : {}),
          },
        }
      : {}),
  });
  for (const connection of connections) connection.start(assistant);

  return {
    assistant,
    app,
    /** Delivers what the outbox holds; a kick during a drain runs another after it. */
    outbox,
    jobs: scheduledJobs(assistant, db, runtime.rules.duties),
    /** Lines for the console once the server listens at `baseUrl`. */
    announce: (baseUrl: string) => channels.flatMap(({ channel }) => channel.announce?.(baseUrl) ?? []),
    /** Closes the long connections. */
    stop: () => Promise.all(connections.map((c) => c.stop())),
  };
}

/** The meeting record workbook of an organisation, as a download. */
function workbookOf(db: AppDb) {
  return async (orgId: string, from: number, to: number) => {
    const org = await orgById(db, orgId);
    const book = await meetingsWorkbook(db, orgId, org?.name ?? '', from, to);
    const bytes = (await book.xlsx.writeBuffer()) as ArrayBuffer;
    return { name: `会议台账-${org?.name ?? ''}.xlsx`, bytes };
  };
}
