// The WeCom server API for the self-built app: gettoken (kept by bot/core/access-token.ts,
// refreshed once on 40014/42001), message/send and update_template_card.
// Errors become SendErrors that say whether trying again can help.

import type { TokenStore } from '../../storage/tokens';
import { AccessTokenCache, type FreshToken } from '../core/access-token';
import { SendError } from '../core/delivery';
import type { Logger } from '../core/log';

export interface WecomAppConfig {
  corpId: string;
  agentId: number;
  secret: string;
  apiBase: string;
}

const RETRYABLE = new Set([-1, 45009, 45033, 45011]);
const TOKEN_INVALID = new Set([40014, 42001]);
const TIMEOUT_MS = 10_000;

export interface WecomReply {
  errcode: number;
  errmsg: string;
  [k: string]: unknown;
}

export class WecomApi {
  private readonly tokens: AccessTokenCache;

  constructor(
    readonly cfg: WecomAppConfig,
    private readonly log: Logger,
    now: () => number = Date.now,
    store?: TokenStore,
    /** How calls go out; the global fetch, called as a function (Workers refuse it as a method). */
    private readonly call: typeof fetch = (input, init) => globalThis.fetch(input, init),
  ) {
    this.tokens = new AccessTokenCache(() => this.fetchToken(), now, store);
  }

  private async fetchToken(): Promise<FreshToken> {
    const q = new URLSearchParams({ corpid: this.cfg.corpId, corpsecret: this.cfg.secret });
    const r = await this.request(`/cgi-bin/gettoken?${q}`);
    if (r.errcode !== 0 || typeof r.access_token !== 'string') {
      throw new SendError(`gettoken failed: ${r.errcode} ${r.errmsg}`, RETRYABLE.has(r.errcode));
    }
    return { value: r.access_token, ttlMs: (typeof r.expires_in === 'number' ? r.expires_in : 7200) * 1000 };
  }

  private async request(path: string, init?: RequestInit): Promise<WecomReply> {
    let res: Response;
    try {
      res = await this.call(`${this.cfg.apiBase.replace(/\/$/, '')}${path}`, {
        ...init,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      // A timeout or a dropped connection: the request may have been taken all the same.
      throw new SendError(`WeCom API unreachable: ${(err as Error).message}`, true, undefined, true);
    }
    if (res.status === 429) throw new SendError(`WeCom API HTTP ${res.status}`, true);
    if (res.status >= 500) throw new SendError(`WeCom API HTTP ${res.status}`, true, undefined, true);
    if (!res.ok) throw new SendError(`WeCom API HTTP ${res.status}`, false);
    try {
      return (await res.json()) as WecomReply;
    } catch {
      throw new SendError('WeCom API answered with something that is not JSON', true, undefined, true);
    }
  }

  /** The access token (bot/core/access-token.ts: once for everyone waiting, shared through the store). */
  accessToken(): Promise<string> {
    return this.tokens.get();
  }

  /** POSTs with the token; renews it once if WeCom says it is invalid or expired. */
  async post(path: string, body: unknown): Promise<WecomReply> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const r = await this.request(`${path}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (TOKEN_INVALID.has(r.errcode) && attempt === 0) {
        this.log.warn('WeCom token refused, renewing', { errcode: r.errcode });
        this.tokens.refuse(token);
        continue;
      }
      if (r.errcode === 0) return r;
      throw new SendError(
        `${path}: ${r.errcode} ${r.errmsg}`,
        RETRYABLE.has(r.errcode) || TOKEN_INVALID.has(r.errcode),
      );
    }
  }

  /** The member behind an H5 page's OAuth code (snsapi_base); null for a bad or used code or a non-member. */
  async userIdByCode(code: string): Promise<string | null> {
    const token = await this.accessToken();
    const q = new URLSearchParams({ access_token: token, code });
    const r = await this.request(`/cgi-bin/auth/getuserinfo?${q}`);
    return r.errcode === 0 && typeof r.userid === 'string' ? r.userid : null;
  }

  /** The URL that sends a member through WeCom's snsapi_base OAuth back to `redirect` with a code. */
  oauthUrl(redirect: string, state: string): string {
    const q = new URLSearchParams({
      appid: this.cfg.corpId,
      redirect_uri: redirect,
      response_type: 'code',
      scope: 'snsapi_base',
      state,
      agentid: String(this.cfg.agentId),
    });
    return `https://open.weixin.qq.com/connect/oauth2/authorize?${q}#wechat_redirect`;
  }

  sendMessage(message: Record<string, unknown>): Promise<WecomReply> {
    return this.post('/cgi-bin/message/send', { agentid: this.cfg.agentId, ...message });
  }

  updateTemplateCard(update: Record<string, unknown>): Promise<WecomReply> {
    return this.post('/cgi-bin/message/update_template_card', { agentid: this.cfg.agentId, ...update });
  }
}

/** Splits text into parts of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function splitUtf8(text: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let cur = '';
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > maxBytes && cur) {
      parts.push(cur);
      cur = '';
      bytes = 0;
    }
    cur += ch;
    bytes += n;
  }
  if (cur) parts.push(cur);
  return parts;
}
