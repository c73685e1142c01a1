// How many rows each table holds: a request that is refused must leave every count as it was.
import { sql } from 'drizzle-orm';
import type { AppDb } from '../../storage/db';

export async function rowCounts(db: AppDb): Promise<Record<string, number>> {
  const tables = (await db.all(
    sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%kb_fts%' order by name`,
  )) as { name: string }[];
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = (await db.all(sql.raw(`select count(*) as n from "${name}"`))) as { n: number }[];
    counts[name] = row?.n ?? 0;
  }
  return counts;
}
