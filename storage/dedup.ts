import { lt } from 'drizzle-orm';
import type { PlatformId } from '../cards/message';
import type { AppDb } from './db';
import { inboundSeen } from './schema';

/**
 * Records an inbound key; true the first time it is seen, false for a platform's retry or
 * redelivery. The primary key makes this atomic, also under concurrent requests on D1.
 */
export async function firstSeen(db: AppDb, platform: PlatformId, key: string, now: number): Promise<boolean> {
  const rows = await db
    .insert(inboundSeen)
    .values({ platform, key, seenAt: now })
    .onConflictDoNothing()
    .returning({ key: inboundSeen.key });
  return rows.length === 1;
}

/** Keys older than every platform's redelivery window can go. */
export async function forgetSeenBefore(db: AppDb, before: number): Promise<void> {
  await db.delete(inboundSeen).where(lt(inboundSeen.seenAt, before));
}
