// Answers the bot gave and the 有用/没用 votes on them.
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { PlatformId } from '../cards/message';
import type { AppDb } from './db';
import { qaAnswers, qaFeedback } from './schema';

export type StoredAnswer = typeof qaAnswers.$inferSelect;

export async function saveAnswer(db: AppDb, row: StoredAnswer): Promise<void> {
  await db.insert(qaAnswers).values(row);
}

export async function answerById(db: AppDb, id: string): Promise<StoredAnswer | undefined> {
  const [row] = await db.select().from(qaAnswers).where(eq(qaAnswers.id, id));
  return row;
}

/** The last answer this person was given on this platform. */
export async function lastAnswerTo(db: AppDb, platform: PlatformId, sender: string): Promise<StoredAnswer | undefined> {
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

/** A question the documents did not answer (or whose answer was voted 没用), asked `times` times. */
export interface Unanswered {
  question: string;
  times: number;
  /** Of those, how many found nothing and how many were voted 没用. */
  none: number;
  useless: number;
  lastAt: number;
}

/** The same question however it is punctuated or spaced: 经费 多少？ and 经费多少 are one. */
const questionKey = (q: string) =>
  q
    .normalize('NFKC')
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .toLowerCase();

/**
 * What teachers asked that the knowledge base could not answer since `since`: answers of kind none (not found)
 * or that someone voted 没用, grouped by question, the most asked first.
 */
export async function unansweredQuestions(db: AppDb, since: number, limit: number): Promise<Unanswered[]> {
  const rows = await db
    .select({
      question: qaAnswers.question,
      found: qaAnswers.found,
      askedAt: qaAnswers.askedAt,
      useless: sql<number>`exists (select 1 from ${qaFeedback} where ${qaFeedback.answerId} = ${qaAnswers.id} and ${qaFeedback.useful} = 0)`,
    })
    .from(qaAnswers)
    .where(
      and(
        gte(qaAnswers.askedAt, since),
        sql`(${qaAnswers.found} = 0 or exists (select 1 from ${qaFeedback} where ${qaFeedback.answerId} = ${qaAnswers.id} and ${qaFeedback.useful} = 0))`,
      ),
    )
    .orderBy(desc(qaAnswers.askedAt))
    .limit(5000);
  const groups = new Map<string, Unanswered>();
  for (const r of rows) {
    const key = questionKey(r.question);
    const g = groups.get(key) ?? { question: r.question, times: 0, none: 0, useless: 0, lastAt: r.askedAt };
    g.times++;
    if (!r.found) g.none++;
    if (r.useless) g.useless++;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.times - a.times || b.lastAt - a.lastAt).slice(0, limit);
}
