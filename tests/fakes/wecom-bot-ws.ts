// A fake WeCom smart-bot (智能机器人) WebSocket server on 127.0.0.1, faithful to the parts the bot relies on
// (protocol reference §8 and §12C). Point the official SDK at it with `new WSClient({ wsUrl: fake.url, … })`:
// the SDK uses `wsUrl` verbatim. Every rule that depends on time (5 s for welcome/update replies, 6 min for
// streams) runs on an injectable clock, so tests cross them instantly with `advance(ms)`.
//
// Errcodes: 846608 (stream past 6 min) is the one WeCom is reported to use [3rd: sunnoy/openclaw-plugin-wecom#107];
// 40001 (bad credentials) and 45002 (too large) borrow the server-API meanings of §7. The 6000xx codes are the
// fake's own: WeCom's real codes for those refusals are not documented. Tests should match on `FAKE_ERR`.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { EVENT_DEADLINE_MS } from '../helpers/until';

export interface FakeBotOptions {
  botId: string;
  secret: string;
  now?: () => number;
}

export interface ClientFrame {
  cmd?: string;
  headers: { req_id: string };
  // biome-ignore lint/suspicious/noExplicitAny: a client frame's body is whatever the client sent
  body?: any;
  /** Fake-clock time the frame arrived. */
  at: number;
  /** The ack the fake answered with (absent while pings are not acked, or when the socket was closed instead). */
  ack?: { errcode: number; errmsg: string };
}

export interface FakeWecomBot {
  url: string;
  frames: ClientFrame[];
  connections(): number;
  subscribed(): Promise<void>;
  pushMessage(body: {
    msgid: string;
    chattype: 'single' | 'group';
    chatid?: string;
    from: { userid: string };
    text: string;
    aibotid?: string;
  }): string;
  pushEnterChat(from: string): string;
  pushCardClick(e: {
    from: string;
    chattype: 'single' | 'group';
    chatid?: string;
    taskId: string;
    eventKey: string;
    cardType?: string;
    selected?: { questionKey: string; optionIds: string[] }[];
  }): string;
  repliesTo(reqId: string): ClientFrame[];
  waitReplies(reqId: string, n: number, timeoutMs?: number): Promise<ClientFrame[]>;
  sent(): ClientFrame[];
  stopAckingPings(on: boolean): void;
  rejectAuth(errcode: number | null): void;
  dropAll(): void;
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Errcodes the fake answers with. */
export const FAKE_ERR = {
  /** Wrong bot_id/secret on `aibot_subscribe`. */
  authFailed: 40001,
  /** Stream content over 20 480 bytes. */
  tooLarge: 45002,
  /** Stream frame more than 6 min after the user message. */
  streamExpired: 846608,
  /** First frame on a connection was not `aibot_subscribe`. */
  notSubscribed: 600001,
  /** Reply under a req_id the fake never pushed, or with the wrong reply cmd for that callback. */
  unknownReqId: 600002,
  /** Welcome/update reply more than 5 s after its event. */
  replyTooLate: 600003,
  /** Second template_card for the same callback. */
  cardAlreadyReplied: 600004,
  /** `task_id` already used by another card of this bot. */
  duplicateTaskId: 600005,
  /** Malformed body: wrong msgtype for the reply kind, missing stream id, task_id not echoed, no chatid… */
  badBody: 600006,
  /** Unknown cmd. */
  unknownCmd: 600007,
} as const;

const REPLY_CMDS = new Set(['aibot_respond_msg', 'aibot_respond_welcome_msg', 'aibot_respond_update_msg']);
const MEDIA_TYPES = new Set(['file', 'image', 'voice', 'video']);
const STREAM_MAX_BYTES = 20_480;
const STREAM_WINDOW_MS = 6 * 60_000;
const EVENT_REPLY_WINDOW_MS = 5_000;

type CallbackKind = 'message' | 'enter_chat' | 'template_card_event';

interface Callback {
  kind: CallbackKind;
  at: number;
  cardReplied: boolean;
  taskId?: string;
}

interface Conn {
  ws: WebSocket;
  authed: boolean;
  /** Whether the first frame has been seen. */
  greeted: boolean;
}

interface Verdict {
  errcode: number;
  errmsg: string;
  // biome-ignore lint/suspicious/noExplicitAny: ack bodies are free-form JSON
  body?: any;
}

const ok = (body?: unknown): Verdict =>
  body === undefined ? { errcode: 0, errmsg: 'ok' } : { errcode: 0, errmsg: 'ok', body };
const refuse = (errcode: number, errmsg: string): Verdict => ({ errcode, errmsg });

const newReqId = () => randomBytes(16).toString('hex');

export async function startFakeWecomBot(opts: FakeBotOptions): Promise<FakeWecomBot> {
  const base = opts.now ?? (() => Date.now());
  let offset = 0;
  const clock = () => base() + offset;

  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', () => resolve());
    wss.once('error', reject);
  });
  const port = (wss.address() as AddressInfo).port;

  const frames: ClientFrame[] = [];
  const conns = new Set<Conn>();
  const callbacks = new Map<string, Callback>();
  const usedTaskIds = new Set<string>();
  const uploads = new Map<string, { type: string; chunks: number; got: Set<number> }>();
  const authWaiters: (() => void)[] = [];
  /** Pending waitReplies: check → cancel (used by close()). */
  const frameWaiters = new Map<() => boolean, () => void>();
  let ackPings = true;
  let forcedAuthErr: number | null = null;
  let closed = false;

  const isOpen = (c: Conn) => c.ws.readyState === c.ws.OPEN;
  const authedConns = () => [...conns].filter((c) => c.authed && isOpen(c));

  const sendJson = (ws: WebSocket, frame: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  /** The connection callbacks go to: the newest authenticated one (WeCom keeps one transport per bot). */
  const target = (): Conn => {
    const live = authedConns();
    const c = live[live.length - 1];
    if (!c) throw new Error('fake wecom bot: no authenticated connection to push to');
    return c;
  };

  const push = (
    cmd: 'aibot_msg_callback' | 'aibot_event_callback',
    kind: CallbackKind,
    body: object,
    taskId?: string,
  ) => {
    const conn = target();
    const reqId = newReqId();
    callbacks.set(reqId, { kind, at: clock(), cardReplied: false, taskId });
    // Sent exactly once: WeCom never redelivers (card events in particular are "sent once, never retried").
    sendJson(conn.ws, { cmd, headers: { req_id: reqId }, body });
    return reqId;
  };

  const createTime = () => Math.floor(clock() / 1000);

  /** Checks a new template_card (reply, welcome or proactive send) for a fresh task_id. */
  // biome-ignore lint/suspicious/noExplicitAny: client JSON
  const claimTaskId = (card: any): Verdict | null => {
    if (!card || typeof card !== 'object' || typeof card.card_type !== 'string') {
      return refuse(FAKE_ERR.badBody, 'template_card.card_type missing');
    }
    const taskId = card.task_id;
    if (typeof taskId === 'string' && taskId !== '') {
      if (usedTaskIds.has(taskId)) return refuse(FAKE_ERR.duplicateTaskId, `task_id ${taskId} already used`);
      usedTaskIds.add(taskId);
    }
    return null;
  };

  // biome-ignore lint/suspicious/noExplicitAny: client JSON
  const checkStream = (cb: Callback, stream: any, now: number): Verdict | null => {
    if (!stream || typeof stream !== 'object' || typeof stream.id !== 'string' || stream.id === '') {
      return refuse(FAKE_ERR.badBody, 'stream.id missing');
    }
    if (now - cb.at > STREAM_WINDOW_MS) {
      return refuse(FAKE_ERR.streamExpired, 'stream not finished within 6 minutes of the message');
    }
    const content = typeof stream.content === 'string' ? stream.content : '';
    if (Buffer.byteLength(content, 'utf8') > STREAM_MAX_BYTES) {
      return refuse(FAKE_ERR.tooLarge, `stream content over ${STREAM_MAX_BYTES} bytes`);
    }
    if (stream.msg_item !== undefined && stream.finish !== true) {
      return refuse(FAKE_ERR.badBody, 'stream.msg_item only with finish:true');
    }
    if (Array.isArray(stream.msg_item) && stream.msg_item.length > 10) {
      return refuse(FAKE_ERR.badBody, 'stream.msg_item over 10 items');
    }
    return null;
  };

  const judgeReply = (f: ClientFrame): Verdict => {
    const cb = callbacks.get(f.headers.req_id);
    const body = f.body ?? {};
    const now = f.at;
    if (!cb) return refuse(FAKE_ERR.unknownReqId, 'unknown req_id');

    if (f.cmd === 'aibot_respond_msg') {
      if (cb.kind !== 'message') return refuse(FAKE_ERR.unknownReqId, 'aibot_respond_msg needs a message req_id');
      const t = body.msgtype;
      if (t === 'stream' || t === 'stream_with_template_card') {
        const bad = checkStream(cb, body.stream, now);
        if (bad) return bad;
      } else if (t !== 'template_card' && !MEDIA_TYPES.has(t)) {
        return refuse(FAKE_ERR.badBody, `msgtype ${String(t)} cannot answer a message`);
      }
      if (t === 'template_card' || (t === 'stream_with_template_card' && body.template_card !== undefined)) {
        if (cb.cardReplied) return refuse(FAKE_ERR.cardAlreadyReplied, 'one template_card per message');
        const bad = claimTaskId(body.template_card);
        if (bad) return bad;
        cb.cardReplied = true;
      }
      return ok();
    }

    if (f.cmd === 'aibot_respond_welcome_msg') {
      if (cb.kind !== 'enter_chat') return refuse(FAKE_ERR.unknownReqId, 'welcome needs an enter_chat req_id');
      if (now - cb.at > EVENT_REPLY_WINDOW_MS)
        return refuse(FAKE_ERR.replyTooLate, 'welcome more than 5 s after event');
      if (body.msgtype === 'text') return ok();
      if (body.msgtype !== 'template_card') return refuse(FAKE_ERR.badBody, 'welcome must be text or template_card');
      if (cb.cardReplied) return refuse(FAKE_ERR.cardAlreadyReplied, 'one template_card per event');
      const bad = claimTaskId(body.template_card);
      if (bad) return bad;
      cb.cardReplied = true;
      return ok();
    }

    // aibot_respond_update_msg
    if (cb.kind !== 'template_card_event') return refuse(FAKE_ERR.unknownReqId, 'update needs a card-event req_id');
    if (now - cb.at > EVENT_REPLY_WINDOW_MS) return refuse(FAKE_ERR.replyTooLate, 'update more than 5 s after event');
    if (body.response_type !== 'update_template_card') return refuse(FAKE_ERR.badBody, 'response_type');
    const card = body.template_card;
    if (!card || typeof card !== 'object' || typeof card.card_type !== 'string') {
      return refuse(FAKE_ERR.badBody, 'template_card.card_type missing');
    }
    if (card.task_id !== cb.taskId) return refuse(FAKE_ERR.badBody, 'template_card.task_id must echo the event');
    return ok();
  };

  const judgeSend = (f: ClientFrame): Verdict => {
    const body = f.body ?? {};
    if (typeof body.chatid !== 'string' || body.chatid === '') return refuse(FAKE_ERR.badBody, 'chatid missing');
    if (body.msgtype === 'markdown') {
      return typeof body.markdown?.content === 'string' ? ok() : refuse(FAKE_ERR.badBody, 'markdown.content');
    }
    if (body.msgtype === 'template_card') return claimTaskId(body.template_card) ?? ok();
    if (MEDIA_TYPES.has(body.msgtype)) {
      return typeof body[body.msgtype]?.media_id === 'string' ? ok() : refuse(FAKE_ERR.badBody, 'media_id missing');
    }
    return refuse(FAKE_ERR.badBody, `msgtype ${String(body.msgtype)} cannot be sent`);
  };

  const judgeUpload = (f: ClientFrame): Verdict => {
    const body = f.body ?? {};
    if (f.cmd === 'aibot_upload_media_init') {
      const chunks = Number(body.total_chunks);
      if (!Number.isInteger(chunks) || chunks < 1 || chunks > 100) return refuse(FAKE_ERR.badBody, 'total_chunks');
      const uploadId = newReqId();
      uploads.set(uploadId, { type: String(body.type), chunks, got: new Set() });
      return ok({ upload_id: uploadId });
    }
    const up = uploads.get(body.upload_id);
    if (!up) return refuse(FAKE_ERR.badBody, 'unknown upload_id');
    if (f.cmd === 'aibot_upload_media_chunk') {
      const i = Number(body.chunk_index);
      if (!Number.isInteger(i) || i < 0 || i >= up.chunks) return refuse(FAKE_ERR.badBody, 'chunk_index');
      up.got.add(i);
      return ok();
    }
    if (up.got.size !== up.chunks) return refuse(FAKE_ERR.badBody, 'chunks missing');
    uploads.delete(body.upload_id);
    return ok({ type: up.type, media_id: `media_${newReqId()}`, created_at: String(createTime()) });
  };

  const notifyFrames = () => {
    for (const check of [...frameWaiters.keys()]) check();
  };

  const kickOthers = (winner: Conn) => {
    for (const c of conns) {
      if (c === winner || !c.authed) continue;
      c.authed = false;
      sendJson(c.ws, {
        cmd: 'aibot_event_callback',
        headers: { req_id: newReqId() },
        body: {
          msgid: newReqId(),
          create_time: createTime(),
          aibotid: opts.botId,
          msgtype: 'event',
          event: { eventtype: 'disconnected_event' },
        },
      });
      c.ws.close(1000, 'new connection established');
    }
  };

  const onFrame = (conn: Conn, raw: RawData) => {
    // biome-ignore lint/suspicious/noExplicitAny: client JSON
    let parsed: any;
    try {
      parsed = JSON.parse(raw.toString());
    } catch {
      conn.ws.close(1007, 'invalid JSON');
      return;
    }
    const reqId = typeof parsed?.headers?.req_id === 'string' ? parsed.headers.req_id : '';
    const frame: ClientFrame = { cmd: parsed?.cmd, headers: { req_id: reqId }, body: parsed?.body, at: clock() };
    frames.push(frame);

    const answer = (v: Verdict) => {
      frame.ack = { errcode: v.errcode, errmsg: v.errmsg };
      const out: Record<string, unknown> = { headers: { req_id: reqId }, errcode: v.errcode, errmsg: v.errmsg };
      if (v.body !== undefined) out.body = v.body;
      sendJson(conn.ws, out);
    };

    const first = !conn.greeted;
    conn.greeted = true;
    if (frame.cmd === 'aibot_subscribe') {
      const b = frame.body ?? {};
      const good = b.bot_id === opts.botId && b.secret === opts.secret;
      const errcode = forcedAuthErr ?? (good ? 0 : FAKE_ERR.authFailed);
      if (errcode !== 0) {
        answer(refuse(errcode, 'invalid bot_id or secret'));
        conn.authed = false;
        conn.ws.close(1008, 'auth failed');
      } else {
        answer(ok());
        conn.authed = true;
        kickOthers(conn);
        for (const w of authWaiters.splice(0)) w();
      }
    } else if (first || !conn.authed) {
      answer(refuse(FAKE_ERR.notSubscribed, 'first frame must be aibot_subscribe'));
      conn.ws.close(1008, 'not subscribed');
    } else if (frame.cmd === 'ping') {
      if (ackPings) answer(ok());
    } else if (frame.cmd && REPLY_CMDS.has(frame.cmd)) {
      answer(judgeReply(frame));
    } else if (frame.cmd === 'aibot_send_msg') {
      answer(judgeSend(frame));
    } else if (frame.cmd?.startsWith('aibot_upload_media_')) {
      answer(judgeUpload(frame));
    } else {
      answer(refuse(FAKE_ERR.unknownCmd, `unknown cmd ${String(frame.cmd)}`));
    }
    notifyFrames();
  };

  wss.on('connection', (ws) => {
    const conn: Conn = { ws, authed: false, greeted: false };
    conns.add(conn);
    ws.on('message', (raw) => onFrame(conn, raw));
    ws.on('close', () => conns.delete(conn));
    ws.on('error', () => conns.delete(conn));
  });

  const repliesTo = (reqId: string) =>
    frames.filter((f) => f.cmd && REPLY_CMDS.has(f.cmd) && f.headers.req_id === reqId);

  return {
    url: `ws://127.0.0.1:${port}`,
    frames,
    connections: () => authedConns().length,
    subscribed: () =>
      authedConns().length > 0 ? Promise.resolve() : new Promise<void>((resolve) => authWaiters.push(resolve)),

    pushMessage(m) {
      if (m.chattype === 'group' && !m.chatid) throw new Error('fake wecom bot: group messages need a chatid');
      const msgid = m.msgid;
      return push('aibot_msg_callback', 'message', {
        msgid,
        aibotid: m.aibotid ?? opts.botId,
        ...(m.chattype === 'group' ? { chatid: m.chatid } : {}),
        chattype: m.chattype,
        from: { userid: m.from.userid },
        create_time: createTime(),
        response_url: `http://127.0.0.1:${port}/response_url/${msgid}`,
        msgtype: 'text',
        text: { content: m.text },
      });
    },

    pushEnterChat(from) {
      return push('aibot_event_callback', 'enter_chat', {
        msgid: newReqId(),
        create_time: createTime(),
        aibotid: opts.botId,
        chattype: 'single',
        from: { userid: from },
        msgtype: 'event',
        event: { eventtype: 'enter_chat' },
      });
    },

    pushCardClick(e) {
      if (e.chattype === 'group' && !e.chatid) throw new Error('fake wecom bot: group card events need a chatid');
      const nested: Record<string, unknown> = {
        card_type: e.cardType ?? 'button_interaction',
        event_key: e.eventKey,
        task_id: e.taskId,
      };
      if (e.selected) {
        nested.selected_items = {
          selected_item: e.selected.map((s) => ({
            question_key: s.questionKey,
            option_ids: { option_id: [...s.optionIds] },
          })),
        };
      }
      return push(
        'aibot_event_callback',
        'template_card_event',
        {
          msgid: newReqId(),
          create_time: createTime(),
          aibotid: opts.botId,
          ...(e.chattype === 'group' ? { chatid: e.chatid } : {}),
          chattype: e.chattype,
          from: { userid: e.from },
          msgtype: 'event',
          event: { eventtype: 'template_card_event', template_card_event: nested },
        },
        e.taskId,
      );
    },

    repliesTo,

    waitReplies(reqId, n, timeoutMs = EVENT_DEADLINE_MS) {
      return new Promise<ClientFrame[]>((resolve, reject) => {
        const check = () => {
          const got = repliesTo(reqId);
          if (got.length < n) return false;
          frameWaiters.delete(check);
          clearTimeout(timer);
          resolve(got);
          return true;
        };
        const timer = setTimeout(() => {
          frameWaiters.delete(check);
          reject(
            new Error(`fake wecom bot: ${repliesTo(reqId).length}/${n} replies to ${reqId} after ${timeoutMs} ms`),
          );
        }, timeoutMs);
        frameWaiters.set(check, () => {
          clearTimeout(timer);
          reject(new Error('fake wecom bot: closed'));
        });
        check();
      });
    },

    sent: () => frames.filter((f) => f.cmd === 'aibot_send_msg'),

    stopAckingPings(on) {
      ackPings = !on;
    },

    rejectAuth(errcode) {
      if (errcode === 0) throw new Error('fake wecom bot: rejectAuth needs a non-zero errcode (or null)');
      forcedAuthErr = errcode;
    },

    dropAll() {
      for (const c of conns) {
        c.authed = false;
        c.ws.terminate();
      }
    },

    advance(ms) {
      offset += ms;
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const cancel of frameWaiters.values()) cancel();
      frameWaiters.clear();
      for (const c of conns) c.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
