// DingTalk's OpenAPI for the robot: access token (kept by bot/core/access-token.ts), 1:1
// batch sends (≤ 20 people a call; flow-controlled ids are sent again), group sends, interactive
// cards, and the conversation's session webhook. Errors become SendErrors saying whether trying
// again can help.
import type { TokenStore } from '../../storage/tokens';
import { AccessTokenCache, type FreshToken } from '../core/access-token';
import { SendError } from '../core/delivery';
import { type Logger, silentLogger } from '../core/log';

export interface DingtalkApiConfig {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  apiBase: string;
  /** oapi.dingtalk.com: the older API, where H5 免登 codes are exchanged. */
  oapiBase?: string;
}

const TIMEOUT_MS = 10_000;
const DEFAULT_OAPI = 'https://oapi.dingtalk.com';
/** People a batchSend call takes. */
export const BATCH_USERS = 20;

export class DingtalkApi {
  private readonly tokens: AccessTokenCache;

  constructor(
    readonly cfg: DingtalkApiConfig,
    now: () => number = Date.now,
    private readonly log: Logger = silentLogger,
    store?: TokenStore,
    /** How calls go out; the global fetch, called as a function (Workers refuse it as a method). */
    private readonly request: typeof fetch = (input, init) => globalThis.fetch(input, init),
  ) {
    this.tokens = new AccessTokenCache(() => this.fetchToken(), now, store);
  }

  /**
   * Whether a URL is on DingTalk's own hosts (the configured API bases): a session webhook comes
   * in the message's body, which DingTalk's HTTP mode does not sign, so any other host is a forgery.
   */
  isDingtalkUrl(url: string): boolean {
    const own = [this.cfg.apiBase, this.cfg.oapiBase ?? DEFAULT_OAPI].map(originOf);
    return own.includes(originOf(url));
  }

  private async fetchJson(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
    let res: Response;
    try {
      res = await this.request(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw new SendError(`DingTalk unreachable: ${(err as Error).message}`, true);
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: res.status, body };
  }

  /** The access token (bot/core/access-token.ts: once for everyone waiting, shared through the store). */
  accessToken(): Promise<string> {
    return this.tokens.get();
  }

  private async fetchToken(): Promise<FreshToken> {
    const r = await this.fetchJson(`${this.cfg.apiBase}/v1.0/oauth2/accessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appKey: this.cfg.clientId, appSecret: this.cfg.clientSecret }),
    });
    if (r.status !== 200 || typeof r.body.accessToken !== 'string') {
      throw new SendError(`accessToken failed: HTTP ${r.status} ${String(r.body.code ?? '')}`, r.status >= 500);
    }
    return { value: r.body.accessToken, ttlMs: (typeof r.body.expireIn === 'number' ? r.body.expireIn : 7200) * 1000 };
  }

  /** Calls the OpenAPI with the token; renews it once when DingTalk refuses it. */
  async call(method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const r = await this.fetchJson(`${this.cfg.apiBase}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': token },
        body: JSON.stringify(body),
      });
      if (r.status === 401 && attempt === 0) {
        this.tokens.refuse(token);
        continue;
      }
      if (r.status === 200) return r.body;
      const code = String(r.body.code ?? '');
      const retryable = r.status >= 500 || r.status === 429 || /QpsLimit|send\.too\.fast|Throttl/i.test(code);
      throw new SendError(`${path}: HTTP ${r.status} ${code} ${String(r.body.message ?? '')}`.trim(), retryable);
    }
  }

  /** The member an H5 page's 免登 code (requestAuthCode) belongs to; null for a bad or used code. */
  async userIdByAuthCode(code: string): Promise<string | null> {
    const token = await this.accessToken();
    const base = this.cfg.oapiBase ?? DEFAULT_OAPI;
    const r = await this.fetchJson(`${base}/topapi/v2/user/getuserinfo?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    const result = r.body.result as { userid?: unknown } | undefined;
    return r.body.errcode === 0 && typeof result?.userid === 'string' ? result.userid : null;
  }

  /** 1:1 messages to at most 20 people; the ids DingTalk flow-controlled are returned for a retry. */
  async batchSend(
    userIds: string[],
    msgKey: string,
    msgParam: unknown,
  ): Promise<{ flowControlled: string[]; invalid: string[] }> {
    if (userIds.length > BATCH_USERS) throw new SendError(`batchSend takes at most ${BATCH_USERS} people`, false);
    const r = await this.call('POST', '/v1.0/robot/oToMessages/batchSend', {
      robotCode: this.cfg.robotCode,
      userIds,
      msgKey,
      msgParam: JSON.stringify(msgParam),
    });
    const list = (k: string) => (Array.isArray(r[k]) ? (r[k] as unknown[]).map(String) : []);
    return { flowControlled: list('flowControlledStaffIdList'), invalid: list('invalidStaffIdList') };
  }

  async groupSend(openConversationId: string, msgKey: string, msgParam: unknown): Promise<void> {
    await this.call('POST', '/v1.0/robot/groupMessages/send', {
      robotCode: this.cfg.robotCode,
      openConversationId,
      msgKey,
      msgParam: JSON.stringify(msgParam),
    });
  }

  async createAndDeliverCard(card: {
    outTrackId: string;
    templateId: string;
    cardParamMap: Record<string, string>;
    target: { kind: 'direct' | 'group'; id: string };
    callbackType: 'STREAM' | 'HTTP';
  }): Promise<void> {
    const group = card.target.kind === 'group';
    const r = await this.call('POST', '/v1.0/card/instances/createAndDeliver', {
      cardTemplateId: card.templateId,
      outTrackId: card.outTrackId,
      callbackType: card.callbackType,
      cardData: { cardParamMap: card.cardParamMap },
      openSpaceId: group ? `dtv1.card//IM_GROUP.${card.target.id}` : `dtv1.card//IM_ROBOT.${card.target.id}`,
      ...(group
        ? {
            imGroupOpenSpaceModel: { supportForward: true },
            imGroupOpenDeliverModel: { robotCode: this.cfg.robotCode },
          }
        : {
            imRobotOpenSpaceModel: { supportForward: true },
            imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: this.cfg.robotCode },
          }),
      userIdType: 1,
    });
    const results = (r.result as { deliverResults?: { success?: boolean; errorMsg?: string }[] })?.deliverResults ?? [];
    const failed = results.filter((d) => !d.success);
    if (failed.length > 0)
      throw new SendError(`card not delivered: ${failed.map((d) => d.errorMsg).join('; ')}`, false);
  }

  async updateCard(outTrackId: string, cardParamMap: Record<string, string>): Promise<void> {
    await this.call('PUT', '/v1.0/card/instances', {
      outTrackId,
      cardData: { cardParamMap },
      cardUpdateOptions: { updateCardDataByKey: true },
    });
  }

  /** Posts into the conversation while its session webhook lives; false once it has expired or is not DingTalk's. */
  async webhook(url: string, message: unknown): Promise<boolean> {
    if (!this.isDingtalkUrl(url)) {
      this.log.warn("session webhook off DingTalk's hosts ignored: answering through the OpenAPI", {
        origin: originOf(url) ?? 'not a URL',
      });
      return false;
    }
    const r = await this.fetchJson(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    if (r.status >= 500) throw new SendError(`session webhook HTTP ${r.status}`, true);
    const errcode = Number(r.body.errcode ?? 0);
    if (errcode === 300001) return false; // session 不存在: fall back to the OpenAPI
    if (errcode !== 0) throw new SendError(`session webhook: ${errcode} ${String(r.body.errmsg ?? '')}`, false);
    return true;
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
