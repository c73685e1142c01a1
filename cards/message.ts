// The platform-neutral conversation model. Adapters translate their platform's payloads into
// these types and back; handlers see nothing else. It imports nothing but the card model, so
// every layer may use it.
import type { Card, CardValues } from './model';

/** A platform's id as the registry knows it (the `platform` columns, signed links): opaque elsewhere. */
export type PlatformId = string;
export type ChatKind = 'direct' | 'group';

/** Where a conversation happens. For a direct chat the id is the other person's platform id. */
export interface ChatRef {
  kind: ChatKind;
  id: string;
}

/** A message a person sent to the bot (in a group: one that @-mentions it). */
export interface Incoming {
  platform: PlatformId;
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

/**
 * A click on a card button as the platform reports it: the button and the inputs under the keys
 * its renderer gave them (WeCom: `b0`, options `o3`), which the platform reads back through the
 * stored card (PlatformAdapter.readClick).
 */
export interface CardClick {
  platform: PlatformId;
  sender: string;
  /** The sender's display name, when the platform tells it. */
  senderName?: string;
  cardId: string;
  button: string;
  values: CardValues;
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

/** Of a click's answer, the update of the clicked card (a platform may carry it in its response) and the rest. */
export function updateOf(
  cardId: string,
  outputs: Output[],
): { update: Extract<Output, { type: 'card-update' }> | undefined; rest: Output[] } {
  const update = outputs.find(
    (o): o is Extract<Output, { type: 'card-update' }> => o.type === 'card-update' && o.card.id === cardId,
  );
  return { update, rest: outputs.filter((o) => o !== update) };
}
