import { type AppDb, rowsAsSelects } from './db';
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

/** Many entries in a few statements (each carries its rows as one JSON parameter). */
export function auditInserts(db: AppDb, at: number, entries: readonly AuditEntry[]) {
  const rows = entries.map((e) => ({
    at,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    detail: e.detail ?? null,
  }));
  return rowsAsSelects(auditLog, rows).map((select) => db.insert(auditLog).select(select));
}

export async function audit(db: AppDb, at: number, entry: AuditEntry): Promise<void> {
  await auditInsert(db, at, entry);
}
