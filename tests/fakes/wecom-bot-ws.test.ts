// The fake smart-bot server is only worth something if the REAL SDK (`@wecom/aibot-node-sdk`) talks to it as it
// would to WeCom, and if it refuses what WeCom refuses (protocol reference §8, §12C).
import { type TemplateCard, WSClient, type WSClientEventMap, type WSClientOptions } from '@wecom/aibot-node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { until } from '../helpers/until';
import { FAKE_ERR, type FakeWecomBot, startFakeWecomBot } from './wecom-bot-ws';

const BOT = 'aib-test-bot';
const SECRET = 's3cret';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

let fake: FakeWecomBot;
let clients: WSClient[] = [];

beforeEach(async () => {
  fake = await startFakeWecomBot({ botId: BOT, secret: SECRET });
});

afterEach(async () => {
  for (const c of clients) c.disconnect();
  clients = [];
  await fake.close();
});

function newClient(over: Partial<WSClientOptions> = {}): WSClient {
  const c = new WSClient({
    botId: BOT,
    secret: SECRET,
    wsUrl: fake.url,
    maxReconnectAttempts: -1,
    reconnectInterval: 20,
    logger: silent,
    ...over,
  });
  clients.push(c);
  return c;
}

/** Resolves with the first argument of the next `event` the client emits. */
function next<E extends keyof WSClientEventMap>(c: WSClient, event: E): Promise<Parameters<WSClientEventMap[E]>[0]> {
  // eventemitter3's generic listener type does not narrow for a generic key; the map above is the contract.
  const emitter = c as unknown as { once(event: string, fn: (arg: unknown) => void): unknown };
  return new Promise((resolve) => {
    emitter.once(event, (arg) => resolve(arg as Parameters<WSClientEventMap[E]>[0]));
  });
}

async function connected(over: Partial<WSClientOptions> = {}): Promise<WSClient> {
  const c = newClient(over);
  const auth = next(c, 'authenticated');
  c.connect();
  await auth;
  return c;
}

const card = (taskId: string, title = '请确认'): TemplateCard => ({
  card_type: 'button_interaction',
  main_title: { title },
  button_list: [{ text: '确认', key: 'confirm' }],
  task_id: taskId,
});

interface NestedCardEvent {
  eventtype: string;
  template_card_event: {
    card_type: string;
    event_key: string;
    task_id: string;
    selected_items?: { selected_item: { question_key: string; option_ids: { option_id: string[] } }[] };
  };
}

describe('fake smart-bot WebSocket server with the real SDK', () => {
  it('authenticates the SDK with aibot_subscribe and acks it', async () => {
    await connected();
    expect(fake.connections()).toBe(1);
    await fake.subscribed();
    const [sub] = fake.frames;
    expect(sub?.cmd).toBe('aibot_subscribe');
    expect(sub?.headers.req_id).toMatch(/^aibot_subscribe_\d+_/);
    expect(sub?.body).toMatchObject({ bot_id: BOT, secret: SECRET });
    expect(sub?.ack).toEqual({ errcode: 0, errmsg: 'ok' });
  });

  it('delivers a text message and records the stream reply under its req_id', async () => {
    const c = await connected();
    const got = next(c, 'message.text');
    const reqId = fake.pushMessage({ msgid: 'm1', chattype: 'single', from: { userid: 'zhangsan' }, text: '你好' });
    const frame = await got;
    expect(frame.headers.req_id).toBe(reqId);
    expect(frame.body).toMatchObject({
      msgid: 'm1',
      aibotid: BOT,
      chattype: 'single',
      from: { userid: 'zhangsan' },
      msgtype: 'text',
      text: { content: '你好' },
    });
    expect(frame.body?.chatid).toBeUndefined();

    const ack = await c.replyStream(frame, 'stream-1', '内容', true);
    expect(ack).toMatchObject({ headers: { req_id: reqId }, errcode: 0 });
    const replies = await fake.waitReplies(reqId, 1);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      cmd: 'aibot_respond_msg',
      headers: { req_id: reqId },
      body: { msgtype: 'stream', stream: { id: 'stream-1', finish: true, content: '内容' } },
      ack: { errcode: 0 },
    });
  });

  it('keeps chatid on group messages', async () => {
    const c = await connected();
    const got = next(c, 'message.text');
    fake.pushMessage({
      msgid: 'g1',
      chattype: 'group',
      chatid: 'wrGROUP',
      from: { userid: 'lisi' },
      text: '@支部助手 hi',
    });
    expect((await got).body).toMatchObject({ chattype: 'group', chatid: 'wrGROUP' });
  });

  it('refuses a second template_card for the same message', async () => {
    const c = await connected();
    const got = next(c, 'message.text');
    const reqId = fake.pushMessage({ msgid: 'm2', chattype: 'single', from: { userid: 'u1' }, text: '签到' });
    const frame = await got;
    await expect(c.replyTemplateCard(frame, card('task_a'))).resolves.toMatchObject({ errcode: 0 });
    // The SDK rejects with the raw ack frame, not an Error.
    await expect(c.replyTemplateCard(frame, card('task_b'))).rejects.toMatchObject({
      headers: { req_id: reqId },
      errcode: FAKE_ERR.cardAlreadyReplied,
    });
    expect(fake.repliesTo(reqId).map((r) => r.ack?.errcode)).toEqual([0, FAKE_ERR.cardAlreadyReplied]);
  });

  it('refuses oversized streams, streams past 6 minutes and replies to unknown req_ids', async () => {
    const c = await connected();
    const got = next(c, 'message.text');
    const reqId = fake.pushMessage({ msgid: 'm3', chattype: 'single', from: { userid: 'u1' }, text: '长文' });
    const frame = await got;
    // 20 480 bytes is fine, one more byte (CJK is 3 bytes in UTF-8) is not.
    await expect(c.replyStream(frame, 's', 'a'.repeat(20_480))).resolves.toMatchObject({ errcode: 0 });
    await expect(c.replyStream(frame, 's', `${'a'.repeat(20_478)}内`)).rejects.toMatchObject({
      errcode: FAKE_ERR.tooLarge,
    });
    fake.advance(6 * 60_000 + 1);
    await expect(c.replyStream(frame, 's', 'done', true)).rejects.toMatchObject({ errcode: FAKE_ERR.streamExpired });
    expect(fake.repliesTo(reqId)).toHaveLength(3);

    await expect(c.replyStream({ headers: { req_id: 'never-pushed' } }, 's', 'x', true)).rejects.toMatchObject({
      errcode: FAKE_ERR.unknownReqId,
    });
  });

  it('delivers card clicks with the nested payload; update within 5 s is accepted, after 6 s refused', async () => {
    const c = await connected();
    const clicks: Parameters<WSClientEventMap['event.template_card_event']>[0][] = [];
    c.on('event.template_card_event', (f) => {
      clicks.push(f);
    });

    const first = next(c, 'event.template_card_event');
    const reqId = fake.pushCardClick({
      from: 'u1',
      chattype: 'group',
      chatid: 'wrGROUP',
      taskId: 'task_vote',
      eventKey: 'submit',
      cardType: 'vote_interaction',
      selected: [{ questionKey: 'q1', optionIds: ['yes'] }],
    });
    const frame = await first;
    expect(frame.headers.req_id).toBe(reqId);
    expect(frame.body).toMatchObject({
      msgtype: 'event',
      chattype: 'group',
      chatid: 'wrGROUP',
      from: { userid: 'u1' },
    });
    const event = frame.body?.event as unknown as NestedCardEvent;
    expect(event).toEqual({
      eventtype: 'template_card_event',
      template_card_event: {
        card_type: 'vote_interaction',
        event_key: 'submit',
        task_id: 'task_vote',
        selected_items: { selected_item: [{ question_key: 'q1', option_ids: { option_id: ['yes'] } }] },
      },
    });
    // SDK 1.0.7 types promise a flat event.event_key; WeCom does not send it.
    expect(frame.body?.event.event_key).toBeUndefined();

    await expect(c.updateTemplateCard(frame, card('task_vote', '已投票'), ['u1'])).resolves.toMatchObject({
      errcode: 0,
    });
    const [update] = fake.repliesTo(reqId);
    expect(update).toMatchObject({
      cmd: 'aibot_respond_update_msg',
      body: { response_type: 'update_template_card', userids: ['u1'], template_card: { task_id: 'task_vote' } },
    });
    // The update must echo the event's task_id.
    await expect(c.updateTemplateCard(frame, card('other_task'))).rejects.toMatchObject({ errcode: FAKE_ERR.badBody });

    const second = next(c, 'event.template_card_event');
    const late = fake.pushCardClick({ from: 'u2', chattype: 'single', taskId: 'task_vote', eventKey: 'submit' });
    const lateFrame = await second;
    fake.advance(6000);
    await expect(c.updateTemplateCard(lateFrame, card('task_vote'))).rejects.toMatchObject({
      headers: { req_id: late },
      errcode: FAKE_ERR.replyTooLate,
    });
    // Pushed once each, never redelivered (not even after a refused update).
    await new Promise((r) => setTimeout(r, 50));
    expect(clicks.map((f) => f.headers.req_id)).toEqual([reqId, late]);
  });

  it('accepts a welcome within 5 s of enter_chat and refuses one after', async () => {
    const c = await connected();
    const first = next(c, 'event.enter_chat');
    const reqId = fake.pushEnterChat('u1');
    const frame = await first;
    expect(frame.body).toMatchObject({ msgtype: 'event', event: { eventtype: 'enter_chat' }, from: { userid: 'u1' } });
    await expect(c.replyWelcome(frame, { msgtype: 'text', text: { content: '欢迎' } })).resolves.toMatchObject({
      errcode: 0,
    });
    expect(fake.repliesTo(reqId)[0]?.cmd).toBe('aibot_respond_welcome_msg');

    const second = next(c, 'event.enter_chat');
    fake.pushEnterChat('u2');
    const late = await second;
    fake.advance(5001);
    await expect(c.replyWelcome(late, { msgtype: 'text', text: { content: '欢迎' } })).rejects.toMatchObject({
      errcode: FAKE_ERR.replyTooLate,
    });
  });

  it('records and acks proactive sends', async () => {
    const c = await connected();
    const ack = await c.sendMessage('wrGROUP', { msgtype: 'markdown', markdown: { content: '**通知**' } });
    expect(ack).toMatchObject({ errcode: 0 });
    const sent = fake.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      cmd: 'aibot_send_msg',
      headers: { req_id: ack.headers.req_id },
      body: { chatid: 'wrGROUP', msgtype: 'markdown', markdown: { content: '**通知**' } },
      ack: { errcode: 0 },
    });
    // task_id must be unique per bot.
    await c.sendMessage('u1', { msgtype: 'template_card', template_card: card('task_once') });
    await expect(
      c.sendMessage('u2', { msgtype: 'template_card', template_card: card('task_once') }),
    ).rejects.toMatchObject({ errcode: FAKE_ERR.duplicateTaskId });
  });

  it('refuses a wrong secret', async () => {
    const c = newClient({ secret: 'wrong', maxAuthFailureAttempts: 1 });
    const err = next(c, 'error');
    c.connect();
    expect((await err).message).toContain(`code: ${FAKE_ERR.authFailed}`);
    expect(fake.connections()).toBe(0);
    expect(fake.frames[0]).toMatchObject({ cmd: 'aibot_subscribe', ack: { errcode: FAKE_ERR.authFailed } });
  });

  it('rejectAuth forces a non-zero errcode until cleared; the SDK retries', async () => {
    fake.rejectAuth(50_001);
    const c = newClient();
    const errors: string[] = [];
    c.once('error', (e) => {
      errors.push(e.message);
      fake.rejectAuth(null);
    });
    const auth = next(c, 'authenticated');
    c.connect();
    await auth;
    expect(errors).toEqual([expect.stringContaining('code: 50001')]);
    expect(fake.frames.filter((f) => f.cmd === 'aibot_subscribe').map((f) => f.ack?.errcode)).toEqual([50_001, 0]);
  });

  it('closes a connection whose first frame is not aibot_subscribe', async () => {
    const ws = new WebSocket(fake.url);
    await new Promise((r) => ws.once('open', r));
    const reply = new Promise<string>((r) => ws.once('message', (d) => r(d.toString())));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(JSON.stringify({ cmd: 'ping', headers: { req_id: 'ping_1' } }));
    expect(JSON.parse(await reply)).toMatchObject({ headers: { req_id: 'ping_1' }, errcode: FAKE_ERR.notSubscribed });
    expect(await closed).toBe(1008);
  });

  it('after dropAll() the SDK reconnects and re-authenticates', async () => {
    const c = await connected();
    const down = next(c, 'disconnected');
    const again = next(c, 'authenticated');
    fake.dropAll();
    expect(fake.connections()).toBe(0);
    await down;
    await again;
    await fake.subscribed();
    expect(fake.connections()).toBe(1);
    expect(fake.frames.filter((f) => f.cmd === 'aibot_subscribe')).toHaveLength(2);
    // The new connection carries traffic.
    const got = next(c, 'message.text');
    fake.pushMessage({ msgid: 'm9', chattype: 'single', from: { userid: 'u1' }, text: 'still there?' });
    expect((await got).body?.msgid).toBe('m9');
  });

  it('acks pings; with acks stopped the SDK declares the link dead and reconnects', async () => {
    const c = await connected({ heartbeatInterval: 30 });
    await until(() => fake.frames.some((f) => f.cmd === 'ping' && f.ack !== undefined));
    const pings = fake.frames.filter((f) => f.cmd === 'ping');
    expect(pings.length).toBeGreaterThan(0);
    expect(pings.every((p) => p.ack?.errcode === 0)).toBe(true);

    fake.stopAckingPings(true);
    const down = next(c, 'disconnected');
    await down;
    fake.stopAckingPings(false);
    await next(c, 'authenticated');
    expect(fake.connections()).toBe(1);
  });

  it('a second client for the same bot kicks the first with disconnected_event', async () => {
    const a = await connected();
    const kicked = next(a, 'event.disconnected_event');
    const aDown = next(a, 'disconnected');
    const b = await connected();
    const ev = await kicked;
    expect(ev.body).toMatchObject({ msgtype: 'event', event: { eventtype: 'disconnected_event' }, aibotid: BOT });
    await aDown;
    expect(a.isConnected).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.connections()).toBe(1);
    // SDK 1.0.7 does not reconnect after being kicked.
    expect(fake.frames.filter((f) => f.cmd === 'aibot_subscribe')).toHaveLength(2);

    const got = next(b, 'message.text');
    fake.pushMessage({ msgid: 'm10', chattype: 'single', from: { userid: 'u1' }, text: 'to b' });
    expect((await got).body?.msgid).toBe('m10');
  });
});
