// A small demo organisation, loaded into an empty database so the bot can be tried at once:
// an education work committee with two school branches, and one simulator group per branch
// (plus an unbound one, to try 绑定). Its members carry plausible user ids (zhouhong is 管理员),
// so it never stays beside a real platform: `removeDemo` takes it out again.
import { and, count, eq, inArray, ne } from 'drizzle-orm';
import { auditInsert } from './audit';
import { bindChatQuery, rememberChat } from './chats';
import { type AppDb, atomic, type WriteQuery } from './db';
import { orgsNamed } from './orgs';
import { importRoster } from './roster';
import {
  attendance,
  auditLog,
  cards,
  chats,
  dutyRecords,
  dutyReplies,
  formEntries,
  identities,
  meetings,
  members,
  organisations,
  outbox,
  simMessages,
} from './schema';

/** Who the demo's roster import is in the audit log. */
const DEMO_ACTOR = 'demo';

const ROOT = '天宁区教育工委';
const LANLING = `${ROOT}/兰陵小学党支部`;
const YANLING = `${ROOT}/延陵小学党支部`;

export const DEMO_ROSTER: string[][] = [
  ['组织', '学校', '姓名', '角色', '企业微信账号', '钉钉账号', '手机号', '联系点'],
  [ROOT, '', '周红', '管理员、班子成员、党员', 'zhouhong', 'dt-zhouhong', '', '兰陵小学'],
  [ROOT, '', '吴刚', '班子成员、党员', 'wugang', 'dt-wugang', '', '延陵小学'],
  [LANLING, '兰陵小学', '王建国', '书记、党员', 'wangjianguo', 'dt-wangjianguo', ''],
  [LANLING, '兰陵小学', '李敏', '支委委员、党员、教师', 'limin', 'dt-limin', ''],
  [LANLING, '兰陵小学', '张伟', '党员、教师', 'zhangwei', 'dt-zhangwei', ''],
  [LANLING, '兰陵小学', '陈静', '党员、教师', 'chenjing', 'dt-chenjing', ''],
  [YANLING, '延陵小学', '刘洋', '书记、党员', 'liuyang', 'dt-liuyang', ''],
  [YANLING, '延陵小学', '赵磊', '党员、教师', 'zhaolei', 'dt-zhaolei', ''],
  [YANLING, '延陵小学', '孙丽', '党员、教师', 'sunli', 'dt-sunli', ''],
];

export const DEMO_CHATS = [
  { chatId: 'sim-lanling', title: '兰陵小学党支部群', org: '兰陵小学党支部' },
  { chatId: 'sim-yanling', title: '延陵小学党支部群', org: '延陵小学党支部' },
  { chatId: 'sim-teachers', title: '教师交流群（未绑定）', org: null },
] as const;

/** Loads the demo unless the database has an organisation already; true when it did. */
export async function seedDemo(db: AppDb, now: number): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(organisations);
  if ((row?.n ?? 0) > 0) return false;
  const result = await importRoster(db, DEMO_ROSTER, now, DEMO_ACTOR);
  if (!result.ok) throw new Error(`demo roster rejected: ${JSON.stringify(result.errors)}`);
  for (const chat of DEMO_CHATS) {
    await rememberChat(db, 'sim', chat.chatId, chat.title, now);
    if (!chat.org) continue;
    const [org] = await orgsNamed(db, chat.org);
    if (org) await bindChatQuery(db, 'sim', chat.chatId, org.id, DEMO_ACTOR, now);
  }
  return true;
}

/**
 * The demo's members still in the database as the demo made them: created by its import and not
 * taken over since by a roster import (a real roster naming the same account made that person real).
 */
export async function demoMembers(db: AppDb): Promise<string[]> {
  const created = await db
    .select({ id: auditLog.subject })
    .from(auditLog)
    .where(and(eq(auditLog.actor, DEMO_ACTOR), eq(auditLog.action, 'member.create')));
  const ids = created.map((r) => r.id);
  if (ids.length === 0) return [];
  const [taken, present] = await Promise.all([
    db
      .select({ id: auditLog.subject })
      .from(auditLog)
      .where(and(inArray(auditLog.subject, ids), eq(auditLog.action, 'member.update'), ne(auditLog.actor, DEMO_ACTOR))),
    db.select({ id: members.id }).from(members).where(inArray(members.id, ids)),
  ]);
  const real = new Set(taken.map((r) => r.id));
  return present.map((r) => r.id).filter((id) => !real.has(id));
}

/**
 * Removes the demo: its members (accounts, duty records), its organisations once nobody else is
 * in them (their meetings, attendance, self-check entries; chats bound to them are unbound), its
 * simulator groups, their history and what the simulator still had to send them. One atomic write
 * (the demo is nine people, three organisations and three groups: far under D1's bound-parameter
 * limit; their records are named by subqueries, however many there are).
 */
export async function removeDemo(
  db: AppDb,
  now: number,
  actor: string,
): Promise<{ members: number; orgs: number; chats: number }> {
  const gone = await demoMembers(db);
  const demoPaths = [...new Set(DEMO_ROSTER.slice(1).map((r) => r[0] as string))];
  const [orgs, everyone] = await Promise.all([
    db.select().from(organisations).where(inArray(organisations.path, demoPaths)),
    db.select({ id: members.id, orgId: members.orgId }).from(members),
  ]);
  const staying = everyone.filter((m) => !gone.includes(m.id));
  // Deepest first: an organisation goes when nobody stays in it and none of its children stays.
  const emptied = new Set<string>();
  for (const org of [...orgs].sort((a, b) => b.path.length - a.path.length)) {
    const children = await db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.parentId, org.id));
    if (staying.some((m) => m.orgId === org.id) || children.some((c) => !emptied.has(c.id))) continue;
    emptied.add(org.id);
  }
  const orgIds = [...emptied];
  const chatIds = DEMO_CHATS.map((c) => c.chatId);
  const demoChats = await db
    .select({ id: chats.chatId })
    .from(chats)
    .where(and(eq(chats.platform, 'sim'), inArray(chats.chatId, chatIds)));
  // The simulator's chats: its groups, and each member's one-to-one chat (named by the member's id).
  const simChats = [...gone, ...chatIds];
  const writes: WriteQuery[] = [
    db.delete(outbox).where(and(eq(outbox.platform, 'sim'), inArray(outbox.targetId, simChats))),
    db.delete(cards).where(and(eq(cards.platform, 'sim'), inArray(cards.chatId, simChats))),
    db.delete(simMessages).where(inArray(simMessages.chatId, simChats)),
    db.delete(chats).where(and(eq(chats.platform, 'sim'), inArray(chats.chatId, chatIds))),
  ];
  if (gone.length > 0) {
    const records = db.select({ id: dutyRecords.id }).from(dutyRecords).where(inArray(dutyRecords.memberId, gone));
    writes.push(
      db.delete(dutyReplies).where(inArray(dutyReplies.recordId, records)),
      db.delete(dutyReplies).where(inArray(dutyReplies.memberId, gone)),
      db.delete(identities).where(inArray(identities.memberId, gone)),
      db.delete(dutyRecords).where(inArray(dutyRecords.memberId, gone)),
      db.delete(members).where(inArray(members.id, gone)),
    );
  }
  if (orgIds.length > 0) {
    const held = db.select({ id: meetings.id }).from(meetings).where(inArray(meetings.orgId, orgIds));
    writes.push(
      db.delete(attendance).where(inArray(attendance.meetingId, held)),
      db.delete(meetings).where(inArray(meetings.orgId, orgIds)),
      db.delete(formEntries).where(inArray(formEntries.orgId, orgIds)),
      db.update(chats).set({ orgId: null, boundBy: null, boundAt: null }).where(inArray(chats.orgId, orgIds)),
      db.delete(organisations).where(inArray(organisations.id, orgIds)),
    );
  }
  const removed = { members: gone.length, orgs: orgIds.length, chats: demoChats.length };
  writes.push(auditInsert(db, now, { actor, action: 'demo.remove', subject: 'demo', detail: removed }));
  await atomic(db, writes);
  return removed;
}
