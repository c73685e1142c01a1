// The platform-neutral conversation model. Channel adapters translate their platform's payloads
// into these types and back; handlers see nothing else.
import type { Platform } from '../storage/schema';
import type { Card, CardValues } from './model';

export type { Platform };
/** A platform's id, as the registry knows it (`identities.platform`, `outbox.platform`…). */
export type PlatformId = Platform;
export type ChatKind = 'direct' | 'group';

/** Where a conversation happens. For a direct chat the id is the other person's platform id. */
export interface ChatRef {
  kind: ChatKind;
  id: string;
}

/** A message a person sent to the bot (in a group: one that @-mentions it). */
export interface Incoming {
  platform: Platform;
  chat: ChatRef;
  /** The sender's id on the platform (WeCom userid, DingTalk staffId, simulator member id). */
  sender: string;
  /** The sender's display name, when the platform tells it (DingTalk's senderNick). */
  senderName?: string;
  /** Text with the bot's own @-mention removed. */
  text: string;
  /** Platform ids of the other people @-mentioned. */
  mentions: string[];
  /** The platform's id of this message: the de-duplication key. */
  messageId: string;
  /** The group's name, when the platform tells it. */
  chatTitle?: string;
}

/** A click on a card button, with what the card's inputs held at the time. */
export interface CardClick {
  platform: Platform;
  sender: string;
  /** The sender's display name, when the platform tells it. */
  senderName?: string;
  cardId: string;
  action: string;
  values: CardValues;
  /** The platform's id of this click event: the de-duplication key. */
  eventId: string;
}

/** What the bot says back. */
export type Output =
  | { type: 'text'; text: string; mentions?: string[] }
  | { type: 'card'; card: Card }
  /** Replaces a card already sent; `card.id` names it. */
  | { type: 'card-update'; card: Card & { id: string } };

/** The commonest answer: one line of text (mentioning people, where the platform can @). */
export const say = (text: string, mentions?: string[]): Output[] => [
  { type: 'text', text, ...(mentions ? { mentions } : {}) },
];
