// What members did of their recurring duties: the record reminders stop on and the 台账 reads.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type AppDb, inList, newId } from './db';
import { dutyRecords } from './schema';

export type DutyRecord = typeof dutyRecords.$inferSelect;

export async function recordDuty(db: AppDb, row: Omit<DutyRecord, 'id'>): Promise<DutyRecord> {
  const record = { id: newId('dr'), ...row };
  await db.insert(dutyRecords).values(record);
  return record;
}

/**
 * Records a duty done once a period: null when the member already has a record for the period.
 * One conditional insert, so that two confirmations arriving together (the member's and an
 * admin's) cannot both pass a check made before either was written.
 */
export async function recordDutyOnce(db: AppDb, row: Omit<DutyRecord, 'id'>): Promise<DutyRecord | null> {
  const record = { id: newId('dr'), ...row };
  const inserted = await db.all<{ id: string }>(sql`
    insert into duty_records (id, duty_id, period, member_id, done_on, "values", recorded_by, recorded_at)
    select ${record.id}, ${row.dutyId}, ${row.period}, ${row.memberId}, ${row.doneOn},
           ${JSON.stringify(row.values)}, ${row.recordedBy}, ${row.recordedAt}
    where not exists (
      select 1 from duty_records where duty_id = ${row.dutyId} and period = ${row.period} and member_id = ${row.memberId})
    returning id`);
  return inserted.length === 1 ? record : null;
}

/** Of these members, those with a record of the duty for the period (a fan-out's page). */
export async function recordedAmong(
  db: AppDb,
  dutyId: string,
  period: string,
  memberIds: readonly string[],
): Promise<Set<string>> {
  if (memberIds.length === 0) return new Set();
  const rows = await db
    .select({ memberId: dutyRecords.memberId })
    .from(dutyRecords)
    .where(
      and(eq(dutyRecords.dutyId, dutyId), eq(dutyRecords.period, period), inList(dutyRecords.memberId, memberIds)),
    );
  return new Set(rows.map((r) => r.memberId));
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
    .orderBy(dutyRecords.doneOn, dutyRecords.recordedAt, sql`rowid`);
}

export async function recordById(db: AppDb, id: string): Promise<DutyRecord | undefined> {
  const [row] = await db.select().from(dutyRecords).where(eq(dutyRecords.id, id));
  return row;
}

/** A duty's records of several periods at once (a year's months, say), in the order they were done. */
export async function recordsIn(db: AppDb, dutyId: string, periods: readonly string[]): Promise<DutyRecord[]> {
  if (periods.length === 0) return [];
  return db
    .select()
    .from(dutyRecords)
    .where(and(eq(dutyRecords.dutyId, dutyId), inArray(dutyRecords.period, [...periods])))
    .orderBy(dutyRecords.doneOn);
}
