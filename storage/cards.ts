import { eq, sql } from 'drizzle-orm';
import type { PlatformId } from '../cards/message';
import type { Card } from '../cards/model';
import { type AppDb, preparedOn, underParamLimit } from './db';
import { cards } from './schema';

export interface StoredCard {
  id: string;
  platform: PlatformId;
  chatKind: 'direct' | 'group';
  chatId: string;
  card: Card;
}

/** Stores new cards; one already stored under an id stays as it is (planning again names the same card). */
export async function saveCards(db: AppDb, list: StoredCard[], now: number): Promise<void> {
  // An answer's one card: a prepared statement; a fan-out's cards in multi-row statements.
  const [only] = list;
  if (list.length === 1 && only) {
    await storeOne(db).run({ ...only, content: only.card, now });
    return;
  }
  const inserts = underParamLimit(list, (rows) =>
    db
      .insert(cards)
      .values(
        rows.map((c) => ({
          id: c.id,
          platform: c.platform,
          chatKind: c.chatKind,
          chatId: c.chatId,
          content: c.card,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoNothing(),
  );
  for (const insert of inserts) await insert;
}

const storeOne = preparedOn((db) => {
  const p = (name: string) => sql.placeholder(name);
  return db
    .insert(cards)
    .values({
      id: p('id'),
      platform: p('platform'),
      chatKind: p('chatKind'),
      chatId: p('chatId'),
      content: p('content'),
      createdAt: p('now'),
      updatedAt: p('now'),
    })
    .onConflictDoNothing()
    .prepare();
});

export async function cardById(db: AppDb, id: string): Promise<StoredCard | undefined> {
  const [row] = await cardOfId(db).all({ id });
  if (!row) return undefined;
  return { id: row.id, platform: row.platform, chatKind: row.chatKind, chatId: row.chatId, card: row.content as Card };
}

const cardOfId = preparedOn((db) =>
  db
    .select()
    .from(cards)
    .where(eq(cards.id, sql.placeholder('id')))
    .prepare(),
);

export async function replaceCard(db: AppDb, id: string, card: Card, now: number): Promise<void> {
  await db.update(cards).set({ content: card, updatedAt: now }).where(eq(cards.id, id));
}
