// The card last shown as numbered text in each chat.

import { and, eq } from 'drizzle-orm';
import type { PlatformId } from '../cards/message';
import type { AppDb } from './db';
import { textCards } from './schema';

export async function rememberTextCard(
  db: AppDb,
  platform: PlatformId,
  chatId: string,
  cardId: string,
  at: number,
): Promise<void> {
  await db
    .insert(textCards)
    .values({ platform, chatId, cardId, at })
    .onConflictDoUpdate({ target: [textCards.platform, textCards.chatId], set: { cardId, at } });
}

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
