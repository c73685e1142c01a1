import { and, eq, gt, sql } from 'drizzle-orm';
import type { PlatformId } from '../cards/message';
import { type AppDb, inList, preparedOn } from './db';
import { type Org, orgById } from './orgs';
import { identities, members, ROLES, type Role } from './schema';

export type Member = typeof members.$inferSelect;

export async function memberById(db: AppDb, id: string): Promise<Member | undefined> {
  const [row] = await db.select().from(members).where(eq(members.id, id));
  return row;
}

/** The member behind a platform account (the roster's identities). */
export async function memberByAccount(
  db: AppDb,
  platform: PlatformId,
  externalId: string,
): Promise<Member | undefined> {
  const [row] = await memberOfAccount(db).all({ platform, externalId });
  return row?.member;
}

const memberOfAccount = preparedOn((db) =>
  db
    .select({ member: members })
    .from(identities)
    .innerJoin(members, eq(members.id, identities.memberId))
    .where(
      and(
        eq(identities.platform, sql.placeholder('platform')),
        eq(identities.externalId, sql.placeholder('externalId')),
      ),
    )
    .prepare(),
);

/** The inverse of memberByAccount: a member's ids on one platform. */
export async function accountIdsOn(db: AppDb, platform: PlatformId, memberId: string): Promise<string[]> {
  return (await accountsOf(db, memberId)).filter((a) => a.platform === platform).map((a) => a.externalId);
}

export async function membersNamed(db: AppDb, name: string): Promise<Member[]> {
  return db.select().from(members).where(eq(members.name, name));
}

export async function membersOfOrg(db: AppDb, orgId: string): Promise<Member[]> {
  return db.select().from(members).where(eq(members.orgId, orgId)).orderBy(members.name);
}

export async function allMembers(db: AppDb): Promise<Member[]> {
  return db.select().from(members).orderBy(members.orgId, members.name);
}

/**
 * The members with a role whose id sorts after `after`, at most `limit` of them in id order: a
 * fan-out reads its audience a page at a time, never the whole roster.
 */
export async function membersWithRolePage(db: AppDb, role: Role, after: string, limit: number): Promise<Member[]> {
  return db
    .select()
    .from(members)
    .where(and(gt(members.id, after), sql`exists (select 1 from json_each(${members.roles}) where value = ${role})`))
    .orderBy(members.id)
    .limit(limit);
}

export async function membersWithRole(db: AppDb, role: Role): Promise<Member[]> {
  return db
    .select()
    .from(members)
    .where(sql`exists (select 1 from json_each(${members.roles}) where value = ${role})`)
    .orderBy(members.name);
}

export async function accountsOf(db: AppDb, memberId: string): Promise<{ platform: PlatformId; externalId: string }[]> {
  return (await accountsOfMany(db, [memberId])).get(memberId) ?? [];
}

/** The accounts of many members at once (for fan-outs), by member id, each list ordered by platform. */
export async function accountsOfMany(
  db: AppDb,
  memberIds: readonly string[],
): Promise<Map<string, { platform: PlatformId; externalId: string }[]>> {
  const out = new Map<string, { platform: PlatformId; externalId: string }[]>();
  if (memberIds.length === 0) return out;
  const rows = await db
    .select({ memberId: identities.memberId, platform: identities.platform, externalId: identities.externalId })
    .from(identities)
    .where(inList(identities.memberId, memberIds))
    .orderBy(identities.platform);
  for (const r of rows) out.set(r.memberId, [...(out.get(r.memberId) ?? []), r]);
  return out;
}

export function hasRole(member: Pick<Member, 'roles'> | null | undefined, ...roles: Role[]): boolean {
  return !!member && member.roles.some((r) => roles.includes(r));
}

/** Replaces a leader's 联系点 (the schools or branches they visit). */
export async function setContacts(db: AppDb, memberId: string, contacts: string[]): Promise<void> {
  await db.update(members).set({ contacts }).where(eq(members.id, memberId));
}

/** Who leads an organisation: its 书记 (its 支委委员 when it has none). */
export async function leadersOf(db: AppDb, orgId: string): Promise<Member[]> {
  const committee = (await membersOfOrg(db, orgId)).filter((m) => hasRole(m, '书记', '支委委员'));
  const secretaries = committee.filter((m) => hasRole(m, '书记'));
  return secretaries.length > 0 ? secretaries : committee;
}

/**
 * Who answers for an organisation above it: the superior organisation's 书记, else its admins,
 * else any admin (a risk report, a review, a 换届 notice go there).
 */
export async function superiorLeadersOf(db: AppDb, orgId: string): Promise<Member[]> {
  const parentId = (await orgById(db, orgId))?.parentId;
  const members = parentId ? await membersOfOrg(db, parentId) : [];
  const secretaries = members.filter((m) => hasRole(m, '书记'));
  if (secretaries.length > 0) return secretaries;
  const admins = members.filter((m) => hasRole(m, '管理员'));
  return admins.length > 0 ? admins : membersWithRole(db, '管理员');
}

/**
 * Members as a roster lists them: by organisation (the tree: a committee before its branches,
 * branches by name), then by role (书记 before 支委委员 before 党员…), then by name.
 */
export function inRosterOrder(list: readonly Member[], orgs: readonly Org[]): Member[] {
  const path = new Map(orgs.map((o) => [o.id, o.path]));
  const rank = (m: Member) => Math.min(...m.roles.map((r) => ROLES.indexOf(r)), ROLES.length);
  return [...list].sort(
    (a, b) =>
      (path.get(a.orgId) ?? '').localeCompare(path.get(b.orgId) ?? '', 'zh') ||
      rank(a) - rank(b) ||
      a.name.localeCompare(b.name, 'zh'),
  );
}
