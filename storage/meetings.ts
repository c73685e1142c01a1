// Meetings and their attendance. Every change is a single conditional write, so that 300 people
// tapping at once, some twice, are each recorded exactly once, and counts are always counted.
import { and, asc, desc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { AppDb } from './db';
import { attendance, meetings } from './schema';

export type Meeting = typeof meetings.$inferSelect;
export type Attendance = typeof attendance.$inferSelect;

/** Creates the meeting unless the group already has an open one (then null). */
export async function createMeeting(db: AppDb, meeting: Meeting): Promise<Meeting | null> {
  const [row] = await db.insert(meetings).values(meeting).onConflictDoNothing().returning();
  return row ?? null;
}

export async function meetingById(db: AppDb, id: string): Promise<Meeting | undefined> {
  const [row] = await db.select().from(meetings).where(eq(meetings.id, id));
  return row;
}

export async function openMeetingIn(db: AppDb, platform: string, chatId: string): Promise<Meeting | undefined> {
  const [row] = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.platform, platform), eq(meetings.chatId, chatId), isNull(meetings.closedAt)));
  return row;
}

export type MarkResult = 'recorded' | 'changed' | 'unchanged';

/**
 * Records a check-in or a leave. Once is enough: a second tap changes nothing, except that
 * someone on leave who turns up may still check in (the change is recorded with its time).
 */
export async function mark(
  db: AppDb,
  a: {
    meetingId: string;
    who: string;
    name: string;
    status: 'in' | 'leave';
    reason: string | null;
    guest: boolean;
    at: number;
  },
): Promise<MarkResult> {
  const inserted = await db.insert(attendance).values(a).onConflictDoNothing().returning({ who: attendance.who });
  if (inserted.length > 0) return 'recorded';
  if (a.status !== 'in') return 'unchanged';
  const changed = await db
    .update(attendance)
    .set({ status: 'in', reason: null, at: a.at })
    .where(and(eq(attendance.meetingId, a.meetingId), eq(attendance.who, a.who), eq(attendance.status, 'leave')))
    .returning({ who: attendance.who });
  return changed.length > 0 ? 'changed' : 'unchanged';
}

export async function attendanceOf(db: AppDb, meetingId: string): Promise<Attendance[]> {
  return db.select().from(attendance).where(eq(attendance.meetingId, meetingId)).orderBy(asc(attendance.at));
}

/**
 * Removes a meeting started by mistake, with its attendance, while it is still open: it leaves
 * the branch's record (会议记录, 台账). False when it has closed (a deadline or 结束签到 came first).
 */
export async function cancelMeeting(db: AppDb, id: string): Promise<boolean> {
  const gone = await db
    .delete(meetings)
    .where(and(eq(meetings.id, id), isNull(meetings.closedAt)))
    .returning({ id: meetings.id });
  if (gone.length === 0) return false;
  // The meeting is gone first, so no tap can add to what is deleted next (a row left by a crash is never read).
  await db.delete(attendance).where(eq(attendance.meetingId, id));
  return true;
}

/** Closes the meeting; true for the one call that closed it (a deadline and 结束签到 may race). */
export async function closeMeeting(db: AppDb, id: string, by: string, at: number): Promise<boolean> {
  const rows = await db
    .update(meetings)
    .set({ closedAt: at, closedBy: by })
    .where(and(eq(meetings.id, id), isNull(meetings.closedAt)))
    .returning({ id: meetings.id });
  return rows.length === 1;
}

export async function meetingsDue(db: AppDb, now: number): Promise<Meeting[]> {
  return db
    .select()
    .from(meetings)
    .where(and(isNull(meetings.closedAt), lte(meetings.endsAt, now)));
}

export async function meetingsOf(db: AppDb, orgId: string, from: number, to: number, limit = 1000): Promise<Meeting[]> {
  return db
    .select()
    .from(meetings)
    .where(and(eq(meetings.orgId, orgId), gte(meetings.startsAt, from), lte(meetings.startsAt, to)))
    .orderBy(desc(meetings.startsAt))
    .limit(limit);
}

/** A meeting as the 台账 lists it. */
export type MeetingRow = Pick<Meeting, 'id' | 'orgId' | 'type' | 'topic' | 'partyGroup' | 'startsAt' | 'closedAt'>;

/** A meeting with its counts: members present and on leave (the roster's), and those who sat in. */
export interface MeetingTally extends MeetingRow {
  present: number;
  leave: number;
  guests: number;
}

const ROW = {
  id: meetings.id,
  orgId: meetings.orgId,
  type: meetings.type,
  topic: meetings.topic,
  partyGroup: meetings.partyGroup,
  startsAt: meetings.startsAt,
  closedAt: meetings.closedAt,
};

/** Started in [from, to], of these organisations (every one when not given: a district's view). */
const startedIn = (from: number, to: number, orgIds?: readonly string[]) =>
  and(
    orgIds ? inArray(meetings.orgId, [...orgIds]) : undefined,
    gte(meetings.startsAt, from),
    lte(meetings.startsAt, to),
  );

/** The meetings started in [from, to], oldest first. `orgIds`: at most 90 (one statement's parameters). */
export async function meetingsBetween(
  db: AppDb,
  from: number,
  to: number,
  orgIds?: readonly string[],
): Promise<MeetingRow[]> {
  return db
    .select(ROW)
    .from(meetings)
    .where(startedIn(from, to, orgIds))
    .orderBy(asc(meetings.startsAt));
}

/** The same meetings with their counts, in one query (the 台账's attendance figures). */
export async function meetingTallies(
  db: AppDb,
  from: number,
  to: number,
  orgIds?: readonly string[],
): Promise<MeetingTally[]> {
  return db
    .select({
      ...ROW,
      present: sql<number>`coalesce(sum(${attendance.status} = 'in' and ${attendance.guest} = 0), 0)`,
      leave: sql<number>`coalesce(sum(${attendance.status} = 'leave' and ${attendance.guest} = 0), 0)`,
      guests: sql<number>`coalesce(sum(${attendance.guest} = 1), 0)`,
    })
    .from(meetings)
    .leftJoin(attendance, eq(attendance.meetingId, meetings.id))
    .where(startedIn(from, to, orgIds))
    .groupBy(meetings.id)
    .orderBy(asc(meetings.startsAt));
}
