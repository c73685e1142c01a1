// The contract between the core and what the bot does: a feature registers commands and card
// actions against these types and never sees a platform. The core imports it from here, below it.
import type { ChatKind, ChatRef, Output, PlatformId } from '../cards/message';
import type { Card, CardValues } from '../cards/model';
import type { AppDb } from '../storage/db';
import type { Member } from '../storage/people';
import type { Role } from '../storage/schema';

export interface Context {
  db: AppDb;
  now: Date;
  /** Where the message came from: a key for what is kept per chat or per person, never a branch. */
  platform: PlatformId;
  /** For a group: the organisation it is bound to, if any. */
  chat: ChatRef & { orgId: string | null; title: string | null };
  /** The sender's platform id. */
  sender: string;
  /** How to call someone outside the roster: the name the platform gave, else their platform id. */
  senderName: string;
  /** The sender in the roster; null for anyone else (any teacher may talk to the bot). */
  member: Member | null;
  /** Every feature, in routing order (the help card lists their commands). */
  features: readonly Feature[];
  audit(action: string, subject: string, detail?: unknown): Promise<void>;
  /** Sends to someone other than the sender, one to one, through the outbox (`key`: once). */
  notify(memberId: string, key: string, outputs: Output[]): Promise<number>;
  /** How many form items one card holds here. */
  formItemsPerCard: number;
  /** The same where `notify` reaches this member (a card sent there is built for it); here's when nowhere. */
  formItemsPerCardFor(memberId: string): Promise<number>;
  /** The ids that @-mention these members here (their accounts on this platform). */
  mentionsOf(memberIds: readonly string[]): Promise<string[]>;
}

export interface Command {
  /** The word that starts it, shown in help. */
  name: string;
  usage: string;
  summary: string;
  /** Matched against the normalised text. */
  match: RegExp;
  /** Who may use it; absent means everyone, people outside the roster too. */
  roles?: readonly Role[];
  /** Only in this kind of chat. */
  chat?: ChatKind;
  run(ctx: Context, match: RegExpMatchArray): Promise<Output[]>;
}

export interface Click {
  verb: string;
  arg: string | undefined;
  /** Checked against the card's inputs: only values the card offered. */
  values: CardValues;
  card: Card & { id: string };
}

export interface Feature {
  /** The action prefix of its cards' buttons, e.g. `help` for `help.topic:绑定`. */
  name: string;
  commands: Command[];
  actions?: Record<string, (ctx: Context, click: Click) => Promise<Output[]>>;
  /** Tried in feature order for text no command matched; null passes to the next. */
  fallback?: (ctx: Context, text: string) => Promise<Output[] | null>;
}
