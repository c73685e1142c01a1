import { eq } from 'drizzle-orm';
import type { PlatformId } from '../cards/message';
import type { Card } from '../cards/model';
import { type AppDb, underParamLimit } from './db';
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

export async function cardById(db: AppDb, id: string): Promise<StoredCard | undefined> {
  const [row] = await db.select().from(cards).where(eq(cards.id, id));
  if (!row) return undefined;
  return { id: row.id, platform: row.platform, chatKind: row.chatKind, chatId: row.chatId, card: row.content as Card };
}

export async function replaceCard(db: AppDb, id: string, card: Card, now: number): Promise<void> {
  await db.update(cards).set({ content: card, updatedAt: now }).where(eq(cards.id, id));
}
