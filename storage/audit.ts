import { type AppDb, underParamLimit } from './db';
import { auditLog } from './schema';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  detail?: unknown;
}

export function auditInsert(db: AppDb, at: number, entry: AuditEntry) {
  return db
    .insert(auditLog)
    .values({ at, actor: entry.actor, action: entry.action, subject: entry.subject, detail: entry.detail ?? null });
}

/** Many entries in multi-row writes (each under D1's parameter limit). */
export function auditInserts(db: AppDb, at: number, entries: readonly AuditEntry[]) {
  return underParamLimit(entries, (rows) =>
    db
      .insert(auditLog)
      .values(
        rows.map((e) => ({ at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail ?? null })),
      ),
  );
}

export async function audit(db: AppDb, at: number, entry: AuditEntry): Promise<void> {
  await auditInsert(db, at, entry);
}
