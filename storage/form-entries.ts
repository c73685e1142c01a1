// Self-check form entries: drafts edited by patches (merged in SQL, so a card and the web page
// editing the same draft never overwrite each other's items), and status changes that are
// conditional updates (a submitted entry cannot change; a second submit or review finds nothing).
import { and, desc, eq, sql } from 'drizzle-orm';
import { type AppDb, newId } from './db';
import { formEntries } from './schema';

export type FormEntry = typeof formEntries.$inferSelect;
export type Answers = Record<string, string | string[]>;
type Status = FormEntry['status'];

export async function entryById(db: AppDb, id: string): Promise<FormEntry | undefined> {
  const [row] = await db.select().from(formEntries).where(eq(formEntries.id, id));
  return row;
}

/** The newest version of a branch's entry of a form for a period. */
export async function latestEntry(
  db: AppDb,
  formId: string,
  orgId: string,
  period: string,
): Promise<FormEntry | undefined> {
  const [row] = await db
    .select()
    .from(formEntries)
    .where(and(eq(formEntries.formId, formId), eq(formEntries.orgId, orgId), eq(formEntries.period, period)))
    .orderBy(desc(formEntries.version))
    .limit(1);
  return row;
}

/** Every branch's newest version of a form for a period. */
export async function latestEntries(db: AppDb, formId: string, period: string): Promise<FormEntry[]> {
  const rows = await db
    .select()
    .from(formEntries)
    .where(and(eq(formEntries.formId, formId), eq(formEntries.period, period)))
    .orderBy(formEntries.orgId, desc(formEntries.version));
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.orgId) && seen.add(r.orgId));
}

/**
 * A new draft version (the first, or a correction of a submitted one); when two start at once
 * the unique (form, branch, period, version) keeps one, and both get it.
 */
export async function startDraft(
  db: AppDb,
  e: { formId: string; orgId: string; period: string; answers: Answers; by: string; now: number },
): Promise<FormEntry> {
  const latest = await latestEntry(db, e.formId, e.orgId, e.period);
  await db
    .insert(formEntries)
    .values({
      id: newId('fe'),
      formId: e.formId,
      orgId: e.orgId,
      period: e.period,
      version: (latest?.version ?? 0) + 1,
      status: 'draft',
      answers: e.answers,
      createdBy: e.by,
      createdAt: e.now,
      updatedAt: e.now,
    })
    .onConflictDoNothing();
  return (await latestEntry(db, e.formId, e.orgId, e.period)) as FormEntry;
}

/**
 * Merges answers into a draft (`answers`) or into a review under way (`review`); null removes
 * an answer. False when the entry is no longer in the state that takes them.
 */
export async function patchEntry(
  db: AppDb,
  id: string,
  column: 'answers' | 'review',
  patch: Record<string, string | string[] | null>,
  now: number,
): Promise<boolean> {
  const json = JSON.stringify(patch);
  const rows = await db
    .update(formEntries)
    .set(
      column === 'answers'
        ? { answers: sql`json_patch(${formEntries.answers}, ${json})`, updatedAt: now }
        : { review: sql`json_patch(coalesce(${formEntries.review}, '{}'), ${json})`, updatedAt: now },
    )
    .where(and(eq(formEntries.id, id), eq(formEntries.status, column === 'answers' ? 'draft' : 'submitted')))
    .returning({ id: formEntries.id });
  return rows.length > 0;
}

/** Moves an entry from one status to the next with what was computed; false when it had moved already. */
export async function advanceEntry(
  db: AppDb,
  id: string,
  from: Status,
  to: Status,
  change: { by: string; now: number; result: Record<string, unknown> },
): Promise<boolean> {
  const stamp =
    to === 'submitted'
      ? { submittedBy: change.by, submittedAt: change.now }
      : to === 'reviewed'
        ? { reviewedBy: change.by, reviewedAt: change.now }
        : {};
  const rows = await db
    .update(formEntries)
    .set({ status: to, result: change.result, updatedAt: change.now, ...stamp })
    .where(and(eq(formEntries.id, id), eq(formEntries.status, from)))
    .returning({ id: formEntries.id });
  return rows.length > 0;
}

/** Every entry of a form in a status, all periods (e.g. the rectifications still open). */
export async function entriesWithStatus(db: AppDb, formId: string, status: Status): Promise<FormEntry[]> {
  return db
    .select()
    .from(formEntries)
    .where(and(eq(formEntries.formId, formId), eq(formEntries.status, status)))
    .orderBy(formEntries.createdAt);
}

/** A branch's entries of a form, every period and version, newest first. */
export async function entriesOfOrg(db: AppDb, formId: string, orgId: string): Promise<FormEntry[]> {
  return db
    .select()
    .from(formEntries)
    .where(and(eq(formEntries.formId, formId), eq(formEntries.orgId, orgId)))
    .orderBy(desc(formEntries.period), desc(formEntries.version));
}
