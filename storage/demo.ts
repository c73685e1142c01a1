// A small demo organisation, loaded into an empty database so the bot can be tried at once: an
// education work committee with two school branches, and one simulator group per branch (plus an
// unbound one, to try 绑定). The demo is data (data/demo.json): a roster table as an operator would
// import it, and the group chats with the platform they are on. Its members carry plausible user
// ids (zhouhong is 管理员), so it never stays beside a real platform: `removeDemo` takes it out again.
import { and, count, eq, inArray, ne } from 'drizzle-orm';
import demo from '../data/demo.json';
import { auditInsert } from './audit';
import { bindChatQuery, rememberChat } from './chats';
import { type AppDb, atomic, type WriteQuery } from './db';
import { orgsNamed } from './orgs';
import { type AccountColumn, importRoster } from './roster';
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

export const DEMO_ROSTER: string[][] = demo.roster;
/** The demo's group chats, each on the platform it is on (the simulator's groups). */
export const DEMO_CHATS: readonly { platform: string; chatId: string; title: string; org: string | null }[] =
  demo.chats;

/** Loads the demo unless the database has an organisation already; true when it did. */
export async function seedDemo(db: AppDb, now: number, accounts: readonly AccountColumn[]): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(organisations);
  if ((row?.n ?? 0) > 0) return false;
  const result = await importRoster(db, DEMO_ROSTER, now, DEMO_ACTOR, accounts);
  if (!result.ok) throw new Error(`demo roster rejected: ${JSON.stringify(result.errors)}`);
  for (const chat of DEMO_CHATS) {
    await rememberChat(db, chat.platform, chat.chatId, chat.title, now);
    if (!chat.org) continue;
    const [org] = await orgsNamed(db, chat.org);
    if (org) await bindChatQuery(db, chat.platform, chat.chatId, org.id, DEMO_ACTOR, now);
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
  // The demo's platform (the simulator): its groups, and each member's one-to-one chat there (named
  // by the member's id, as that platform knows people).
  const platforms = [...new Set(DEMO_CHATS.map((c) => c.platform))];
  const demoChats = await db
    .select({ id: chats.chatId })
    .from(chats)
    .where(and(inArray(chats.platform, platforms), inArray(chats.chatId, chatIds)));
  const simChats = [...gone, ...chatIds];
  const writes: WriteQuery[] = [
    db.delete(outbox).where(and(inArray(outbox.platform, platforms), inArray(outbox.targetId, simChats))),
    db.delete(cards).where(and(inArray(cards.platform, platforms), inArray(cards.chatId, simChats))),
    db.delete(simMessages).where(inArray(simMessages.chatId, simChats)),
    db.delete(chats).where(and(inArray(chats.platform, platforms), inArray(chats.chatId, chatIds))),
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
