// The seam between the core and a platform. A platform is one folder, bot/<id>/, whose index
// exports a PlatformAdapter; the registry (bot/platforms.ts) lists them. The core reads the
// adapter's fixed half (settings, identities, card limits, how clicks read back) for every
// platform registered, and opens its live half (routes, sender, page sign-in) for those the
// configuration turns on. Adapters only translate: accept → resolve → route → keep cards →
// reply or outbox is the core's, once (assistant.ts).
import type { Hono, Context as HonoContext } from 'hono';
import type { z } from 'zod';
import type { CardClick, ChatRef, Incoming, Output, PlatformId } from '../../cards/message';
import type { Card, CardValues } from '../../cards/model';
import type { AppDb } from '../../storage/db';
import type { AccountColumn } from '../../storage/roster';
import type { TokenStore } from '../../storage/tokens';
import type { Sender } from './delivery';
import type { Logger } from './log';

export interface PlatformAdapter<Settings = unknown> {
  /** Its id in the database's platform columns and in signed links, e.g. `wecom`. */
  readonly id: PlatformId;
  /** Its name for people, in messages such as a configuration error, e.g. 企业微信. */
  readonly name: string;
  /** Its environment variables, parsed with the rest of the configuration (a bad one stops start-up, named). */
  readonly settings: z.ZodType<Settings>;
  /** Variables that only work together: what they set up, and their names. */
  readonly together?: readonly (readonly [string, readonly string[]])[];
  /** Whether these settings turn it on; `alone`: only while no other platform is on (the simulator). */
  enabled(settings: Settings): boolean | 'alone';
  /** Whether it can send on the bot's own initiative; where it cannot, a person there is unreachable. */
  delivers(settings: Settings): boolean;
  /** What the start-up log may say of its settings: never a secret. */
  describe(settings: Settings): Record<string, unknown>;
  /** How its people are known: by the account id their roster row gives in its column, or by member id. */
  readonly people: { column: Omit<AccountColumn, 'platform'> } | 'member-id';
  /** Its sender delivers inside this process's database, nothing leaves it (the simulator): a command may deliver at once. */
  readonly inProcess?: boolean;
  /** Form items one card holds here: a self-check section longer than this turns a page. */
  readonly formItemsPerCard: number;
  /**
   * A click as the platform reports it → the card's action and input values (the renderer's
   * keys read back through the stored card); null for a button the card does not have.
   * Absent: the platform names the action and the values as they are.
   */
  readClick?(card: Card, click: CardClick): { action: string; values: CardValues } | null;
  /** Its live side, for one configuration on one runtime. */
  open(settings: Settings, deps: ChannelDeps): Channel;
}

/** What the core and the runtime give a platform's live side. */
export interface ChannelDeps {
  db: AppDb;
  log: Logger;
  now: () => number;
  /** Who is calling (an IP address), as the runtime tells it. */
  clientAddress: ClientAddress;
  /** A card went out as numbered text in this chat: replies `1`, `2 …` there click it. */
  showAsText(chat: ChatRef, cardId: string): Promise<void>;
  /** The connection the runtime holds open for this platform (Node), when there is one. */
  connection?: LongConnection | undefined;
  /** Where its access tokens are kept between invocations (Workers: D1); absent: in memory. */
  tokens?: (name: string) => TokenStore;
  /** How its API calls go out (Node: kept-open connections); absent: the runtime's fetch. */
  fetch?: typeof fetch;
}

export type ClientAddress = (c: HonoContext) => string | undefined;

export interface Channel {
  /** Mounts what it serves (callbacks, pages) on the app; the inlet takes what arrives. */
  routes?(app: Hono, inlet: Inlet): void;
  /** Delivers the outbox's sends to this platform. */
  sender?: Sender;
  /** Who opened a web page from a link sent here (WeCom OAuth, DingTalk 免登), where the platform can tell. */
  pageSignIn?: PageSignIn;
  /** The pages it serves, by path, as written: their own inline script and style run (allowed by hash). */
  pages?: Record<string, readonly string[]>;
  /** Path prefixes whose responses hold personal data: never cached. */
  noStore?: readonly string[];
  /** A line for the console once the server listens (e.g. where to open the simulator). */
  announce?(baseUrl: string): string;
}

/** A connection a platform keeps open to receive (Node only): made by the runtime, handed to `open`. */
export interface LongConnection {
  start(inlet: Inlet): void;
  stop(): Promise<void> | void;
  /** Sends over it, where the platform lets the bot send that way. */
  sender?: Sender;
}

/** What the runtime gives a long connection. */
export type ConnectionDeps = Pick<ChannelDeps, 'log' | 'showAsText'>;

/** How a platform's long connection is made, where a runtime can hold one (Node: bot/platforms-node.ts). */
export interface LongConnector<Settings = unknown> {
  platform: PlatformId;
  /** The connection these settings ask for; undefined when they ask for none. */
  connect(settings: Settings, deps: ConnectionDeps): LongConnection | undefined;
}

/** A message or a click as an adapter decoded it: its de-duplication key and what its answer needs. */
export type Inbound =
  | { key: string; message: Incoming; click?: never; context?: unknown }
  | { key: string; click: CardClick; message?: never; context?: unknown };

/** What a platform's response to an event carries, and what it leaves to the outbox. */
export interface Reply<Body> {
  body: Body;
  /** Outputs the response cannot carry: sent to where the answer goes (the chat; a clicker one to one). */
  rest?: Output[];
  /** Further sends the response implies, each under its own key (e.g. telling people one to one). */
  also?: { to: ChatRef; key: string; outputs: Output[] }[];
  /** Cards the response shows as numbered text. */
  asText?: string[];
}

/** How an adapter hands the core what arrived. */
export interface Inlet {
  /**
   * Stores the event before the platform hears back; the answer goes out later through the outbox
   * (to the chat; to a clicker one to one), `context` kept for the sender. False for a retry.
   */
  queue(event: Inbound): Promise<boolean>;
  /** Takes the event once and answers it now: `reply` says what the platform's response carries. Null for a retry. */
  answer<Body>(event: Inbound, reply: (outputs: Output[]) => Reply<Body>): Promise<Body | null>;
  /** Records a key of a platform's, durably (e.g. a signature taken once); false when it came before. */
  firstUse(platform: PlatformId, key: string): Promise<boolean>;
  now(): Date;
}

/**
 * A platform's H5 sign-in: how the browser gets a code back to the page (WeCom: a redirect through
 * OAuth; DingTalk: a page whose JSAPI asks the client for a 免登 code), and whose code it is.
 */
export interface PageSignIn {
  begin(page: string): { redirect: string } | { html: string };
  userId(code: string): Promise<string | null>;
}

/** The roster's account columns of these platforms, in their order. */
export function accountColumns(platforms: readonly PlatformAdapter[]): AccountColumn[] {
  return platforms.flatMap((p) => (p.people === 'member-id' ? [] : [{ platform: p.id, ...p.people.column }]));
}
