// The simulator's conversations, kept in the database so that either runtime serves them: what
// members said and clicked and what the bot answered or sent on its own, per chat (a group's for
// all its members, a person's one-to-one for them), the last SIM_HISTORY_KEPT of each.
import { and, desc, eq, gt, lte } from 'drizzle-orm';
import type { ChatRef, Output } from '../cards/message';
import { type AppDb, underParamLimit } from './db';
import { simMessages } from './schema';

/** How many messages of one chat are kept (older ones are deleted as new ones come). */
export const SIM_HISTORY_KEPT = 200;

/** What a member did in the chat, or what the bot said in it. */
export type SimPayload = { type: 'said'; text: string } | { type: 'clicked'; label: string } | Output;

export interface SimEntry {
  /** Increases with each message of the database: a reader asks for those after the last it saw. */
  seq: number;
  at: number;
  /** Who said or clicked it; null for the bot. */
  author: { id: string; name: string } | null;
  payload: SimPayload;
}

export async function addToHistory(
  db: AppDb,
  chat: ChatRef,
  entries: readonly { author: SimEntry['author']; payload: SimPayload }[],
  at: number,
): Promise<void> {
  if (entries.length === 0) return;
  const inserts = underParamLimit(entries, (rows) =>
    db.insert(simMessages).values(
      rows.map((e) => ({
        chatKind: chat.kind,
        chatId: chat.id,
        authorId: e.author?.id ?? null,
        authorName: e.author?.name ?? null,
        payload: e.payload,
        at,
      })),
    ),
  );
  for (const insert of inserts) await insert;
  const [oldest] = await db
    .select({ id: simMessages.id })
    .from(simMessages)
    .where(and(eq(simMessages.chatKind, chat.kind), eq(simMessages.chatId, chat.id)))
    .orderBy(desc(simMessages.id))
    .limit(1)
    .offset(SIM_HISTORY_KEPT);
  if (oldest)
    await db
      .delete(simMessages)
      .where(and(eq(simMessages.chatKind, chat.kind), eq(simMessages.chatId, chat.id), lte(simMessages.id, oldest.id)));
}

/** A chat's kept messages after `after` (a seq a reader saw), oldest first. */
export async function historyOf(db: AppDb, chat: ChatRef, after = 0): Promise<SimEntry[]> {
  const rows = await db
    .select()
    .from(simMessages)
    .where(and(eq(simMessages.chatKind, chat.kind), eq(simMessages.chatId, chat.id), gt(simMessages.id, after)))
    .orderBy(desc(simMessages.id))
    .limit(SIM_HISTORY_KEPT);
  return rows.reverse().map((r) => ({
    seq: r.id,
    at: r.at,
    author: r.authorId ? { id: r.authorId, name: r.authorName ?? r.authorId } : null,
    payload: r.payload as SimPayload,
  }));
}
