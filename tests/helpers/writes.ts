// How many rows the bot's connection has inserted, updated or deleted since it opened (SQLite's
// total_changes()): a request that is refused must leave it where it was.
import { sql } from 'drizzle-orm';
import type { AppDb } from '../../storage/db';

export async function writesSoFar(db: AppDb): Promise<number> {
  return ((await db.get(sql`select total_changes() as n`)) as { n: number }).n;
}
