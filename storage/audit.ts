import type { AppDb } from './db';
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

export async function audit(db: AppDb, at: number, entry: AuditEntry): Promise<void> {
  await auditInsert(db, at, entry);
}
