import { and, eq } from 'drizzle-orm';
import type { PlatformId } from '../cards/message';
import type { AppDb } from './db';
import { chats } from './schema';

export type Chat = typeof chats.$inferSelect;

export async function chatById(db: AppDb, platform: PlatformId, chatId: string): Promise<Chat | undefined> {
  const [row] = await db
    .select()
    .from(chats)
    .where(and(eq(chats.platform, platform), eq(chats.chatId, chatId)));
  return row;
}

/** Remembers a group the bot has heard from; keeps a binding that already exists. */
export async function rememberChat(
  db: AppDb,
  platform: PlatformId,
  chatId: string,
  title: string | undefined,
  now: number,
): Promise<Chat> {
  await db
    .insert(chats)
    .values({ platform, chatId, title: title ?? null, createdAt: now })
    .onConflictDoNothing();
  if (title) {
    await db
      .update(chats)
      .set({ title })
      .where(and(eq(chats.platform, platform), eq(chats.chatId, chatId)));
  }
  const chat = await chatById(db, platform, chatId);
  if (!chat) throw new Error(`chat ${platform}/${chatId} vanished`);
  return chat;
}

export function bindChatQuery(db: AppDb, platform: PlatformId, chatId: string, orgId: string, by: string, now: number) {
  return db
    .update(chats)
    .set({ orgId, boundBy: by, boundAt: now })
    .where(and(eq(chats.platform, platform), eq(chats.chatId, chatId)));
}

export async function chatsOf(db: AppDb, platform: PlatformId): Promise<Chat[]> {
  return db.select().from(chats).where(eq(chats.platform, platform)).orderBy(chats.createdAt, chats.chatId);
}
