// A fake WeCom server API (self-built app side) on 127.0.0.1, faithful to the parts the bot relies on:
// gettoken, message/send, message/update_template_card (protocol reference §5–§7, §12A) and the
// OAuth code exchange of H5 pages, auth/getuserinfo (§10).
// Everything time-related runs on an injectable clock so tests can cross 1 min, 1 h, 2 h and 72 h instantly.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWecomOptions {
  corpId: string;
  secret: string;
  agentId: number;
  users: string[];
  now?: () => number;
}

export interface ApiCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  at: number;
}

export interface Delivered {
  msgid: string;
  touser: string;
  msgtype: string;
  body: Record<string, unknown>;
  responseCode?: string;
}

export interface CardView {
  card: Record<string, unknown>;
  replacedName?: string;
}

export interface CardRecord {
  taskId: string;
  /** Recipients the card actually reached, `|`-joined like `touser`. */
  touser: string;
  /** The card as last set for the task (sent, or replaced by a full-card update). */
  card: Record<string, unknown>;
  /** The last `button.replace_name` applied. */
  replacedName?: string;
  /** Successful update_template_card calls for this task. */
  updates: number;
  /** What each recipient currently sees (updates may target only some recipients). */
  byUser: Map<string, CardView>;
}

export interface Fault {
  status?: number;
  errcode?: number;
  delayMs?: number;
}

export interface Dropped {
  userid: string;
  msgid: string;
  reason: 'rate_minute' | 'rate_hour' | 'duplicate';
}

export interface FakeWecomApi {
  url: string;
  calls: ApiCall[];
  tokenCalls(): number;
  inbox(userid: string): Delivered[];
  /** Messages WeCom accepted (errcode 0) but never delivered: the silent drops. */
  dropped: Dropped[];
  cards: Map<string, CardRecord>;
  expireToken(errcode?: 42001 | 40014): void;
  failNext(n: number, fault: Fault): void;
  setCallbackConfigured(on: boolean): void;
  issueClickCode(taskId: string, userid: string): string;
  /** What WeCom appends to the OAuth redirect when this member opens an snsapi_base link (single use, 5 min). */
  issueOAuthCode(userid: string): string;
  advance(ms: number): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
interface Reply extends Json {
  errcode: number;
  errmsg: string;
}

const SEND = '/cgi-bin/message/send';
const UPDATE = '/cgi-bin/message/update_template_card';
const TOKEN_TTL_S = 7200;
const RESPONSE_CODE_TTL_MS = 72 * 3600_000; // doc 94888: single use, 72 h (older copies said 24 h)
const MAX_CONTENT_BYTES = 2048; // text and markdown, doc 90236
const MAX_USERS = 1000;
const PER_MINUTE = 30; // per app per member, excess silently dropped (doc 90312)
const PER_HOUR = 1000;
const DEFAULT_DUP_INTERVAL_S = 1800;
const MAX_DUP_INTERVAL_S = 4 * 3600;
const TASK_ID = /^[0-9a-zA-Z_\-@]{1,128}$/;
const MSG_TYPES = new Set(['text', 'markdown', 'template_card']); // others exist in WeCom but are not modelled
const CARD_TYPES = new Set([
  'text_notice',
  'news_notice',
  'button_interaction',
  'vote_interaction',
  'multiple_interaction',
]);
const INTERACTIVE = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);

// WeCom documents no errcode for a bad response_code. Chosen from the global list (doc 90313):
// 42022 "code已经被使用过，只能使用一次" for a reused code, 40058 "不合法的参数" for unknown or expired ones.
const ERR_CODE_USED = 42022;
const ERR_INVALID_PARAM = 40058; // also used for count limits (buttons, options, lists), which have no own code

const fail = (errcode: number, errmsg: string, extra: Json = {}): Reply => ({ errcode, errmsg, ...extra });
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const badKey = (k: unknown) => typeof k !== 'string' || k === '' || bytes(k) > 1024;
const tooLong = (v: unknown, max: number) => Array.isArray(v) && v.length > max;

/** Cuts at `max` UTF-8 bytes without splitting a character, as WeCom truncates long text. */
export function truncateUtf8(s: string, max = MAX_CONTENT_BYTES): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= max) return s;
  let cut = max;
  while (cut > 0 && ((buf[cut] ?? 0) & 0xc0) === 0x80) cut--; // step back off continuation bytes
  return buf.subarray(0, cut).toString('utf8');
}

export async function startFakeWecomApi(opts: FakeWecomOptions): Promise<FakeWecomApi> {
  let offset = 0;
  const now = () => (opts.now ? opts.now() : Date.now()) + offset;
  const canonical = new Map(opts.users.map((u) => [u.toLowerCase(), u])); // userids are case-insensitive

  const calls: ApiCall[] = [];
  const dropped: Dropped[] = [];
  const cards = new Map<string, CardRecord>();
  const inboxes = new Map<string, Delivered[]>();
  const sentAt = new Map<string, number[]>(); // per user, delivery times for the rate windows
  const history = new Map<string, { key: string; at: number }[]>(); // per user, for the duplicate check
  const usedTaskIds = new Set<string>();
  const codes = new Map<string, { taskId: string; issuedAt: number; used: boolean }>();
  const faults: Fault[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const tokens = new Map<string, { issuedAt: number; revoked?: number }>();
  let current: string | undefined;
  let tokenCount = 0;
  let callbackConfigured = true;

  const newId = (n: number) => randomBytes(n).toString('base64url');
  const oauthCodes = new Map<string, { userid: string; at: number }>();

  function issueCode(taskId: string): string {
    const code = newId(32);
    codes.set(code, { taskId, issuedAt: now(), used: false });
    return code;
  }

  // --- gettoken (doc 91039) ---
  function getToken(q: Record<string, string>): Reply {
    tokenCount++;
    if (!q.corpid) return fail(41002, 'corpid missing');
    if (!q.corpsecret) return fail(41004, 'corpsecret missing');
    if (q.corpid !== opts.corpId) return fail(40013, 'invalid corpid');
    if (q.corpsecret !== opts.secret) return fail(40001, 'invalid credential');
    const live = current ? tokens.get(current) : undefined;
    const left = live && !live.revoked ? TOKEN_TTL_S - Math.floor((now() - live.issuedAt) / 1000) : 0;
    // "有效期内重复获取返回相同结果": while the token lives, the same token and its remaining lifetime.
    if (current && left > 0) return { errcode: 0, errmsg: 'ok', access_token: current, expires_in: left };
    current = newId(96);
    tokens.set(current, { issuedAt: now() });
    return { errcode: 0, errmsg: 'ok', access_token: current, expires_in: TOKEN_TTL_S };
  }

  function checkToken(token: string | undefined): Reply | undefined {
    if (!token) return fail(41001, 'access_token missing');
    const t = tokens.get(token);
    if (!t) return fail(40014, 'invalid access_token');
    if (t.revoked) return fail(t.revoked, t.revoked === 42001 ? 'access_token expired' : 'invalid access_token');
    if (now() - t.issuedAt >= TOKEN_TTL_S * 1000) return fail(42001, 'access_token expired');
    return undefined;
  }

  // --- template cards (§5) ---
  function checkCard(card: unknown, mode: 'send' | 'update'): Reply | undefined {
    if (!isObj(card)) return fail(ERR_INVALID_PARAM, 'template_card missing');
    const type = str(card.card_type);
    if (!CARD_TYPES.has(type)) return fail(ERR_INVALID_PARAM, `invalid card_type ${type}`);
    const menu = card.action_menu;
    const needsTask = INTERACTIVE.has(type) || menu !== undefined;
    if (needsTask && !callbackConfigured) return fail(43012, 'app has no callback url, interactive card refused');
    if (needsTask || card.task_id !== undefined) {
      const taskId = card.task_id;
      if (typeof taskId !== 'string' || !TASK_ID.test(taskId)) return fail(42014, 'invalid task_id');
      if (mode === 'send' && usedTaskIds.has(taskId)) return fail(42014, 'task_id already used');
    }
    if (menu !== undefined) {
      const list = isObj(menu) ? menu.action_list : undefined;
      if (!Array.isArray(list) || list.length < 1 || list.length > 3)
        return fail(ERR_INVALID_PARAM, 'action_list 1..3');
      if (list.some((a) => !isObj(a) || badKey(a.key))) return fail(42017, 'action_menu key missing or > 1024 bytes');
    }
    if (tooLong(card.horizontal_content_list, 6)) return fail(ERR_INVALID_PARAM, 'horizontal_content_list > 6');
    if (tooLong(card.jump_list, 3)) return fail(ERR_INVALID_PARAM, 'jump_list > 3');
    if (tooLong(card.vertical_content_list, 4)) return fail(ERR_INVALID_PARAM, 'vertical_content_list > 4');

    if (type === 'text_notice' || type === 'news_notice') {
      const a = card.card_action;
      const ok = isObj(a) && ((a.type === 1 && str(a.url) !== '') || (a.type === 2 && str(a.appid) !== ''));
      if (!ok) return fail(42045, 'card_action missing or invalid');
      if (type === 'text_notice' && !str(isObj(card.main_title) ? card.main_title.title : '') && !card.sub_title_text)
        return fail(ERR_INVALID_PARAM, 'main_title.title or sub_title_text required');
    }
    if (type === 'button_interaction') {
      const list = card.button_list;
      if (!Array.isArray(list) || list.length < 1 || list.length > 6)
        return fail(ERR_INVALID_PARAM, 'button_list 1..6');
      const seen = new Set<string>();
      for (const b of list) {
        if (!isObj(b) || !str(b.text)) return fail(42020, 'button text missing');
        if (b.type === 1) {
          if (!str(b.url)) return fail(ERR_INVALID_PARAM, 'url button without url');
          continue;
        }
        if (badKey(b.key)) return fail(42017, 'button key missing or > 1024 bytes');
        if (seen.has(str(b.key))) return fail(42017, 'button keys must be unique');
        seen.add(str(b.key));
      }
      const sel = card.button_selection;
      if (sel !== undefined && !optionsOk(sel, 10)) return fail(ERR_INVALID_PARAM, 'button_selection invalid');
    }
    if (type === 'vote_interaction') {
      if (!optionsOk(card.checkbox, 20)) return fail(ERR_INVALID_PARAM, 'checkbox needs question_key, 1..20 options');
      if (!isObj(card.submit_button) || badKey(card.submit_button.key)) return fail(42017, 'submit_button key missing');
    }
    if (type === 'multiple_interaction') {
      const list = card.select_list;
      if (!Array.isArray(list) || list.length < 1 || list.length > 3)
        return fail(ERR_INVALID_PARAM, 'select_list 1..3');
      if (!list.every((s) => optionsOk(s, 10))) return fail(ERR_INVALID_PARAM, 'select_list item invalid');
      if (!isObj(card.submit_button) || badKey(card.submit_button.key)) return fail(42017, 'submit_button key missing');
    }
    return undefined;
  }

  /** A question with `question_key` and 1..max options whose ids are 1..128 bytes. */
  function optionsOk(q: unknown, max: number): boolean {
    if (!isObj(q) || badKey(q.question_key)) return false;
    const list = q.option_list;
    if (!Array.isArray(list) || list.length < 1 || list.length > max) return false;
    return list.every((o) => isObj(o) && typeof o.id === 'string' && o.id !== '' && bytes(o.id) <= 128);
  }

  // --- recipients ---
  function resolveUsers(touser: string, all: string[]) {
    const ids = touser === '@all' ? all : [...new Set(touser.split('|').filter(Boolean))];
    const valid: string[] = [];
    const invalid: string[] = [];
    for (const id of ids) {
      const c = canonical.get(id.toLowerCase());
      if (c && all.includes(c)) valid.includes(c) || valid.push(c);
      else invalid.push(id.toLowerCase()); // WeCom returns invalid userids lower-cased
    }
    return { ids, valid, invalid };
  }

  /** Silent-drop rules: duplicate content within the interval, then 30/min and 1000/h per member. */
  function dropReason(user: string, key: string, dupIntervalS: number | undefined): Dropped['reason'] | undefined {
    const t = now();
    if (dupIntervalS !== undefined) {
      const seen = history.get(user) ?? [];
      if (seen.some((h) => h.key === key && t - h.at < dupIntervalS * 1000)) return 'duplicate';
    }
    // Sliding windows over delivered messages (WeCom does not say whether drops count; here they do not).
    const times = (sentAt.get(user) ?? []).filter((at) => t - at < 3600_000);
    sentAt.set(user, times);
    if (times.filter((at) => t - at < 60_000).length >= PER_MINUTE) return 'rate_minute';
    if (times.length >= PER_HOUR) return 'rate_hour';
    return undefined;
  }

  // --- message/send (doc 90236) ---
  function send(body: Json): Reply {
    if (Number(body.agentid) !== opts.agentId) return fail(40056, 'invalid agentid');
    const msgtype = str(body.msgtype);
    if (!MSG_TYPES.has(msgtype)) return fail(40008, 'invalid message type');
    const payload = structuredClone(body);
    let card: Json | undefined;
    if (msgtype === 'text' || msgtype === 'markdown') {
      const part = payload[msgtype];
      const content = isObj(part) ? part.content : undefined;
      if (typeof content !== 'string' || content === '') return fail(44004, 'empty content');
      (part as Json).content = truncateUtf8(content); // WeCom truncates silently; record what is shown
    } else {
      const err = checkCard(payload.template_card, 'send');
      if (err) return err;
      card = payload.template_card as Json;
    }

    const touser = str(body.touser);
    const toparty = str(body.toparty);
    const totag = str(body.totag);
    if (!touser && !toparty && !totag) return fail(81012, 'no recipient (touser, toparty, totag all empty)');
    const { ids, valid, invalid } = resolveUsers(touser, opts.users);
    if (ids.length > MAX_USERS) return fail(40032, 'touser exceeds 1000 userids');
    // The fake has no departments or tags: every party and tag is reported invalid.
    const invalids = { invaliduser: invalid.join('|'), invalidparty: toparty, invalidtag: totag };
    if (valid.length === 0) return fail(81013, 'all recipients invalid', invalids);

    const msgid = newId(24);
    const taskId = card ? str(card.task_id) : '';
    const interactive = card !== undefined && (INTERACTIVE.has(str(card.card_type)) || card.action_menu !== undefined);
    const responseCode = interactive ? issueCode(taskId) : undefined;
    const dupInterval =
      body.enable_duplicate_check === 1
        ? Math.min(
            Number(body.duplicate_check_interval ?? DEFAULT_DUP_INTERVAL_S) || DEFAULT_DUP_INTERVAL_S,
            MAX_DUP_INTERVAL_S,
          )
        : undefined;
    const key = JSON.stringify([msgtype, payload[msgtype]]);
    const reached: string[] = [];
    for (const user of valid) {
      const reason = dropReason(user, key, dupInterval);
      if (reason) {
        dropped.push({ userid: user, msgid, reason });
        continue;
      }
      const t = now();
      sentAt.get(user)?.push(t);
      history.set(user, [
        ...(history.get(user) ?? []).filter((h) => t - h.at < MAX_DUP_INTERVAL_S * 1000),
        { key, at: t },
      ]);
      const d: Delivered = { msgid, touser: user, msgtype, body: payload, ...(responseCode ? { responseCode } : {}) };
      inboxes.set(user, [...(inboxes.get(user) ?? []), d]);
      reached.push(user);
    }
    if (card && taskId) {
      usedTaskIds.add(taskId);
      const byUser = new Map(reached.map((u): [string, CardView] => [u, { card: structuredClone(card) }]));
      cards.set(taskId, { taskId, touser: reached.join('|'), card, updates: 0, byUser });
    }
    return {
      errcode: 0,
      errmsg: 'ok',
      ...invalids,
      unlicenseduser: '',
      msgid,
      ...(responseCode ? { response_code: responseCode } : {}),
    };
  }

  // --- message/update_template_card (doc 94888) ---
  function update(body: Json): Reply {
    if (Number(body.agentid) !== opts.agentId) return fail(40056, 'invalid agentid');
    const code = codes.get(str(body.response_code));
    if (!code) return fail(ERR_INVALID_PARAM, 'invalid response_code');
    if (code.used) return fail(ERR_CODE_USED, 'response_code already used');
    if (now() - code.issuedAt >= RESPONSE_CODE_TTL_MS) return fail(ERR_INVALID_PARAM, 'response_code expired');
    const record = cards.get(code.taskId);
    if (!record) return fail(42016, 'task_id not found');

    const full = body.template_card;
    const button = body.button;
    const replaceName = isObj(button) ? str(button.replace_name) : '';
    if (full !== undefined) {
      const err = checkCard(full, 'update');
      if (err) return err;
    } else if (!replaceName) return fail(ERR_INVALID_PARAM, 'button.replace_name or template_card required');

    const userids = Array.isArray(body.userids) ? body.userids.map(String) : [];
    const partyids = Array.isArray(body.partyids) ? body.partyids : [];
    const tagids = Array.isArray(body.tagids) ? body.tagids : [];
    if (userids.length > MAX_USERS) return fail(40032, 'userids exceeds 1000');
    const atall = body.atall === 1;
    if (!atall && userids.length === 0 && partyids.length === 0 && tagids.length === 0)
      return fail(81012, 'no recipient (userids, partyids, tagids, atall)');
    const recipients = record.touser ? record.touser.split('|') : [];
    const { valid, invalid } = atall
      ? { valid: recipients, invalid: [] as string[] }
      : resolveUsers(userids.join('|'), recipients);
    if (valid.length === 0) return fail(81013, 'no recipient of this card', { invaliduser: invalid });

    code.used = true; // consumed only by a successful update
    record.updates++;
    for (const user of valid) {
      const view = record.byUser.get(user) ?? { card: record.card };
      if (isObj(full)) record.byUser.set(user, { card: structuredClone(full) });
      else record.byUser.set(user, { ...view, replacedName: replaceName });
    }
    if (isObj(full)) {
      record.card = structuredClone(full);
      delete record.replacedName;
    } else record.replacedName = replaceName;
    return { errcode: 0, errmsg: 'ok', invaliduser: invalid };
  }

  // --- HTTP plumbing ---
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function reply(res: ServerResponse, status: number, body: Json | string) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/plain' : 'application/json';
    res.writeHead(status, { 'content-type': `${type}; charset=UTF-8` });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(u.searchParams);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    let parsed = true;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
        parsed = false;
      }
    }
    calls.push({ method: req.method ?? 'GET', path: u.pathname, query, body, at: now() });

    if (u.pathname === '/cgi-bin/gettoken') return reply(res, 200, getToken(query));
    if (u.pathname === '/cgi-bin/auth/getuserinfo') {
      const tokenErr = checkToken(query.access_token);
      if (tokenErr) return reply(res, 200, tokenErr);
      const grant = oauthCodes.get(query.code ?? '');
      oauthCodes.delete(query.code ?? ''); // single use
      if (!grant || now() - grant.at > 5 * 60_000) return reply(res, 200, fail(40029, 'invalid code'));
      return reply(res, 200, { errcode: 0, errmsg: 'ok', userid: grant.userid });
    }
    if (u.pathname !== SEND && u.pathname !== UPDATE) return reply(res, 404, fail(404, 'not modelled by the fake'));

    // Injected faults hit before anything else, as a gateway or an overloaded backend would.
    const fault = faults.shift();
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.status) return reply(res, fault.status, `fake fault: HTTP ${fault.status}`);
    if (fault?.errcode !== undefined) return reply(res, 200, fail(fault.errcode, 'fake fault'));

    const tokenErr = checkToken(query.access_token);
    if (tokenErr) return reply(res, 200, tokenErr);
    if (body === undefined) return reply(res, 200, fail(40063, 'empty body'));
    if (!parsed || !isObj(body)) return reply(res, 200, fail(47001, 'data format error'));
    return reply(res, 200, u.pathname === SEND ? send(body) : update(body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) reply(res, 500, String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    dropped,
    cards,
    tokenCalls: () => tokenCount,
    inbox: (userid) => inboxes.get(canonical.get(userid.toLowerCase()) ?? userid) ?? [],
    expireToken(errcode = 42001) {
      const t = current ? tokens.get(current) : undefined;
      if (t) t.revoked = errcode;
    },
    failNext(n, fault) {
      for (let i = 0; i < n; i++) faults.push({ ...fault });
    },
    setCallbackConfigured(on) {
      callbackConfigured = on;
    },
    issueOAuthCode(userid) {
      const code = newId(24);
      oauthCodes.set(code, { userid: canonical.get(userid.toLowerCase()) ?? userid, at: now() });
      return code;
    },
    issueClickCode(taskId, userid) {
      const record = cards.get(taskId);
      if (!record) throw new Error(`fake WeCom: no card with task_id ${taskId}`);
      const user = canonical.get(userid.toLowerCase());
      if (!user || !record.byUser.has(user)) throw new Error(`fake WeCom: ${userid} never received card ${taskId}`);
      return issueCode(taskId); // every click carries a new ResponseCode (§6)
    },
    advance(ms) {
      offset += ms;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
