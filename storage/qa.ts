// Answers the bot gave and the 有用/没用 votes on them.
import { and, desc, eq } from 'drizzle-orm';
import type { AppDb } from './db';
import { type Platform, qaAnswers, qaFeedback } from './schema';

export type StoredAnswer = typeof qaAnswers.$inferSelect;

export async function saveAnswer(db: AppDb, row: StoredAnswer): Promise<void> {
  await db.insert(qaAnswers).values(row);
}

export async function answerById(db: AppDb, id: string): Promise<StoredAnswer | undefined> {
  const [row] = await db.select().from(qaAnswers).where(eq(qaAnswers.id, id));
  return row;
}

/** The last answer this person was given on this platform. */
export async function lastAnswerTo(db: AppDb, platform: Platform, sender: string): Promise<StoredAnswer | undefined> {
  const [row] = await db
    .select()
    .from(qaAnswers)
    .where(and(eq(qaAnswers.platform, platform), eq(qaAnswers.sender, sender)))
    .orderBy(desc(qaAnswers.askedAt))
    .limit(1);
  return row;
}

/** One vote per person per answer: a second click replaces the first. */
export async function vote(db: AppDb, answerId: string, sender: string, useful: boolean, at: number): Promise<void> {
  await db
    .insert(qaFeedback)
    .values({ answerId, sender, useful, at })
    .onConflictDoUpdate({ target: [qaFeedback.answerId, qaFeedback.sender], set: { useful, at } });
}
