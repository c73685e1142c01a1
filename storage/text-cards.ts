// The card last shown as numbered text in each chat.

import { and, eq, sql } from 'drizzle-orm';
import type { PlatformId } from '../cards/message';
import { type AppDb, preparedOn } from './db';
import { textCards } from './schema';

export async function rememberTextCard(
  db: AppDb,
  platform: PlatformId,
  chatId: string,
  cardId: string,
  at: number,
): Promise<void> {
  await storeTextCard(db).run({ platform, chatId, cardId, at });
}

const storeTextCard = preparedOn((db) =>
  db
    .insert(textCards)
    .values({
      platform: sql.placeholder('platform'),
      chatId: sql.placeholder('chatId'),
      cardId: sql.placeholder('cardId'),
      at: sql.placeholder('at'),
    })
    .onConflictDoUpdate({
      target: [textCards.platform, textCards.chatId],
      set: { cardId: sql`excluded.card_id`, at: sql`excluded.at` },
    })
    .prepare(),
);

export async function textCardIn(
  db: AppDb,
  platform: PlatformId,
  chatId: string,
): Promise<{ cardId: string; at: number } | undefined> {
  const [row] = await db
    .select({ cardId: textCards.cardId, at: textCards.at })
    .from(textCards)
    .where(and(eq(textCards.platform, platform), eq(textCards.chatId, chatId)));
  return row;
}
