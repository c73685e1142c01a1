// What members did of their recurring duties: the record reminders stop on and the 台账 reads.
import { and, eq } from 'drizzle-orm';
import { type AppDb, newId } from './db';
import { dutyRecords } from './schema';

export type DutyRecord = typeof dutyRecords.$inferSelect;

export async function recordDuty(db: AppDb, row: Omit<DutyRecord, 'id'>): Promise<DutyRecord> {
  const record = { id: newId('dr'), ...row };
  await db.insert(dutyRecords).values(record);
  return record;
}

export async function recordsOf(db: AppDb, dutyId: string, period: string, memberId?: string): Promise<DutyRecord[]> {
  return db
    .select()
    .from(dutyRecords)
    .where(
      and(
        eq(dutyRecords.dutyId, dutyId),
        eq(dutyRecords.period, period),
        memberId ? eq(dutyRecords.memberId, memberId) : undefined,
      ),
    )
    .orderBy(dutyRecords.doneOn);
}
