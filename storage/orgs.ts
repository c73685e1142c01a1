import { eq, or, sql } from 'drizzle-orm';
import { type AppDb, inList, preparedOn } from './db';
import { type OrgKind, organisations } from './schema';

export type Org = typeof organisations.$inferSelect;

export async function orgById(db: AppDb, id: string): Promise<Org | undefined> {
  const [row] = await orgOfId(db).all({ id });
  return row;
}

const orgOfId = preparedOn((db) =>
  db
    .select()
    .from(organisations)
    .where(eq(organisations.id, sql.placeholder('id')))
    .prepare(),
);

/** The organisations of these ids (of people in a list, say), read at once. */
export async function orgsByIds(db: AppDb, ids: readonly string[]): Promise<Org[]> {
  if (ids.length === 0) return [];
  return db.select().from(organisations).where(inList(organisations.id, ids));
}

export async function allOrgs(db: AppDb): Promise<Org[]> {
  return db.select().from(organisations).orderBy(organisations.path);
}

/** Organisations a person might mean by a name: the organisation's own name, or its school's. */
export async function orgsNamed(db: AppDb, name: string): Promise<Org[]> {
  return db
    .select()
    .from(organisations)
    .where(or(eq(organisations.name, name), eq(organisations.school, name), eq(organisations.path, name)));
}

/** Whether `name` (as a person or a roster's 联系点 writes it) names this organisation: its name, school or path. */
export function isNamed(org: Pick<Org, 'name' | 'school' | 'path'>, name: string): boolean {
  return name === org.name || name === org.school || name === org.path;
}

/** The organisations that hold meetings and fill forms: the 支部 and 总支, in path order. */
export function branchesOf(orgs: readonly Org[]): Org[] {
  return orgs.filter((o) => o.kind === '支部' || o.kind === '总支');
}

/** The organisation and its ancestors, nearest first. */
export async function orgLineage(db: AppDb, id: string): Promise<Org[]> {
  const out: Org[] = [];
  let next: string | null = id;
  while (next && out.length < 16) {
    const org = await orgById(db, next);
    if (!org) break;
    out.push(org);
    next = org.parentId;
  }
  return out;
}

/** The kind of an organisation, read from its name as official names end in it. */
export function orgKindOf(name: string): OrgKind {
  if (/工委$/.test(name)) return '工委';
  if (/总支(部)?$/.test(name)) return '总支';
  if (/支部$/.test(name)) return '支部';
  if (/党委$|委员会$/.test(name)) return '党委';
  return '其他';
}

/** The school a branch belongs to, read from its name: 兰陵小学党支部 → 兰陵小学. */
export function schoolOf(name: string): string | null {
  const school = name.replace(/(党总支部|党总支|党支部|总支部|总支|支部|党委)$/, '');
  return school && school !== name ? school : null;
}
