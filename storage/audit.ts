import type { AppDb } from './db';
import { auditLog } from './schema';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  detail?: unknown;
}

export function auditInsert(db: AppDb, at: number, e: AuditEntry) {
  return db
    .insert(auditLog)
    .values({ at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail ?? null });
}

export async function audit(db: AppDb, at: number, e: AuditEntry): Promise<void> {
  await auditInsert(db, at, e);
}
