// A fake DingTalk Stream gateway on 127.0.0.1, faithful to the documented protocol (protocol reference §2, §7.3, §10A).
// Step 1 `POST /v1.0/gateway/connections/open` hands out a single-use 90-s ticket; step 2 the WebSocket upgrade at
// `/connect?ticket=…` consumes it. Frames are `{specVersion, type, headers, data}` with `data` a JSON *string*; the
// client acks with `{code, headers:{messageId}, message, data}`. Un-acked CALLBACK/EVENT frames are redelivered with
// the same messageId, each message goes to one random connection, SYSTEM ping/disconnect behave as documented.
//
// Time (ticket expiry, redelivery, the close after a SYSTEM disconnect) runs on an injectable clock: `advance(ms)`
// moves it and immediately runs the due work; a short real interval also runs it, so with the default clock
// (Date.now() + advanced offset) things also happen in real time.
//
// Error bodies use DingTalk's `{code, message, requestid}` shape. The gateway's real codes for a refused open are not
// documented: `InvalidAuthentication`, `ServiceUnavailable`, `invalidParameter` are the fake's choice.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { EVENT_DEADLINE_MS } from '../helpers/until';

export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
export const TOPIC_CARD = '/v1.0/card/instances/callback';
export const OPEN_PATH = '/v1.0/gateway/connections/open';
const TICKET_TTL_MS = 90_000;
const TICK_MS = 20;

/** What the gateway needs from a card store (the fake OpenAPI implements it) to make card clicks faithful. */
export interface CardStoreLink {
  /** Where a click by `userId` on card `outTrackId` happens; throws when the card does not exist, was not created
   *  with `callbackType:"STREAM"`, or is not visible to that user (no callback would ever be sent). */
  cardClickTarget(outTrackId: string, userId: string): { spaceType: string; spaceId: string };
  /** Applies the `response` of a card CALLBACK ack (§7.3); returns an error text when it is malformed. */
  applyCardResponse(outTrackId: string, userId: string, response: Record<string, unknown>): string | undefined;
}

export interface FakeGatewayOptions {
  clientId: string;
  clientSecret: string;
  redeliverAfterMs?: number; // default 60000
  disconnectCloseAfterMs?: number; // default 10000
  now?: () => number;
  /** `headers.appId` of pushed frames (default: a random uuid). */
  appId?: string;
  /** corpId of card callbacks and `eventCorpId` of events (default `dingfakecorp0000`). */
  corpId?: string;
  /** Link to the fake OpenAPI's card store: clicks are checked against it and ack responses applied to it. */
  cardStore?: CardStoreLink;
}

export interface GatewayFrameOut {
  type: 'SYSTEM' | 'EVENT' | 'CALLBACK';
  headers: Record<string, string>;
  data: string;
}

export interface AckIn {
  code: number;
  headers: { messageId: string; contentType?: string };
  message?: string;
  data: string;
  at: number;
}

export interface Subscription {
  type: string;
  topic: string;
}

export interface OpenCall {
  clientId: string;
  subscriptions: Subscription[];
  at: number;
  status: number;
  /** The request's Accept header ('' when absent; the real gateway then answers XML — the fake answers JSON). */
  accept: string;
  ua?: string;
}

export interface UpgradeAttempt {
  ticket: string;
  status: 101 | 401 | 404;
  reason?: string;
  at: number;
}

/** A client frame the fake could not accept as an ack (still recorded in `acks` when it had the ack shape). */
export interface BadFrame {
  raw: string;
  reason: string;
  at: number;
}

export interface FakeGateway {
  openUrl: string;
  opens: OpenCall[];
  /** Every WebSocket upgrade attempt with its outcome. */
  upgrades: UpgradeAttempt[];
  connections(): number;
  /** Resolves when exactly `n` sockets are open (default timeout 5000 ms). */
  waitConnections(n: number, timeoutMs?: number): Promise<void>;
  refuseOpens(n: number, status?: number): void;
  pushRobot(payload: Record<string, unknown>): string;
  pushCardClick(c: {
    outTrackId: string;
    userId: string;
    actionIds: string[];
    params: Record<string, unknown>;
    spaceType?: string;
    spaceId?: string;
  }): string;
  pushEvent(eventType: string, data: Record<string, unknown>): string;
  ping(): string;
  sendDisconnect(): void;
  sendRaw(text: string): void;
  terminateAll(): void;
  /** Half-open sockets: while on, nothing is read from the clients (no pong to WS pings, acks wait in the kernel)
   *  and frames routed to them are lost (redelivered later like any un-acked frame). */
  stall(on: boolean): void;
  acks: AckIn[];
  ackFor(messageId: string): AckIn | undefined;
  /** Whether the ping `messageId` was echoed correctly (code 200, same messageId, same data). */
  pingEchoed(messageId: string): boolean;
  deliveries(messageId: string): number;
  /** Every frame written to a socket, in order (connectionId is in the headers). */
  sent: GatewayFrameOut[];
  badFrames: BadFrame[];
  advance(ms: number): void;
  close(): Promise<void>;
}

interface Conn {
  id: string;
  ws: WebSocket;
  subscriptions: Subscription[];
  draining: boolean;
  closeAt?: number;
}

interface Message {
  messageId: string;
  type: 'EVENT' | 'CALLBACK';
  topic: string;
  headers: Record<string, string>;
  data: string;
  deliveries: number;
  lastSentAt?: number;
  acked: boolean;
  card?: { outTrackId: string; userId: string };
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function startFakeGateway(opts: FakeGatewayOptions): Promise<FakeGateway> {
  let offset = 0;
  const now = () => (opts.now ? opts.now() : Date.now()) + offset;
  const redeliverAfterMs = opts.redeliverAfterMs ?? 60_000;
  const disconnectCloseAfterMs = opts.disconnectCloseAfterMs ?? 10_000;
  const appId = opts.appId ?? randomUUID();
  const corpId = opts.corpId ?? 'dingfakecorp0000';

  const opens: OpenCall[] = [];
  const upgrades: UpgradeAttempt[] = [];
  const acks: AckIn[] = [];
  const sent: GatewayFrameOut[] = [];
  const badFrames: BadFrame[] = [];
  const tickets = new Map<string, { issuedAt: number; used: boolean; subscriptions: Subscription[] }>();
  const conns = new Map<string, Conn>();
  const messages = new Map<string, Message>();
  const pings = new Map<string, { data: string; echoed: boolean }>();
  const disconnects = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let refusals: number[] = [];
  let stalled = false;
  let seq = 0;

  // Shaped like the documented sample `212ca9d7_974_1898c159aa6_1783b`.
  const newMessageId = () =>
    `${randomBytes(4).toString('hex')}_${++seq}_${now().toString(16)}_${randomBytes(3).toString('hex').slice(0, 5)}`;
  const errBody = (code: string, message: string) => ({ code, message, requestid: randomUUID().toUpperCase() });

  function reply(res: ServerResponse, status: number, body: Json) {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  // --- step 1: connections/open ---
  async function handleHttp(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (u.pathname !== OPEN_PATH || req.method !== 'POST') return reply(res, 404, errBody('NotFound', 'not modelled'));
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = undefined;
    }
    const b = isObj(body) ? body : {};
    const subscriptions = Array.isArray(b.subscriptions)
      ? b.subscriptions.filter(isObj).map((s) => ({ type: String(s.type), topic: String(s.topic) }))
      : [];
    const call: OpenCall = {
      clientId: typeof b.clientId === 'string' ? b.clientId : '',
      subscriptions,
      at: now(),
      status: 200,
      accept: String(req.headers.accept ?? ''),
      ...(typeof b.ua === 'string' ? { ua: b.ua } : {}),
    };
    opens.push(call);
    const answer = (status: number, out: Json) => {
      call.status = status;
      reply(res, status, out);
    };

    const refused = refusals.shift();
    if (refused !== undefined) return answer(refused, errBody('ServiceUnavailable', 'fake: open refused'));
    if (!isObj(body)) return answer(400, errBody('invalidParameter', 'body must be a JSON object'));
    if (b.clientId !== opts.clientId || b.clientSecret !== opts.clientSecret)
      return answer(401, errBody('InvalidAuthentication', 'clientId or clientSecret invalid'));
    if (!Array.isArray(b.subscriptions) || subscriptions.length !== b.subscriptions.length)
      return answer(400, errBody('invalidParameter', 'subscriptions must be an array of {type, topic}'));
    for (const s of subscriptions) {
      if (!['EVENT', 'CALLBACK', 'SYSTEM'].includes(s.type))
        return answer(400, errBody('invalidParameter', `unknown subscription type ${s.type}`));
      if (s.type === 'EVENT' && s.topic !== '*')
        return answer(400, errBody('invalidParameter', 'EVENT subscriptions take only topic "*"'));
    }
    const ticket = randomUUID();
    tickets.set(ticket, { issuedAt: now(), used: false, subscriptions });
    const { port } = server.address() as AddressInfo;
    return answer(200, { endpoint: `ws://127.0.0.1:${port}/connect`, ticket });
  }

  // --- step 2: WebSocket upgrade ---
  function refuseUpgrade(socket: Duplex, status: 401 | 404, reason: string, ticket: string) {
    upgrades.push({ ticket, status, reason, at: now() });
    const body = JSON.stringify(errBody(status === 401 ? 'InvalidAuthentication' : 'NotFound', reason));
    const text = status === 401 ? 'Unauthorized' : 'Not Found';
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = u.searchParams.get('ticket') ?? '';
    if (u.pathname !== '/connect') return refuseUpgrade(socket, 404, 'unknown path', ticket);
    const t = tickets.get(ticket);
    if (!t) return refuseUpgrade(socket, 401, 'unknown ticket', ticket);
    if (t.used) return refuseUpgrade(socket, 401, 'ticket already used', ticket);
    if (now() - t.issuedAt > TICKET_TTL_MS) return refuseUpgrade(socket, 401, 'ticket expired', ticket);
    t.used = true;
    upgrades.push({ ticket, status: 101, at: now() });
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, t.subscriptions));
  }

  function onConnection(ws: WebSocket, subscriptions: Subscription[]) {
    const conn: Conn = { id: randomBytes(16).toString('hex'), ws, subscriptions, draining: false };
    conns.set(conn.id, conn);
    if (stalled) ws.pause();
    ws.on('message', (raw: RawData) => onClientFrame(raw.toString()));
    ws.on('close', () => conns.delete(conn.id));
    ws.on('error', () => conns.delete(conn.id));
    tick(); // messages pushed while nobody could take them go out now
  }

  // --- delivery ---
  const isOpen = (c: Conn) => c.ws.readyState === c.ws.OPEN;
  const subscribed = (c: Conn, m: Message) =>
    c.subscriptions.some((s) =>
      m.type === 'EVENT' ? s.type === 'EVENT' && s.topic === '*' : s.type === 'CALLBACK' && s.topic === m.topic,
    );
  const pick = <T>(list: T[]): T | undefined => list[Math.floor(Math.random() * list.length)];

  function write(conn: Conn, type: GatewayFrameOut['type'], headers: Record<string, string>, data: string) {
    const frame: GatewayFrameOut = { type, headers: { ...headers, connectionId: conn.id }, data };
    sent.push(frame);
    if (stalled) return; // lost on the half-open socket
    conn.ws.send(JSON.stringify({ specVersion: '1.0', ...frame }));
  }

  function deliver(m: Message): boolean {
    const target = pick([...conns.values()].filter((c) => isOpen(c) && !c.draining && subscribed(c, m)));
    if (!target) return false;
    m.deliveries++;
    m.lastSentAt = now();
    write(target, m.type, m.headers, m.data);
    return true;
  }

  function tick() {
    const t = now();
    for (const m of messages.values()) {
      if (m.acked) continue;
      if (m.lastSentAt === undefined || t - m.lastSentAt >= redeliverAfterMs) deliver(m);
    }
    for (const c of conns.values()) {
      if (c.closeAt !== undefined && t >= c.closeAt && isOpen(c)) c.ws.close(1000, 'connection is expired');
    }
  }

  function push(type: 'EVENT' | 'CALLBACK', topic: string, data: Json, extra: Record<string, string> = {}): Message {
    const messageId = newMessageId();
    const headers = {
      appId,
      contentType: 'application/json',
      messageId,
      time: String(now()),
      topic,
      ...extra,
    };
    const m: Message = { messageId, type, topic, headers, data: JSON.stringify(data), deliveries: 0, acked: false };
    messages.set(messageId, m);
    deliver(m); // when nobody subscribed is connected, it waits for the next eligible connection
    return m;
  }

  // --- client frames (acks, ping echoes) ---
  function onClientFrame(raw: string) {
    const bad = (reason: string) => badFrames.push({ raw, reason, at: now() });
    let f: unknown;
    try {
      f = JSON.parse(raw);
    } catch {
      return bad('not JSON');
    }
    if (!isObj(f) || !isObj(f.headers) || typeof f.headers.messageId !== 'string')
      return bad('not an ack: headers.messageId missing');
    if (typeof f.code !== 'number') return bad('ack code must be a number');
    if (typeof f.data !== 'string') return bad('ack data must be a JSON string');
    const messageId = f.headers.messageId;
    const ack: AckIn = {
      code: f.code,
      headers: {
        messageId,
        ...(typeof f.headers.contentType === 'string' ? { contentType: f.headers.contentType } : {}),
      },
      ...(typeof f.message === 'string' ? { message: f.message } : {}),
      data: f.data,
      at: now(),
    };
    acks.push(ack);

    const ping = pings.get(messageId);
    if (ping) {
      if (ack.code !== 200) return bad('ping echo needs code 200');
      if (ack.data !== ping.data) return bad('ping echo must carry the same data');
      ping.echoed = true;
      return;
    }
    if (disconnects.has(messageId)) return bad('SYSTEM disconnect takes no reply');
    const m = messages.get(messageId);
    if (!m) return bad('ack for an unknown messageId');
    if (m.acked) return; // a late ack for a redelivered copy
    if (ack.code !== 200) return bad(`ack code ${ack.code}: will be redelivered`);
    let data: unknown;
    try {
      data = JSON.parse(ack.data);
    } catch {
      return bad('ack data is not parseable JSON');
    }
    if (m.type === 'EVENT') {
      const status = isObj(data) ? data.status : undefined;
      if (status !== 'SUCCESS' && status !== 'LATER') return bad('EVENT ack data needs status SUCCESS or LATER');
      if (status === 'LATER') {
        m.lastSentAt = now(); // "retry later": redelivered after the delay, same messageId
        return;
      }
    }
    m.acked = true;
    if (m.card && opts.cardStore && isObj(data) && isObj(data.response)) {
      const err = opts.cardStore.applyCardResponse(m.card.outTrackId, m.card.userId, data.response);
      if (err) bad(`card response refused: ${err}`);
    }
  }

  // --- servers ---
  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      if (!res.headersSent) reply(res, 500, errBody('InternalError', String(err)));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', handleUpgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const interval = setInterval(tick, TICK_MS);
  interval.unref();

  const openConns = () => [...conns.values()].filter(isOpen);

  return {
    openUrl: `http://127.0.0.1:${port}${OPEN_PATH}`,
    opens,
    upgrades,
    acks,
    sent,
    badFrames,
    connections: () => openConns().length,
    waitConnections(n, timeoutMs = EVENT_DEADLINE_MS) {
      const deadline = Date.now() + timeoutMs;
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          const have = openConns().length;
          if (have === n) return resolve();
          if (Date.now() >= deadline) return reject(new Error(`fake gateway: ${have} connections, wanted ${n}`));
          const t = setTimeout(() => {
            timers.delete(t);
            check();
          }, 10);
          timers.add(t);
        };
        check();
      });
    },
    refuseOpens(n, status = 503) {
      for (let i = 0; i < n; i++) refusals.push(status);
    },
    pushRobot: (payload) => push('CALLBACK', TOPIC_ROBOT, payload).messageId,
    pushCardClick(c) {
      const target = opts.cardStore?.cardClickTarget(c.outTrackId, c.userId) ?? {
        spaceType: c.spaceType ?? 'IM_ROBOT',
        spaceId: c.spaceId ?? c.userId,
      };
      const data = {
        outTrackId: c.outTrackId,
        userId: c.userId,
        corpId,
        type: 'actionCallback',
        spaceType: target.spaceType,
        spaceId: target.spaceId,
        userIdType: 1,
        extension: '{}',
        content: JSON.stringify({ cardPrivateData: { actionIds: c.actionIds, params: c.params } }),
      };
      const m = push('CALLBACK', TOPIC_CARD, data);
      m.card = { outTrackId: c.outTrackId, userId: c.userId };
      return m.messageId;
    },
    pushEvent(eventType, data) {
      const extra = {
        eventType,
        eventId: randomBytes(16).toString('hex'),
        eventBornTime: String(now()),
        eventCorpId: corpId,
        eventUnifiedAppId: appId,
      };
      return push('EVENT', eventType, data, extra).messageId;
    },
    ping() {
      const live = openConns();
      const target = pick(live.filter((c) => !c.draining)) ?? pick(live);
      if (!target) throw new Error('fake gateway: no open connection to ping');
      const messageId = newMessageId();
      const data = JSON.stringify({ opaque: randomUUID() });
      pings.set(messageId, { data, echoed: false });
      write(target, 'SYSTEM', { contentType: 'application/json', messageId, time: String(now()), topic: 'ping' }, data);
      return messageId;
    },
    sendDisconnect() {
      for (const c of openConns()) {
        if (c.draining) continue;
        const messageId = newMessageId();
        disconnects.add(messageId);
        const headers = { contentType: 'application/json', messageId, time: String(now()), topic: 'disconnect' };
        write(c, 'SYSTEM', headers, JSON.stringify({ reason: 'connection is expired' }));
        c.draining = true; // nothing more is delivered there
        c.closeAt = now() + disconnectCloseAfterMs;
      }
    },
    sendRaw(text) {
      for (const c of openConns()) c.ws.send(text);
    },
    terminateAll() {
      for (const c of conns.values()) c.ws.terminate();
    },
    stall(on) {
      stalled = on;
      for (const c of conns.values()) {
        if (on) c.ws.pause();
        else c.ws.resume();
      }
    },
    ackFor: (messageId) => acks.find((a) => a.headers.messageId === messageId),
    pingEchoed: (messageId) => pings.get(messageId)?.echoed ?? false,
    deliveries: (messageId) => messages.get(messageId)?.deliveries ?? 0,
    advance(ms) {
      offset += ms;
      tick();
    },
    async close() {
      clearInterval(interval);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      refusals = [];
      for (const c of conns.values()) c.ws.terminate();
      conns.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
