// A whole bot with the WeCom self-built app configured, served on loopback, talking to the fake
// WeCom API; a callback client plays WeCom. Time is driven explicitly for the outbox.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../bot/app';
import { loadFormsDir } from '../../bot/cli/rule-files';
import { Assistant } from '../../bot/core/assistant';
import { Dispatcher, drainOutbox, type Sender } from '../../bot/core/delivery';
import { silentLogger } from '../../bot/core/log';
import { ACCOUNT_COLUMNS, PLATFORMS } from '../../bot/platforms';
import { wecom } from '../../bot/wecom';
import { buildFeatures } from '../../handlers';
import type { Feature } from '../../handlers/feature';
import type { LinkSigner } from '../../handlers/links';
import { seedDemo } from '../../storage/demo';
import { openSqlite } from '../../storage/sqlite';
import { AGENT_ID, CORP_ID, KEYS, WECOM_USERS as USERS, WECOM_SECRET, wecomAppEnv } from '../fakes/accounts';
import { startFakeWecomApi } from '../fakes/wecom-api';
import { WecomCallbackClient } from '../fakes/wecom-callback';
import { countSqliteStatements } from './statements';

/** The shipped self-check forms, read once. */
const FORMS = loadFormsDir('data/forms');

export { AGENT_ID, CORP_ID, KEYS, WECOM_USERS as USERS } from '../fakes/accounts';

export async function wecomHarness(
  opts: {
    extraFeatures?: Feature[];
    dropDeferred?: boolean;
    links?: LinkSigner;
    /** People the fake WeCom knows besides the demo's. */
    users?: string[];
  } = {},
) {
  let clock = Date.parse('2026-11-25T02:00:00Z');
  const now = () => clock;
  const users = [...USERS, ...(opts.users ?? [])];
  const api = await startFakeWecomApi({ corpId: CORP_ID, secret: WECOM_SECRET, agentId: AGENT_ID, users, now });
  const { db, sqlite, close } = openSqlite(':memory:');
  const statements = countSqliteStatements(sqlite);
  await seedDemo(db, clock, ACCOUNT_COLUMNS);
  const pending = new Set<Promise<unknown>>();
  const bot = new Assistant({
    db,
    features: [
      ...(opts.extraFeatures ?? []),
      ...buildFeatures(db, { forms: FORMS, ...(opts.links ? { links: opts.links } : {}) }),
    ],
    log: silentLogger,
    platforms: PLATFORMS,
    now: () => new Date(clock),
    defer: (thunk) => {
      if (opts.dropDeferred) return; // a process that dies right after answering
      const work = thunk();
      pending.add(work);
      void work.finally(() => pending.delete(work));
    },
  });
  // The WeCom platform as the configuration opens it: the app's callback, sender and page sign-in.
  const settings = wecom.settings.parse({
    ...wecomAppEnv(api.url),
  });
  const channel = wecom.open(settings, {
    db,
    log: silentLogger,
    now,
    clientAddress: () => '127.0.0.1',
    showAsText: (chat, cardId) => bot.showAsText(wecom.id, chat, cardId),
  });
  const sender = channel.sender as Sender;
  const dispatcher = new Dispatcher(
    'outbox',
    () => drainOutbox(db, { wecom: sender }, now, silentLogger),
    silentLogger,
  );
  const app = createApp({
    assistant: bot,
    log: silentLogger,
    version: 'test',
    channels: [{ id: wecom.id, channel }],
    platforms: PLATFORMS.map((p) => p.id),
    ...(opts.links ? { formPage: { forms: FORMS, secret: opts.links.secret } } : {}),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const port = (server.address() as AddressInfo).port;
  const client = new WecomCallbackClient({ url: `http://127.0.0.1:${port}/wecom/callback`, ...KEYS });

  /** Lets the background work finish and the outbox deliver what is due now. */
  async function settle(): Promise<void> {
    while (pending.size > 0) await Promise.allSettled([...pending]);
    await dispatcher.kick();
  }

  return {
    api,
    bot,
    db,
    client,
    port,
    settle,
    /** The SQL statements the bot has run so far. */
    statements,
    /** Moves the bot's and the fake WeCom's clock together. */
    advance(ms: number) {
      clock += ms;
    },
    async close() {
      await new Promise((r) => server.close(r));
      await api.close();
      close();
    },
  };
}
