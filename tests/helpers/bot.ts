// A whole bot on an in-memory database with the demo organisation, driven through the
// simulator's HTTP API exactly as the page and operators drive it.
import { createApp } from '../../bot/app';
import { ensureDefaultCorpus } from '../../bot/cli/corpus';
import { nodeRichReader } from '../../bot/cli/documents';
import { loadHolidaysFile } from '../../bot/cli/holidays-file';
import { loadDutiesFile, loadFormsDir } from '../../bot/cli/rule-files';
import { Assistant } from '../../bot/core/assistant';
import { silentLogger } from '../../bot/core/log';
import type { Channel, PageSignIn } from '../../bot/core/platform';
import { ACCOUNT_COLUMNS, PLATFORMS } from '../../bot/platforms';
import { sim } from '../../bot/sim';
import type { SimCard, SimOutput } from '../../bot/sim/cards';
import type { PlatformId } from '../../cards/message';
import { useHolidays } from '../../domain/calendar';
import { buildFeatures } from '../../handlers';
import { meetingsWorkbook } from '../../handlers/checkin/workbook';
import type { Feature } from '../../handlers/feature';
import type { LinkSigner } from '../../handlers/links';
import { formLink } from '../../handlers/selfcheck/web';
import type { AppDb } from '../../storage/db';
import { seedDemo } from '../../storage/demo';
import { startDraft } from '../../storage/form-entries';
import { orgsNamed } from '../../storage/orgs';
import { openSqlite } from '../../storage/sqlite';

/** The shipped self-check forms, read once. */
const FORMS = loadFormsDir('data/forms');
// The shipped holiday file, as a deployment that changed nothing starts with it.
useHolidays(loadHolidaysFile('data/holidays.json'));

export interface TestBotOptions {
  now?: () => Date;
  /** A database file, to restart a bot on what an earlier one stored (default: in memory). */
  dbPath?: string;
  clientAddress?: string;
  demo?: boolean;
  /** Load the shipped policy documents (the Q&A knowledge base). */
  corpus?: boolean;
  /** Features tried before the product's own (tests of channel mechanics). */
  extraFeatures?: Feature[];
  /** Download links for 导出会议记录, served by the app. */
  links?: LinkSigner;
  /** Who opened the web form page, by platform (the platforms' H5 sign-ins). */
  signIn?: Partial<Record<PlatformId, PageSignIn>>;
  /** The form page is served over https (its cookie is Secure). */
  secureCookie?: boolean;
  /** The platforms that can deliver (default: all). */
  channels?: PlatformId[];
  /** Runs work after the response (default: at once, in the background). */
  defer?: (work: () => Promise<unknown>) => void;
  /** The console's .docx/.pdf reader; null plays Workers, which has none (default: Node's). */
  richReader?: null;
}

export async function testBot(opts: TestBotOptions = {}) {
  const { db, schema, close } = openSqlite(opts.dbPath ?? ':memory:');
  if (opts.demo !== false) await seedDemo(db, Date.parse('2026-11-02T01:00:00Z'), ACCOUNT_COLUMNS);
  if (opts.corpus) await ensureDefaultCorpus(db);
  const bot = new Assistant({
    db,
    features: [
      ...(opts.extraFeatures ?? []),
      ...buildFeatures(db, {
        duties: presetDuties(),
        forms: FORMS,
        ...(opts.links ? { links: opts.links } : {}),
      }),
    ],
    log: silentLogger,
    platforms: PLATFORMS,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.channels ? { delivering: opts.channels } : {}),
    ...(opts.defer ? { defer: opts.defer } : {}),
  });
  const simulator = sim.open(
    {},
    {
      db,
      log: silentLogger,
      now: () => bot.now().getTime(),
      clientAddress: () => opts.clientAddress ?? '127.0.0.1',
      showAsText: (chat, cardId) => bot.showAsText(sim.id, chat, cardId),
    },
  );
  // Other platforms take part only through the sign-ins a test gives.
  const signIns = Object.entries(opts.signIn ?? {}).map(([id, pageSignIn]) => ({
    id,
    channel: { ...(pageSignIn ? { pageSignIn } : {}) } satisfies Channel,
  }));
  const app = createApp({
    assistant: bot,
    log: silentLogger,
    version: 'test',
    schemaVersion: async () => schema,
    channels: [{ id: sim.id, channel: simulator }, ...signIns],
    platforms: PLATFORMS.map((p) => p.id),
    ...(opts.links
      ? {
          files: { secret: opts.links.secret, meetingsWorkbook: workbookBytes(db) },
          formPage: {
            forms: FORMS,
            secret: opts.links.secret,
            ...(opts.secureCookie ? { secureCookie: true } : {}),
          },
          console: {
            secret: opts.links.secret,
            duties: presetDuties(),
            forms: FORMS,
            accountColumns: ACCOUNT_COLUMNS,
            ...(opts.richReader === null ? {} : { richReader: nodeRichReader }),
          },
        }
      : {}),
  });

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { outputs: SimOutput[]; error?: string } };
  }

  /** Sends a message as a member (id, name or `guest:名字`); returns what the bot answered. */
  async function say(member: string, chat: string, text: string, id?: string): Promise<SimOutput[]> {
    const res = await post('/sim/api/message', { member, chat, text, ...(id ? { id } : {}) });
    if (res.status !== 200) throw new Error(`message refused ${res.status}: ${res.body.error}`);
    return res.body.outputs;
  }

  async function click(member: string, card: string, action: string, values: Record<string, unknown> = {}) {
    const res = await post('/sim/api/action', { member, card, action, values });
    if (res.status !== 200) throw new Error(`click refused ${res.status}: ${res.body.error}`);
    return res.body.outputs;
  }

  return { db, bot, app, close, post, say, click };
}

function workbookBytes(db: AppDb) {
  return async (orgId: string, from: number, to: number) => {
    const book = await meetingsWorkbook(db, orgId, 'test', from, to);
    return { name: '会议台账.xlsx', bytes: (await book.xlsx.writeBuffer()) as ArrayBuffer };
  };
}

/**
 * The path of a link to a fresh self-check draft (分类定级) of a branch, made for one person on one
 * platform, as the bot sends it in chat.
 */
export async function formPagePath(
  db: AppDb,
  links: LinkSigner,
  branch: string,
  platform: PlatformId,
  sender: string,
  period = '2026',
): Promise<string> {
  const [org] = await orgsNamed(db, branch);
  const entry = await startDraft(db, {
    formId: 'grading',
    orgId: org?.id ?? '',
    period,
    answers: {},
    by: 't',
    now: Date.now(),
  });
  const url = new URL(await formLink(links, entry, platform, sender, Date.now()));
  return `${url.pathname}${url.search}`;
}

export function cardsIn(outputs: SimOutput[]): SimCard[] {
  return outputs.flatMap((o) => (o.type === 'text' ? [] : [o.card]));
}

export function textsIn(outputs: SimOutput[]): string[] {
  return outputs.flatMap((o) => (o.type === 'text' ? [o.text] : []));
}

/** The shipped duty rules, as a deployment that changed nothing runs them. */
export function presetDuties() {
  return loadDutiesFile('data/duties.json');
}
