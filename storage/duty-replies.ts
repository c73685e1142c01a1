// What a superior did with a record sent up to them (a 研判 that found risk): 已阅, 已处理, replies.
import { inArray } from 'drizzle-orm';
import { type AppDb, chunksFor, newId } from './db';
import { dutyReplies } from './schema';

export type DutyReply = typeof dutyReplies.$inferSelect;

export async function addDutyReply(db: AppDb, row: Omit<DutyReply, 'id'>): Promise<DutyReply> {
  const reply = { id: newId('rp'), ...row };
  await db.insert(dutyReplies).values(reply);
  return reply;
}

/** The replies to these records, oldest first. */
export async function repliesTo(db: AppDb, recordIds: readonly string[]): Promise<DutyReply[]> {
  const out: DutyReply[] = [];
  for (const ids of chunksFor(recordIds, 1)) {
    out.push(...(await db.select().from(dutyReplies).where(inArray(dutyReplies.recordId, ids))));
  }
  return out.sort((a, b) => a.at - b.at);
}
