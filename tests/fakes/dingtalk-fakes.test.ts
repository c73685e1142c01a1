// Tests of the DingTalk fakes themselves, driven with plain fetch and `ws` as a protocol-following client would.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EVENT_DEADLINE_MS, until } from '../helpers/until';
import { type FakeGateway, startFakeGateway, TOPIC_CARD, TOPIC_ROBOT } from './dingtalk-gateway';
import { dingtalkSign, FAKE_ERR, type FakeOpenApi, SESSION_GONE, startFakeOpenApi } from './dingtalk-openapi';
import vectors from './dingtalk-test-vectors.json'; // copy of the dingtalk-* entries of /work/shared/protocols/test-vectors.json

const CLIENT_ID = 'dingfakeclientid';
const CLIENT_SECRET = 'fake-client-secret';
const ROBOT_SUBS = [
  { type: 'EVENT', topic: '*' },
  { type: 'CALLBACK', topic: TOPIC_ROBOT },
];

// biome-ignore lint/suspicious/noExplicitAny: frames are checked field by field
type Frame = any;

interface Client {
  ws: WebSocket;
  frames: Frame[];
  waitFrame(pred: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  ack(f: Frame, data: unknown, code?: number): void;
  closed: Promise<number>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function gateway(extra: Partial<Parameters<typeof startFakeGateway>[0]> = {}): Promise<FakeGateway> {
  const gw = await startFakeGateway({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...extra });
  cleanups.push(() => gw.close());
  return gw;
}

async function openApi(): Promise<FakeOpenApi> {
  const api = await startFakeOpenApi({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    robotCode: CLIENT_ID,
    templateId: 'tpl-1.schema',
    users: ['u1', 'u2', 'u3'],
  });
  cleanups.push(() => api.close());
  return api;
}

async function open(gw: FakeGateway, subscriptions = ROBOT_SUBS, secret = CLIENT_SECRET) {
  const res = await fetch(gw.openUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ clientId: CLIENT_ID, clientSecret: secret, ua: 'zhibu-test/1.0', subscriptions }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** Upgrade status: 101 when the socket opened (then closed again), else the HTTP status of the refusal. */
function tryUpgrade(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => reject(err));
  });
}

async function connect(gw: FakeGateway, subscriptions = ROBOT_SUBS): Promise<Client> {
  const { body } = await open(gw, subscriptions);
  const ws = new WebSocket(`${body.endpoint}?ticket=${body.ticket}`);
  const frames: Frame[] = [];
  const waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  ws.on('message', (raw) => {
    let f: Frame;
    try {
      f = JSON.parse(raw.toString());
    } catch {
      f = { raw: raw.toString() };
    }
    frames.push(f);
    for (const w of [...waiters]) {
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  cleanups.push(() => ws.terminate());
  return {
    ws,
    frames,
    closed,
    waitFrame(pred, timeoutMs = EVENT_DEADLINE_MS) {
      const seen = frames.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no matching frame')), timeoutMs);
        waiters.push({
          pred,
          resolve: (f) => {
            clearTimeout(t);
            resolve(f);
          },
        });
      });
    },
    ack(f, data, code = 200) {
      ws.send(
        JSON.stringify({
          code,
          headers: { contentType: 'application/json', messageId: f.headers.messageId },
          message: 'OK',
          data: JSON.stringify(data),
        }),
      );
    },
  };
}

const byId = (id: string) => (f: Frame) => f.headers?.messageId === id;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fake Stream gateway', () => {
  it('opens with a ticket, connects once per ticket and refuses bad credentials and stale tickets', async () => {
    const gw = await gateway();
    expect((await open(gw, ROBOT_SUBS, 'wrong')).status).toBe(401);
    const { status, body } = await open(gw);
    expect(status).toBe(200);
    expect(body.endpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/connect$/);
    expect(body.ticket).toMatch(/^[0-9a-f-]{36}$/);
    expect(gw.opens.map((o) => o.status)).toEqual([401, 200]);
    expect(gw.opens[1]).toMatchObject({ clientId: CLIENT_ID, subscriptions: ROBOT_SUBS, accept: 'application/json' });

    const url = `${body.endpoint}?ticket=${body.ticket}`;
    expect(await tryUpgrade(url)).toBe(101);
    expect(await tryUpgrade(url)).toBe(401); // a ticket opens one connection only
    expect(await tryUpgrade(`${body.endpoint}?ticket=nope`)).toBe(401);

    const late = await open(gw);
    gw.advance(90_001);
    expect(await tryUpgrade(`${late.body.endpoint}?ticket=${late.body.ticket}`)).toBe(401);
    expect(gw.upgrades.map((u) => u.reason ?? 'ok')).toEqual([
      'ok',
      'ticket already used',
      'unknown ticket',
      'ticket expired',
    ]);
    expect((await open(gw, [{ type: 'EVENT', topic: 'user_add_org' }])).status).toBe(400);
  });

  it('pushes a robot message as a §2 CALLBACK frame', async () => {
    const gw = await gateway();
    const c = await connect(gw);
    await gw.waitConnections(1);
    const payload = { msgId: 'msg1', conversationId: 'cid1', msgtype: 'text', text: { content: ' hi' } };
    const id = gw.pushRobot(payload);
    const f = await c.waitFrame(byId(id));
    expect(f.specVersion).toBe('1.0');
    expect(f.type).toBe('CALLBACK');
    expect(typeof f.data).toBe('string');
    expect(JSON.parse(f.data)).toEqual(payload);
    expect(Object.keys(f.headers).sort()).toEqual([
      'appId',
      'connectionId',
      'contentType',
      'messageId',
      'time',
      'topic',
    ]);
    expect(f.headers).toMatchObject({ contentType: 'application/json', messageId: id, topic: TOPIC_ROBOT });
    expect(f.headers.time).toMatch(/^\d{13}$/);
    expect(gw.deliveries(id)).toBe(1);
  });

  it('redelivers an un-acked callback with the same messageId after 60 s, but not an acked one', async () => {
    const gw = await gateway();
    const c = await connect(gw);
    const lost = gw.pushRobot({ msgId: 'a' });
    const kept = gw.pushRobot({ msgId: 'b' });
    c.ack(await c.waitFrame(byId(kept)), { response: null });
    await until(() => gw.ackFor(kept) !== undefined);
    expect(gw.ackFor(kept)).toMatchObject({ code: 200, headers: { messageId: kept }, message: 'OK' });

    gw.advance(59_000);
    await sleep(60);
    expect(gw.deliveries(lost)).toBe(1);
    gw.advance(1_000);
    await until(() => c.frames.filter(byId(lost)).length === 2);
    expect(gw.deliveries(lost)).toBe(2);
    expect(gw.deliveries(kept)).toBe(1);
    const [first, second] = c.frames.filter(byId(lost));
    expect(second.data).toBe(first.data);
  });

  it('queues messages while no subscribed connection exists and delivers on connect', async () => {
    const gw = await gateway();
    const id = gw.pushRobot({ msgId: 'early' });
    expect(gw.deliveries(id)).toBe(0);
    const noRobot = await connect(gw, [{ type: 'EVENT', topic: '*' }]);
    await sleep(60);
    expect(gw.deliveries(id)).toBe(0); // not subscribed to TOPIC_ROBOT
    const c = await connect(gw);
    await c.waitFrame(byId(id));
    expect(noRobot.frames.filter(byId(id))).toHaveLength(0);
  });

  it('records ping echoes', async () => {
    const gw = await gateway();
    const c = await connect(gw);
    const id = gw.ping();
    const f = await c.waitFrame(byId(id));
    expect(f.type).toBe('SYSTEM');
    expect(f.headers.topic).toBe('ping');
    expect(JSON.parse(f.data).opaque).toEqual(expect.any(String));
    c.ws.send(JSON.stringify({ code: 200, headers: f.headers, message: 'OK', data: f.data }));
    await until(() => gw.pingEchoed(id));
    expect(gw.ackFor(id)?.data).toBe(f.data);

    const id2 = gw.ping();
    const f2 = await c.waitFrame(byId(id2));
    c.ack(f2, { opaque: 'other' });
    await until(() => gw.badFrames.length > 0);
    expect(gw.pingEchoed(id2)).toBe(false);
    expect(gw.badFrames[0]?.reason).toMatch(/same data/);
  });

  it('sends SYSTEM disconnect, stops delivering there and closes the socket later', async () => {
    const gw = await gateway({ disconnectCloseAfterMs: 10_000 });
    const old = await connect(gw);
    gw.sendDisconnect();
    const f = await old.waitFrame((x) => x.headers?.topic === 'disconnect');
    expect(f.type).toBe('SYSTEM');
    expect(JSON.parse(f.data)).toEqual({ reason: 'connection is expired' });

    const id = gw.pushRobot({ msgId: 'during-drain' });
    expect(gw.deliveries(id)).toBe(0);
    const fresh = await connect(gw);
    await fresh.waitFrame(byId(id));
    expect(gw.connections()).toBe(2);
    gw.advance(9_000);
    await sleep(50);
    expect(gw.connections()).toBe(2);
    gw.advance(1_000);
    expect(await old.closed).toBe(1000);
    await gw.waitConnections(1);
  });

  it('refuses the next n opens, then opens again', async () => {
    const gw = await gateway();
    gw.refuseOpens(2);
    gw.refuseOpens(1, 500);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await open(gw)).status);
    expect(statuses).toEqual([503, 503, 500, 200]);
    expect(gw.opens.map((o) => o.status)).toEqual([503, 503, 500, 200]);
  });

  it('checks EVENT acks for status SUCCESS or LATER', async () => {
    const gw = await gateway();
    const c = await connect(gw);
    const id = gw.pushEvent('user_add_org', { userId: ['u1'] });
    const f = await c.waitFrame(byId(id));
    expect(f.type).toBe('EVENT');
    expect(f.headers).toMatchObject({ eventType: 'user_add_org', topic: 'user_add_org' });
    for (const h of ['eventId', 'eventBornTime', 'eventCorpId', 'eventUnifiedAppId']) expect(f.headers[h]).toBeTruthy();
    expect(JSON.parse(f.data)).toEqual({ userId: ['u1'] });

    c.ack(f, {}); // no status: refused, so redelivered
    await until(() => gw.badFrames.length === 1);
    expect(gw.badFrames[0]?.reason).toMatch(/status SUCCESS or LATER/);
    gw.advance(60_000);
    await until(() => c.frames.filter(byId(id)).length === 2);

    c.ack(f, { status: 'LATER' }); // retry later: redelivered again after the delay
    await until(() => gw.acks.length === 2);
    gw.advance(60_000);
    await until(() => c.frames.filter(byId(id)).length === 3);

    c.ack(f, { status: 'SUCCESS', message: 'ok' });
    await until(() => gw.acks.length === 3);
    gw.advance(60_000);
    await sleep(60);
    expect(gw.deliveries(id)).toBe(3);
  });

  it('spreads messages over several connections, sends raw frames and terminates sockets', async () => {
    const gw = await gateway();
    const a = await connect(gw);
    const b = await connect(gw);
    await gw.waitConnections(2);
    const ids = Array.from({ length: 40 }, (_, i) => gw.pushRobot({ msgId: `m${i}` }));
    await until(() => a.frames.length + b.frames.length === 40);
    expect(a.frames.length).toBeGreaterThan(0);
    expect(b.frames.length).toBeGreaterThan(0);
    expect(ids.every((id) => gw.deliveries(id) === 1)).toBe(true);

    gw.sendRaw('not json');
    await until(() => a.frames.some((f) => f.raw === 'not json'));
    gw.terminateAll();
    await a.closed;
    await b.closed;
    await gw.waitConnections(0);
  });

  it('stalls: frames are lost and acks unread until resumed, then the message is redelivered', async () => {
    const gw = await gateway();
    const c = await connect(gw);
    gw.stall(true);
    const id = gw.pushRobot({ msgId: 'stalled' });
    expect(gw.deliveries(id)).toBe(1);
    await sleep(60);
    expect(c.frames).toHaveLength(0);
    gw.stall(false);
    gw.advance(60_000);
    c.ack(await c.waitFrame(byId(id)), { response: null });
    await until(() => gw.ackFor(id) !== undefined);
    expect(gw.deliveries(id)).toBe(2);
  });

  it('routes card clicks through the card store and applies the ack response', async () => {
    const api = await openApi();
    const gw = await gateway({ cardStore: api });
    const token = await getToken(api);
    const created = await call(api, token, 'POST', '/v1.0/card/instances/createAndDeliver', {
      cardTemplateId: 'tpl-1.schema',
      outTrackId: 'card-1',
      callbackType: 'STREAM',
      cardData: { cardParamMap: { title: '学习', count: '0' } },
      openSpaceId: 'dtv1.card//IM_ROBOT.u1',
      imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: CLIENT_ID },
    });
    expect(created.status).toBe(200);
    const c = await connect(gw, [...ROBOT_SUBS, { type: 'CALLBACK', topic: TOPIC_CARD }]);
    const id = gw.pushCardClick({ outTrackId: 'card-1', userId: 'u1', actionIds: ['ok'], params: { action: 'ok' } });
    const f = await c.waitFrame(byId(id));
    expect(f.headers.topic).toBe(TOPIC_CARD);
    const data = JSON.parse(f.data);
    expect(data).toMatchObject({ outTrackId: 'card-1', userId: 'u1', type: 'actionCallback', spaceType: 'IM_ROBOT' });
    expect(JSON.parse(data.content)).toEqual({ cardPrivateData: { actionIds: ['ok'], params: { action: 'ok' } } });
    c.ack(f, {
      response: {
        cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
        cardData: { cardParamMap: { count: '1' } },
        userPrivateData: { cardParamMap: { done: 'true' } },
      },
    });
    await until(() => api.cards.get('card-1')?.updates === 1);
    expect(api.cards.get('card-1')).toMatchObject({
      cardParamMap: { title: '学习', count: '1' },
      privateData: { u1: { done: 'true' } },
    });
    expect(() => gw.pushCardClick({ outTrackId: 'nope', userId: 'u1', actionIds: [], params: {} })).toThrow();
  });
});

async function call(api: FakeOpenApi, token: string | undefined, method: string, path: string, body: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['x-acs-dingtalk-access-token'] = token;
  const res = await fetch(`${api.url}${path}`, { method, headers, body: JSON.stringify(body) });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  return { status: res.status, body: (await res.json()) as any };
}

async function getToken(api: FakeOpenApi): Promise<string> {
  const r = await call(api, undefined, 'POST', '/v1.0/oauth2/accessToken', {
    appKey: CLIENT_ID,
    appSecret: CLIENT_SECRET,
  });
  return r.body.accessToken;
}

const send = (userIds: string[], extra: Record<string, unknown> = {}) => ({
  robotCode: CLIENT_ID,
  userIds,
  msgKey: 'sampleText',
  msgParam: JSON.stringify({ content: '提醒' }),
  ...extra,
});

describe('fake OpenAPI', () => {
  it('issues tokens, requires them, and rejects an expired one until renewed', async () => {
    const api = await openApi();
    const bad = await call(api, undefined, 'POST', '/v1.0/oauth2/accessToken', { appKey: CLIENT_ID, appSecret: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: FAKE_ERR.badCredentials, requestid: expect.any(String) });
    const ok = await call(api, undefined, 'POST', '/v1.0/oauth2/accessToken', {
      appKey: CLIENT_ID,
      appSecret: CLIENT_SECRET,
    });
    expect(ok.body).toEqual({ accessToken: expect.any(String), expireIn: 7200 });
    expect(await getToken(api)).toBe(ok.body.accessToken); // same token while valid
    expect(api.tokenCalls()).toBe(3);

    const missing = await call(api, undefined, 'POST', '/v1.0/robot/oToMessages/batchSend', send(['u1']));
    expect(missing.status).toBe(401);
    expect(
      (await call(api, ok.body.accessToken, 'POST', '/v1.0/robot/oToMessages/batchSend', send(['u1']))).status,
    ).toBe(200);
    api.expireToken();
    const expired = await call(api, ok.body.accessToken, 'POST', '/v1.0/robot/oToMessages/batchSend', send(['u1']));
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('InvalidAuthentication');
    const renewed = await getToken(api);
    expect(renewed).not.toBe(ok.body.accessToken);
    expect((await call(api, renewed, 'POST', '/v1.0/robot/oToMessages/batchSend', send(['u1']))).status).toBe(200);

    api.advance(7200_000);
    expect((await call(api, renewed, 'POST', '/v1.0/robot/oToMessages/batchSend', send(['u1']))).status).toBe(401);
  });

  it('enforces batchSend limits and reports invalid and flow-controlled ids', async () => {
    const api = await openApi();
    const token = await getToken(api);
    const post = (body: unknown) => call(api, token, 'POST', '/v1.0/robot/oToMessages/batchSend', body);
    const many = Array.from({ length: 21 }, (_, i) => `u${i}`);
    expect((await post(send(many))).body.code).toBe(FAKE_ERR.userIds);
    expect((await post(send(['u1'], { msgParam: { content: 'x' } }))).body.code).toBe(FAKE_ERR.msgParam);
    expect((await post(send(['u1'], { msgKey: 'text' }))).body.code).toBe(FAKE_ERR.msgKey);
    expect((await post(send(['u1'], { robotCode: 'other' }))).body.code).toBe(FAKE_ERR.robotCode);
    expect((await post(send(['u1'], { msgKey: 'sampleMarkdown' }))).status).toBe(400); // title/text missing
    expect(api.inbox('u1')).toHaveLength(0);

    api.flowControlNext(['u2']);
    const r = await post(send(['u1', 'u2', 'ghost']));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      processQueryKey: expect.any(String),
      invalidStaffIdList: ['ghost'],
      flowControlledStaffIdList: ['u2'],
    });
    expect(api.inbox('u1')).toEqual([
      {
        msgKey: 'sampleText',
        msgParam: { content: '提醒' },
        at: expect.any(Number),
        processQueryKey: expect.any(String),
      },
    ]);
    expect(api.inbox('u2')).toHaveLength(0);
    await post(send(['u2']));
    expect(api.inbox('u2')).toHaveLength(1); // flow control was one-shot

    api.failNext(1, { status: 403, code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi' });
    const throttled = await post(send(['u3']));
    expect(throttled.status).toBe(403);
    expect(throttled.body.code).toBe('Forbidden.AccessDenied.QpsLimitForAppkeyAndApi');
    expect(api.inbox('u3')).toHaveLength(0);
    expect(api.calls.at(-1)?.headers['x-acs-dingtalk-access-token']).toBe(token);
  });

  it('sends group messages up to 15000 bytes of msgParam', async () => {
    const api = await openApi();
    const token = await getToken(api);
    const body = (content: string) => ({
      robotCode: CLIENT_ID,
      openConversationId: 'cidG1',
      msgKey: 'sampleMarkdown',
      msgParam: JSON.stringify({ title: 't', text: content }),
    });
    const ok = await call(api, token, 'POST', '/v1.0/robot/groupMessages/send', body('# 通知'));
    expect(ok.body).toEqual({ processQueryKey: expect.any(String) });
    const big = await call(api, token, 'POST', '/v1.0/robot/groupMessages/send', body('字'.repeat(5000)));
    expect(big.status).toBe(400);
    expect(api.group('cidG1')).toHaveLength(1);
  });

  it('accepts session webhook posts until they expire, then answers 300001', async () => {
    const api = await openApi();
    const hook = api.sessionWebhook('cid1');
    const post = async (body: unknown) =>
      (
        await fetch(hook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
    const text = { msgtype: 'text', text: { content: '收到' }, at: { atUserIds: ['u1'], isAtAll: false } };
    expect(await post(text)).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(await post({ msgtype: 'markdown', markdown: { text: 'no title' } })).toMatchObject({ errcode: 40035 });
    expect(api.webhookPosts('cid1')).toEqual([text]);
    api.advance(90 * 60_000);
    expect(await post(text)).toEqual(SESSION_GONE);
    expect(await post(text)).toEqual({ errcode: 300001, errmsg: 'session 不存在' });
    expect(api.webhookPosts('cid1')).toHaveLength(1);
  });

  it('creates cards with string-only params, is idempotent on outTrackId, merges or replaces on update', async () => {
    const api = await openApi();
    const token = await getToken(api);
    const create = (extra: Record<string, unknown>) =>
      call(api, token, 'POST', '/v1.0/card/instances/createAndDeliver', {
        cardTemplateId: 'tpl-1.schema',
        outTrackId: 'c1',
        callbackType: 'STREAM',
        cardData: { cardParamMap: { a: '1', b: '2' } },
        openSpaceId: 'dtv1.card//IM_ROBOT.u1;dtv1.card//IM_ROBOT.ghost',
        imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: CLIENT_ID },
        ...extra,
      });
    const numeric = await create({ cardData: { cardParamMap: { a: 1 } } });
    expect(numeric.status).toBe(400);
    expect(numeric.body.code).toBe(FAKE_ERR.cardParamMap);
    expect((await create({ cardTemplateId: 'unpublished' })).body.code).toBe(FAKE_ERR.template);

    const first = await create({});
    expect(first.body).toEqual({
      success: true,
      result: {
        outTrackId: 'c1',
        deliverResults: [
          { spaceType: 'IM_ROBOT', spaceId: 'u1', success: true, carrierId: expect.any(String) },
          { spaceType: 'IM_ROBOT', spaceId: 'ghost', success: false, errorMsg: expect.any(String) },
        ],
      },
    });
    const again = await create({ cardData: { cardParamMap: { a: 'changed' } } });
    expect(again.body).toEqual(first.body); // no-op
    expect(api.cards.get('c1')).toMatchObject({ cardParamMap: { a: '1', b: '2' }, spaces: ['dtv1.card//IM_ROBOT.u1'] });

    const update = (cardParamMap: unknown, byKey: boolean) =>
      call(api, token, 'PUT', '/v1.0/card/instances', {
        outTrackId: 'c1',
        cardData: { cardParamMap },
        cardUpdateOptions: { updateCardDataByKey: byKey },
      });
    expect((await update({ b: '3' }, true)).body).toEqual({ success: true, result: true });
    expect(api.cards.get('c1')?.cardParamMap).toEqual({ a: '1', b: '3' });
    expect((await update({ c: true }, true)).status).toBe(400);
    await update({ c: '4' }, false);
    expect(api.cards.get('c1')?.cardParamMap).toEqual({ c: '4' });
    expect(api.cards.get('c1')?.updates).toBe(2);
    const missing = await call(api, token, 'PUT', '/v1.0/card/instances', { outTrackId: 'nope', cardData: {} });
    expect(missing.body.code).toBe(FAKE_ERR.cardNotFound);
  });
});

describe('HTTP-mode robot signature', () => {
  it('matches the dingtalk-http-robot-sign vector', () => {
    const v = vectors.vectors.find((x) => x.id === 'dingtalk-http-robot-sign');
    if (!v || !('input' in v) || !v.input || !('expected' in v) || !v.expected || !('sign' in v.expected))
      throw new Error('vector missing');
    const sign = dingtalkSign(v.input.app_secret ?? '', v.input.timestamp ?? '');
    expect(sign).toBe(v.expected.sign);
    expect(encodeURIComponent(sign)).toBe(v.expected.sign_url_encoded);
  });
});
