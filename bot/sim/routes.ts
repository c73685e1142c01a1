// The simulator's web page and JSON API: they talk to the same core as every platform. Members are
// picked by id or name (a member's id is their account here); group chats are the simulator's own.
import type { Context as HonoContext } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ChatRef, Output } from '../../cards/message';
import { cardById } from '../../storage/cards';
import { chatsOf } from '../../storage/chats';
import type { AppDb } from '../../storage/db';
import { allOrgs } from '../../storage/orgs';
import { sentTo } from '../../storage/outbox';
import { allMembers, inRosterOrder, type Member, memberById, membersNamed } from '../../storage/people';
import type { ClientAddress, Inlet } from '../core/platform';
import { renderSim } from './cards';
import { simGuard } from './guard';
import { readHistory, recordClick, recordMessage } from './history';
import { simPage } from './page';

/** The simulator's id in the platform columns. */
export const SIM = 'sim';

const CHAT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const GUEST = /^guest:(.{1,30})$/;

const memberRef = z.string().trim().min(1, { error: 'member 不能为空' });
const messageBody = z.object({
  member: memberRef,
  chat: z.string().trim().min(1, { error: 'chat 不能为空' }),
  text: z.string().max(2000, { error: 'text 最多 2000 字' }),
  /** Optional message id: sending the same id twice plays a platform's retry. */
  id: z.string().trim().min(1).max(128).optional(),
});
const actionBody = z.object({
  member: memberRef,
  card: z.string().trim().min(1, { error: 'card 不能为空' }),
  action: z.string().trim().min(1, { error: 'action 不能为空' }),
  values: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
  id: z.string().trim().min(1).max(128).optional(),
});

class SimError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404,
  ) {
    super(message);
  }
}

/** A member by id or unique name; `guest:<name>` plays a teacher who is not in the roster. */
async function senderOf(db: AppDb, ref: string): Promise<string> {
  const guest = ref.match(GUEST);
  if (guest) return `guest:${(guest[1] as string).trim()}`;
  const byId = await memberById(db, ref);
  if (byId) return byId.id;
  const named: Member[] = await membersNamed(db, ref);
  if (named.length === 1) return (named[0] as Member).id;
  if (named.length > 1) throw new SimError(`名册中有 ${named.length} 位“${ref}”，请用成员 id`, 400);
  throw new SimError(`名册中没有成员“${ref}”（不在名册的人请写 guest:姓名）`, 404);
}

/** A guest's name, as a platform tells the name of someone it knows but the roster does not. */
const nameOf = (sender: string) => {
  const guest = sender.match(GUEST)?.[1];
  return guest ? { senderName: guest } : {};
};

async function parse<T>(c: HonoContext, schema: z.ZodType<T>): Promise<T> {
  const raw = await c.req.json().catch(() => undefined);
  if (raw === undefined) throw new SimError('请求体必须是 JSON', 400);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new SimError(parsed.error.issues.map((i) => i.message).join('；'), 400);
  return parsed.data;
}

const reply = (outputs: Output[]) => ({ outputs: outputs.map(renderSim) });
/** The simulator answers in the response, everything it says at once. */
const inResponse = (outputs: Output[]) => ({ body: outputs });

export function simRoutes(deps: { inlet: Inlet; db: AppDb; clientAddress: ClientAddress }): Hono {
  const { inlet, db, clientAddress } = deps;
  const sim = new Hono();

  sim.use('*', simGuard(clientAddress));

  sim.onError((err, c) => {
    if (err instanceof SimError) return c.json({ error: err.message }, err.status);
    throw err;
  });

  sim.get('/', (c) => c.html(simPage));

  sim.post('/api/message', async (c) => {
    const body = await parse(c, messageBody);
    const sender = await senderOf(db, body.member);
    const group = body.chat !== 'direct';
    if (group && !CHAT_ID.test(body.chat)) throw new SimError('chat 须为 direct 或群 id（字母、数字、_ -）', 400);
    const chat: ChatRef = group ? { kind: 'group', id: body.chat } : { kind: 'direct', id: sender };
    const messageId = body.id ?? crypto.randomUUID();
    const message = { platform: SIM, chat, sender, ...nameOf(sender), text: body.text, mentions: [], messageId };
    // A retry of an id is answered with nothing.
    const outputs = (await inlet.answer({ key: `msg:${messageId}`, message }, inResponse)) ?? [];
    await recordMessage(db, chat, sender, body.text, outputs, inlet.now().getTime());
    return c.json(reply(outputs));
  });

  sim.post('/api/action', async (c) => {
    const body = await parse(c, actionBody);
    const sender = await senderOf(db, body.member);
    const clicked = await cardById(db, body.card);
    // The page names the action itself: a button here is its action.
    const click = {
      platform: SIM,
      sender,
      ...nameOf(sender),
      cardId: body.card,
      button: body.action,
      values: body.values,
    };
    const key = `click:${body.id ?? crypto.randomUUID()}`;
    const outputs = (await inlet.answer({ key, click }, inResponse)) ?? [];
    await recordClick(db, clicked, sender, body.action, outputs, inlet.now().getTime());
    return c.json(reply(outputs));
  });

  sim.get('/api/members', async (c) => {
    const all = await allOrgs(db);
    const orgs = new Map(all.map((o) => [o.id, o]));
    const members = inRosterOrder(await allMembers(db), all).map((m) => ({
      id: m.id,
      name: m.name,
      roles: m.roles,
      organisation: orgs.get(m.orgId)?.path ?? null,
    }));
    return c.json({ members });
  });

  sim.get('/api/chats', async (c) => {
    const orgs = new Map((await allOrgs(db)).map((o) => [o.id, o]));
    const chats = (await chatsOf(db, SIM)).map((ch) => {
      const org = ch.orgId ? orgs.get(ch.orgId) : undefined;
      return { id: ch.chatId, title: ch.title, organisation: org ? { id: org.id, name: org.name } : null };
    });
    return c.json({ chats });
  });

  sim.get('/api/inbox', async (c) => {
    const sender = await senderOf(db, c.req.query('member') ?? '');
    const rows = await sentTo(db, SIM, sender);
    return c.json({
      messages: rows.map((r) => ({ at: r.sentAt, ...renderSim(r.payload as Output) })),
    });
  });

  // A chat as the page shows it: a group's for whoever opens it, a member's one-to-one for them;
  // `after` (the last seq seen) asks only for what came since.
  sim.get('/api/history', async (c) => {
    const chat = c.req.query('chat') ?? 'direct';
    const after = Number(c.req.query('after') ?? 0);
    if (!Number.isSafeInteger(after) || after < 0) throw new SimError('after 须为非负整数', 400);
    if (chat !== 'direct' && !CHAT_ID.test(chat))
      throw new SimError('chat 须为 direct 或群 id（字母、数字、_ -）', 400);
    const ref: ChatRef =
      chat === 'direct'
        ? { kind: 'direct', id: await senderOf(db, c.req.query('member') ?? '') }
        : { kind: 'group', id: chat };
    return c.json({ messages: await readHistory(db, ref, after) });
  });

  return sim;
}
