// What a superior did with a record sent up to them (a 研判 that found risk): 已阅, 已处理, replies.
import { type AppDb, inList, newId } from './db';
import { dutyReplies } from './schema';

export type DutyReply = typeof dutyReplies.$inferSelect;

export async function addDutyReply(db: AppDb, row: Omit<DutyReply, 'id'>): Promise<DutyReply> {
  const reply = { id: newId('rp'), ...row };
  await db.insert(dutyReplies).values(reply);
  return reply;
}

/** The replies to these records, oldest first. */
export async function repliesTo(db: AppDb, recordIds: readonly string[]): Promise<DutyReply[]> {
  if (recordIds.length === 0) return [];
  const out = await db.select().from(dutyReplies).where(inList(dutyReplies.recordId, recordIds));
  return out.sort((a, b) => a.at - b.at);
}
