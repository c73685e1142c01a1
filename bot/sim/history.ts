// The simulator's chats as a platform keeps them: each message and click the API takes, what the
// bot answered, and what it sent on its own (the sim sender) go into the chat's history, which
// the page reads. A group's history is the group's, so every member who opens it sees the same.

import type { ChatRef, Output } from '../../cards/message';
import type { StoredCard } from '../../storage/cards';
import type { AppDb } from '../../storage/db';
import { memberById } from '../../storage/people';
import { addToHistory, historyOf, type SimEntry } from '../../storage/sim-history';
import { renderSim, type SimOutput } from './cards';

const GUEST = /^guest:(.+)$/;

async function authorOf(db: AppDb, sender: string): Promise<{ id: string; name: string }> {
  const guest = sender.match(GUEST)?.[1];
  return { id: sender, name: guest ?? (await memberById(db, sender))?.name ?? sender };
}

export const answers = (outputs: Output[]) => outputs.map((payload) => ({ author: null, payload }));

/**
 * A message and the bot's answer, into the chat's history. A platform's retry is answered with
 * nothing and shown once, so a message without an answer is not recorded again.
 */
export async function recordMessage(
  db: AppDb,
  chat: ChatRef,
  sender: string,
  text: string,
  outputs: Output[],
  at: number,
): Promise<void> {
  if (outputs.length === 0) return;
  const said = { author: await authorOf(db, sender), payload: { type: 'said' as const, text } };
  await addToHistory(db, chat, [said, ...answers(outputs)], at);
}

/** A click on a card (as it was before the click) and the bot's answer, into the card's chat. */
export async function recordClick(
  db: AppDb,
  card: StoredCard | undefined,
  sender: string,
  action: string,
  outputs: Output[],
  at: number,
): Promise<void> {
  if (card?.platform !== 'sim' || outputs.length === 0) return;
  const label = card.card.buttons?.find((b) => b.action === action)?.label ?? action;
  const clicked = { author: await authorOf(db, sender), payload: { type: 'clicked' as const, label } };
  await addToHistory(db, { kind: card.chatKind, id: card.chatId }, [clicked, ...answers(outputs)], at);
}

export type SimHistoryEntry = Omit<SimEntry, 'payload'> &
  (SimOutput | { type: 'said'; text: string } | { type: 'clicked'; label: string });

/** A chat's history as the page shows it: bot outputs rendered as the simulator renders them. */
export async function readHistory(db: AppDb, chat: ChatRef, after: number): Promise<SimHistoryEntry[]> {
  return (await historyOf(db, chat, after)).map(({ payload, ...entry }) =>
    payload.type === 'said' || payload.type === 'clicked'
      ? { ...entry, ...payload }
      : { ...entry, ...renderSim(payload) },
  );
}
