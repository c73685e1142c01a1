// A fake DingTalk OpenAPI (api.dingtalk.com) plus session webhooks (oapi.dingtalk.com/robot/sendBySession) on
// 127.0.0.1, faithful to the parts the bot relies on (protocol reference §5, §6, §7, §8, §10B): access token, robot
// 1:1 batchSend and group send, interactive cards (createAndDeliver, update) and 90-min session webhooks.
// Everything time-related runs on an injectable clock (`advance(ms)`).
//
// Error bodies use DingTalk's `{code, message, requestid}` shape. Documented codes: `InvalidAuthentication` (401, bad
// or expired token), `Forbidden.AccessDenied.QpsLimitForAppkeyAndApi` (403, via failNext), session webhook errcode
// 300001. The parameter-validation codes are the fake's own (DingTalk does not document them): match on `FAKE_ERR`.
//
// Card idempotency: a second createAndDeliver with an existing outTrackId is a NO-OP — it answers 200 with the first
// call's result (same deliverResults), delivers nothing new and leaves the card's data untouched.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CardStoreLink } from './dingtalk-gateway';

export { dingtalkSign } from './dingtalk-sign';

export const FAKE_ERR = {
  badCredentials: 'invalidClientIdOrSecret',
  badToken: 'InvalidAuthentication',
  badBody: 'invalidParameter.body',
  robotCode: 'invalidParameter.robotCode',
  userIds: 'invalidParameter.userIds',
  msgKey: 'invalidParameter.msgKey',
  msgParam: 'invalidParameter.msgParam',
  openConversationId: 'invalidParameter.openConversationId',
  template: 'invalidParameter.cardTemplateId',
  outTrackId: 'invalidParameter.outTrackId',
  cardParamMap: 'invalidParameter.cardParamMap',
  openSpaceId: 'invalidParameter.openSpaceId',
  callbackType: 'invalidParameter.callbackType',
  cardNotFound: 'resource.notFound.card',
  notFound: 'InvalidAction.NotFound',
} as const;

export const SESSION_GONE = { errcode: 300001, errmsg: 'session 不存在' } as const;

export interface FakeOpenApiOptions {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  /** The one published card template; when absent every non-empty template id is accepted. */
  templateId?: string;
  users: string[];
  now?: () => number;
}

export interface OpenApiCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  at: number;
}

export interface RobotDelivery {
  msgKey: string;
  msgParam: Record<string, unknown>;
  at: number;
  processQueryKey: string;
}

export interface DeliverResult {
  spaceType: string;
  spaceId: string;
  success: boolean;
  errorMsg?: string;
  carrierId?: string;
}

export interface CardRecord {
  outTrackId: string;
  templateId: string;
  cardParamMap: Record<string, string>;
  /** The open spaces the card reached (`dtv1.card//IM_ROBOT.<userId>`, `dtv1.card//IM_GROUP.<cid>`). */
  spaces: string[];
  /** Successful updates: PUT /v1.0/card/instances and card-callback ack responses. */
  updates: number;
  callbackType?: string;
  /** Per-user private data (`privateData` / `userPrivateData`). */
  privateData: Record<string, Record<string, string>>;
  deliverResults: DeliverResult[];
}

export interface OpenApiFault {
  status?: number;
  code?: string;
  delayMs?: number;
}

export interface FakeOpenApi extends CardStoreLink {
  url: string;
  calls: OpenApiCall[];
  tokenCalls(): number;
  expireToken(): void;
  inbox(userId: string): RobotDelivery[];
  group(openConversationId: string): RobotDelivery[];
  /** Bodies ACCEPTED by the conversation's session webhooks (refused posts are only in `calls`). */
  webhookPosts(conversationId: string): unknown[];
  sessionWebhook(conversationId: string, ttlMs?: number): { url: string; expiresAt: number };
  /** What requestAuthCode gives this member's DingTalk client on an H5 page (single use, 5 min). */
  issueAuthCode(userId: string): string;
  cards: Map<string, CardRecord>;
  /** The next send to each of these people is flow-controlled (whichever call first names them). */
  flowControlNext(userIds: string[]): void;
  failNext(n: number, fault: OpenApiFault): void;
  advance(ms: number): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';
const allStrings = (v: unknown): v is Record<string, string> =>
  isObj(v) && Object.values(v).every((x) => typeof x === 'string');

const TOKEN_TTL_S = 7200;
const SESSION_TTL_MS = 90 * 60_000;
const MAX_USERS = 20;
const MAX_GROUP_PARAM_BYTES = 15_000;
const SPACE_PREFIX = 'dtv1.card//';
const TOKEN_HEADER = 'x-acs-dingtalk-access-token';

// msgKey → the msgParam fields the fake requires (help.dingtalk.io "robot-message-type"). Keys whose parameter names
// vary between sources are known but unchecked.
const MSG_KEYS: Record<string, string[]> = {
  sampleText: ['content'],
  sampleMarkdown: ['title', 'text'],
  sampleImageMsg: ['photoURL'],
  sampleLink: ['text', 'title', 'picUrl', 'messageUrl'],
  sampleActionCard: ['title', 'text', 'singleTitle', 'singleURL'],
  sampleActionCard2: [],
  sampleActionCard3: [],
  sampleActionCard4: [],
  sampleActionCard5: [],
  sampleActionCard6: [],
  sampleAudio: [],
  sampleFile: [],
  sampleVideo: [],
};

// Session webhook bodies (§5): msgtype → required fields of its part.
const WEBHOOK_TYPES: Record<string, string[]> = {
  text: ['content'],
  markdown: ['title', 'text'],
  actionCard: ['title', 'text'],
  link: ['title', 'text', 'messageUrl'],
  feedCard: [],
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakeOpenApi(opts: FakeOpenApiOptions): Promise<FakeOpenApi> {
  let offset = 0;
  const now = () => (opts.now ? opts.now() : Date.now()) + offset;
  const users = new Set(opts.users);

  const calls: OpenApiCall[] = [];
  const authCodes = new Map<string, { userId: string; at: number }>();
  const inboxes = new Map<string, RobotDelivery[]>();
  const groups = new Map<string, RobotDelivery[]>();
  const posts = new Map<string, unknown[]>();
  const sessions = new Map<string, { conversationId: string; expiresAt: number }>();
  const cards = new Map<string, CardRecord>();
  const created = new Map<string, Json>(); // outTrackId → first createAndDeliver answer
  const faults: OpenApiFault[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let token: { value: string; expiresAt: number; revoked: boolean } | undefined;
  let tokenCount = 0;
  let flowControlled = new Set<string>();

  const newKey = (n = 16) => randomBytes(n).toString('base64url');
  const fail = (status: number, code: string, message: string): never => {
    throw new ApiError(status, code, message);
  };

  // --- token (§6) ---
  function accessToken(body: Json): Json {
    tokenCount++;
    if (!nonEmpty(body.appKey) || !nonEmpty(body.appSecret))
      fail(400, FAKE_ERR.badCredentials, 'appKey and appSecret are required');
    if (body.appKey !== opts.clientId || body.appSecret !== opts.clientSecret)
      fail(400, FAKE_ERR.badCredentials, '无效的clientId或者clientSecret');
    // "有效期内重复获取返回相同结果，并自动续期": the same token while valid, its lifetime renewed.
    if (!token || token.revoked || now() >= token.expiresAt)
      token = { value: newKey(24), expiresAt: 0, revoked: false };
    token.expiresAt = now() + TOKEN_TTL_S * 1000;
    return { accessToken: token.value, expireIn: TOKEN_TTL_S };
  }

  function checkToken(value: string | undefined) {
    if (!value) fail(401, FAKE_ERR.badToken, `缺少 ${TOKEN_HEADER}`);
    if (!token || value !== token.value || token.revoked || now() >= token.expiresAt)
      fail(401, FAKE_ERR.badToken, '不合法的access_token');
  }

  // --- robot messages (§6) ---
  function parseMsg(body: Json, maxBytes?: number): { msgKey: string; msgParam: Json } {
    if (body.robotCode !== opts.robotCode) fail(400, FAKE_ERR.robotCode, 'robotCode does not exist');
    const msgKey = body.msgKey;
    if (typeof msgKey !== 'string' || !(msgKey in MSG_KEYS)) fail(400, FAKE_ERR.msgKey, `unknown msgKey ${msgKey}`);
    const raw = body.msgParam;
    if (typeof raw !== 'string') return fail(400, FAKE_ERR.msgParam, 'msgParam must be a JSON string');
    if (maxBytes !== undefined && Buffer.byteLength(raw, 'utf8') > maxBytes)
      fail(400, FAKE_ERR.msgParam, `msgParam exceeds ${maxBytes} bytes`);
    let msgParam: unknown;
    try {
      msgParam = JSON.parse(raw);
    } catch {
      return fail(400, FAKE_ERR.msgParam, 'msgParam is not valid JSON');
    }
    if (!isObj(msgParam)) return fail(400, FAKE_ERR.msgParam, 'msgParam must encode an object');
    for (const k of MSG_KEYS[msgKey as string] ?? [])
      if (typeof msgParam[k] !== 'string') fail(400, FAKE_ERR.msgParam, `msgParam.${k} missing for ${msgKey}`);
    return { msgKey: msgKey as string, msgParam };
  }

  function batchSend(body: Json): Json {
    const ids = body.userIds;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every(nonEmpty))
      fail(400, FAKE_ERR.userIds, 'userIds must be a non-empty array of strings');
    if ((ids as string[]).length > MAX_USERS) fail(400, FAKE_ERR.userIds, `userIds exceeds ${MAX_USERS}`);
    const { msgKey, msgParam } = parseMsg(body);
    const processQueryKey = newKey();
    const invalid: string[] = [];
    const limited: string[] = [];
    for (const id of new Set(ids as string[])) {
      if (!users.has(id)) invalid.push(id);
      // Each listed person once, in whichever call first names them: calls may race (concurrent drains).
      else if (flowControlled.delete(id)) limited.push(id);
      else inboxes.set(id, [...(inboxes.get(id) ?? []), { msgKey, msgParam, at: now(), processQueryKey }]);
    }
    return { processQueryKey, invalidStaffIdList: invalid, flowControlledStaffIdList: limited };
  }

  function groupSend(body: Json): Json {
    if (!nonEmpty(body.openConversationId)) fail(400, FAKE_ERR.openConversationId, 'openConversationId is required');
    const { msgKey, msgParam } = parseMsg(body, MAX_GROUP_PARAM_BYTES);
    const cid = body.openConversationId as string;
    const processQueryKey = newKey();
    groups.set(cid, [...(groups.get(cid) ?? []), { msgKey, msgParam, at: now(), processQueryKey }]);
    return { processQueryKey };
  }

  // --- cards (§7) ---
  function checkPrivateData(v: unknown): Record<string, Record<string, string>> {
    if (v === undefined) return {};
    if (!isObj(v)) return fail(400, FAKE_ERR.cardParamMap, 'privateData must be an object');
    const out: Record<string, Record<string, string>> = {};
    for (const [user, d] of Object.entries(v)) {
      const map = isObj(d) ? d.cardParamMap : undefined;
      if (!allStrings(map)) fail(400, FAKE_ERR.cardParamMap, `privateData.${user}.cardParamMap values must be strings`);
      out[user] = { ...(map as Record<string, string>) };
    }
    return out;
  }

  function deliverTo(space: string, body: Json): DeliverResult {
    const rest = space.slice(SPACE_PREFIX.length);
    const dot = rest.indexOf('.');
    const spaceType = dot > 0 ? rest.slice(0, dot) : rest;
    const spaceId = dot > 0 ? rest.slice(dot + 1) : '';
    const no = (errorMsg: string): DeliverResult => ({ spaceType, spaceId, success: false, errorMsg });
    if (spaceType === 'IM_ROBOT') {
      const model = body.imRobotOpenDeliverModel;
      if (!isObj(model)) return no('imRobotOpenDeliverModel is required');
      if (model.robotCode !== opts.robotCode) return no('robotCode does not exist');
      if (!users.has(spaceId)) return no(`user ${spaceId} not found`);
    } else if (spaceType === 'IM_GROUP') {
      const model = body.imGroupOpenDeliverModel;
      if (!isObj(model)) return no('imGroupOpenDeliverModel is required');
      if (model.robotCode !== opts.robotCode) return no('robotCode does not exist');
      if (!spaceId) return no('openConversationId missing');
    } else return no(`unsupported spaceType ${spaceType}`);
    return { spaceType, spaceId, success: true, carrierId: newKey(12) };
  }

  function createAndDeliver(body: Json): Json {
    const outTrackId = body.outTrackId;
    if (!nonEmpty(outTrackId)) return fail(400, FAKE_ERR.outTrackId, 'outTrackId is required');
    const templateId = body.cardTemplateId;
    if (!nonEmpty(templateId) || (opts.templateId !== undefined && templateId !== opts.templateId))
      return fail(400, FAKE_ERR.template, `card template ${String(templateId)} does not exist or is unpublished`);
    const cardData = body.cardData;
    const map = isObj(cardData) ? cardData.cardParamMap : undefined;
    if (!allStrings(map)) return fail(400, FAKE_ERR.cardParamMap, 'cardData.cardParamMap values must all be strings');
    const privateData = checkPrivateData(body.privateData);
    const callbackType = body.callbackType;
    if (callbackType !== undefined && callbackType !== 'STREAM' && callbackType !== 'HTTP')
      fail(400, FAKE_ERR.callbackType, 'callbackType must be STREAM or HTTP');
    if (!nonEmpty(body.openSpaceId)) return fail(400, FAKE_ERR.openSpaceId, 'openSpaceId is required');
    const spaces = body.openSpaceId.split(';').filter(Boolean);
    if (spaces.length === 0 || spaces.some((s) => !s.startsWith(SPACE_PREFIX)))
      fail(400, FAKE_ERR.openSpaceId, `openSpaceId must be ${SPACE_PREFIX}<TYPE>.<id>[;…]`);

    const previous = created.get(outTrackId);
    if (previous) return previous; // idempotent outTrackId: no-op, first answer again

    const deliverResults = spaces.map((s) => deliverTo(s, body));
    cards.set(outTrackId, {
      outTrackId,
      templateId,
      cardParamMap: { ...map },
      spaces: spaces.filter((_, i) => deliverResults[i]?.success),
      updates: 0,
      ...(typeof callbackType === 'string' ? { callbackType } : {}),
      privateData,
      deliverResults,
    });
    const answer = { success: true, result: { outTrackId, deliverResults } };
    created.set(outTrackId, answer);
    return answer;
  }

  /** Shared by PUT /v1.0/card/instances and card-callback responses: merge when `…ByKey`, else replace. */
  function applyUpdate(card: CardRecord, u: Json, clicker?: string) {
    const options = isObj(u.cardUpdateOptions) ? u.cardUpdateOptions : {};
    const byKey = options.updateCardDataByKey === true;
    const privateByKey = options.updatePrivateDataByKey === true;
    let data: Record<string, string> | undefined;
    if (u.cardData !== undefined) {
      const map = isObj(u.cardData) ? u.cardData.cardParamMap : undefined;
      if (!allStrings(map)) fail(400, FAKE_ERR.cardParamMap, 'cardData.cardParamMap values must all be strings');
      data = map as Record<string, string>;
    }
    const priv = checkPrivateData(u.privateData);
    if (u.userPrivateData !== undefined) {
      const map = isObj(u.userPrivateData) ? u.userPrivateData.cardParamMap : undefined;
      if (!allStrings(map)) fail(400, FAKE_ERR.cardParamMap, 'userPrivateData.cardParamMap values must all be strings');
      if (clicker) priv[clicker] = { ...(priv[clicker] ?? {}), ...(map as Record<string, string>) };
    }
    if (data) card.cardParamMap = byKey ? { ...card.cardParamMap, ...data } : { ...data };
    for (const [user, map] of Object.entries(priv))
      card.privateData[user] = privateByKey ? { ...(card.privateData[user] ?? {}), ...map } : { ...map };
    if (data || Object.keys(priv).length > 0) card.updates++;
  }

  function updateCard(body: Json): Json {
    const card = nonEmpty(body.outTrackId) ? cards.get(body.outTrackId) : undefined;
    if (!card) return fail(400, FAKE_ERR.cardNotFound, `card ${String(body.outTrackId)} not found`);
    applyUpdate(card, body);
    return { success: true, result: true };
  }

  // --- session webhooks (§5) ---
  function sessionPost(session: string, body: unknown): Json {
    const s = sessions.get(session);
    if (!s || now() >= s.expiresAt) return { ...SESSION_GONE };
    if (!isObj(body)) return { errcode: 40035, errmsg: '缺少参数 json' };
    const type = body.msgtype;
    if (typeof type !== 'string' || !(type in WEBHOOK_TYPES))
      return { errcode: 40035, errmsg: `不支持的 msgtype ${type}` };
    const part = body[type];
    if (!isObj(part)) return { errcode: 40035, errmsg: `缺少参数 ${type}` };
    for (const k of WEBHOOK_TYPES[type] ?? [])
      if (!nonEmpty(part[k])) return { errcode: 40035, errmsg: `缺少参数 ${type}.${k}` };
    posts.set(s.conversationId, [...(posts.get(s.conversationId) ?? []), body]);
    return { errcode: 0, errmsg: 'ok' };
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

  function reply(res: ServerResponse, status: number, body: Json) {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  const routes: Record<string, (body: Json) => Json> = {
    'POST /v1.0/robot/oToMessages/batchSend': batchSend,
    'POST /v1.0/robot/groupMessages/send': groupSend,
    'POST /v1.0/card/instances/createAndDeliver': createAndDeliver,
    'PUT /v1.0/card/instances': updateCard,
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
    calls.push({ method, path: u.pathname, headers, body, at: now() });

    if (u.pathname === '/robot/sendBySession' && method === 'POST')
      return reply(res, 200, sessionPost(u.searchParams.get('session') ?? '', body));
    try {
      if (u.pathname === '/v1.0/oauth2/accessToken' && method === 'POST')
        return reply(res, 200, accessToken(isObj(body) ? body : {}));
      // H5 micro-app 免登 (§9): the code dd.runtime.permission.requestAuthCode gave, once, for 5 min.
      if (u.pathname === '/topapi/v2/user/getuserinfo' && method === 'POST') {
        checkToken(u.searchParams.get('access_token') ?? undefined);
        const code = isObj(body) && typeof body.code === 'string' ? body.code : '';
        const grant = authCodes.get(code);
        authCodes.delete(code);
        if (!grant || now() - grant.at > 5 * 60_000)
          return reply(res, 200, { errcode: 40078, errmsg: '不存在的临时授权码' });
        return reply(res, 200, { errcode: 0, errmsg: 'ok', result: { userid: grant.userId } });
      }
      const route = routes[`${method} ${u.pathname}`];
      if (!route) return fail(404, FAKE_ERR.notFound, `${method} ${u.pathname} is not modelled`);
      // Injected faults hit before anything else, as the API gateway's throttling does.
      const fault = faults.shift();
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault && (fault.status !== undefined || fault.code !== undefined)) {
        const code = fault.code ?? 'ServiceUnavailable';
        fail(fault.status ?? (code.startsWith('Forbidden') ? 403 : 400), code, 'fake fault');
      }
      checkToken(headers[TOKEN_HEADER]);
      if (!isObj(body)) return fail(400, FAKE_ERR.badBody, 'body must be a JSON object');
      return reply(res, 200, route(body));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return reply(res, err.status, { code: err.code, message: err.message, requestid: randomUUID().toUpperCase() });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) reply(res, 500, { code: 'InternalError', message: String(err), requestid: randomUUID() });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    calls,
    cards,
    tokenCalls: () => tokenCount,
    expireToken() {
      if (token) token.revoked = true;
    },
    inbox: (userId) => inboxes.get(userId) ?? [],
    group: (cid) => groups.get(cid) ?? [],
    webhookPosts: (cid) => posts.get(cid) ?? [],
    issueAuthCode(userId) {
      const code = newKey();
      authCodes.set(code, { userId, at: now() });
      return code;
    },
    sessionWebhook(conversationId, ttlMs = SESSION_TTL_MS) {
      const session = newKey(24);
      const expiresAt = now() + ttlMs;
      sessions.set(session, { conversationId, expiresAt });
      return { url: `${url}/robot/sendBySession?session=${session}`, expiresAt };
    },
    flowControlNext(userIds) {
      flowControlled = new Set(userIds);
    },
    failNext(n, fault) {
      for (let i = 0; i < n; i++) faults.push({ ...fault });
    },
    cardClickTarget(outTrackId, userId) {
      const card = cards.get(outTrackId);
      if (!card) throw new Error(`fake DingTalk: no card ${outTrackId}`);
      if (card.callbackType !== 'STREAM')
        throw new Error(`fake DingTalk: card ${outTrackId} has callbackType ${card.callbackType}, no Stream callback`);
      const results = card.deliverResults.filter((r) => r.success);
      const own = results.find((r) => r.spaceType === 'IM_ROBOT' && r.spaceId === userId);
      const group = results.find((r) => r.spaceType === 'IM_GROUP');
      const where = own ?? group;
      if (!where) throw new Error(`fake DingTalk: ${userId} cannot see card ${outTrackId}`);
      return { spaceType: where.spaceType, spaceId: where.spaceId };
    },
    applyCardResponse(outTrackId, userId, response) {
      const card = cards.get(outTrackId);
      if (!card) return `no card ${outTrackId}`;
      try {
        applyUpdate(card, response, userId);
        return undefined;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
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
