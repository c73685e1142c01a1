// Plays WeCom against the bot's self-built-app callback URL (protocol reference §2, §4, §12B):
// encrypts and signs like WeCom, percent-encodes echostr, re-sends on timeouts, and opens passive replies.
// Options exist to forge what a careless bot would accept (bad signature, foreign receiveid, `+` as space).
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { XMLParser } from 'fast-xml-parser';

export interface CallbackClientOptions {
  url: string;
  token: string;
  encodingAesKey: string;
  receiveId: string;
}

export interface EnvelopeOptions {
  badSignature?: boolean;
  /** Encrypt with this receiveid instead of the CorpID (the signature stays valid). */
  receiveId?: string;
  timestamp?: string;
  nonce?: string;
  /** The 16-byte random prefix; fixed only to reproduce published vectors. */
  random?: Buffer;
  /** Alters the ciphertext before signing, e.g. to truncate the base64 behind a valid signature. */
  mutateEncrypt?: (encrypt: string) => string;
  /** `json` = the JSON-callback variant `{"tousername","encrypt","agentid"}` (vector C). */
  format?: 'xml' | 'json';
}

export interface Envelope {
  url: string;
  /** Raw query string as sent: msg_signature, timestamp, nonce[, echostr]. */
  query: string;
  body: string;
  encrypt: string;
  signature: string;
  timestamp: string;
  nonce: string;
}

export interface VerifyOptions {
  badSignature?: boolean;
  /** Leave `+` unencoded so URLSearchParams-style parsers see a space (the Hono pitfall of §2). */
  plusAsSpace?: boolean;
  timestamp?: string;
  nonce?: string;
  random?: Buffer;
  /** WeCom gives up after 1 s; the returned promise rejects then. */
  timeoutMs?: number;
}

export type PostOptions = EnvelopeOptions & { rawBody?: string };

export interface DeliveryResult {
  attempts: number;
  statuses: (number | 'timeout' | 'error')[];
  /** Response text of each answered attempt (undefined for timeouts and network errors). */
  bodies: (string | undefined)[];
}

const xml = new XMLParser({ parseTagValue: false });

export class WecomCallbackClient {
  constructor(private readonly opts: CallbackClientOptions) {}

  private sign(timestamp: string, nonce: string, cipher: string, bad?: boolean): string {
    const sig = getSignature(this.opts.token, timestamp, nonce, cipher);
    return bad ? sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0') : sig;
  }

  private withQuery(query: string): string {
    return `${this.opts.url}${this.opts.url.includes('?') ? '&' : '?'}${query}`;
  }

  /** The GET verification URL WeCom would call; echostr percent-encoded (`+` as `%2B`). */
  verifyUrl(echoPlain: string, opts: VerifyOptions = {}): Envelope {
    const timestamp = opts.timestamp ?? nowSeconds();
    const nonce = opts.nonce ?? newNonce();
    const echostr = encrypt(this.opts.encodingAesKey, echoPlain, this.opts.receiveId, opts.random ?? randomBytes(16));
    const signature = this.sign(timestamp, nonce, echostr, opts.badSignature);
    let encoded = encodeURIComponent(echostr);
    if (opts.plusAsSpace) encoded = encoded.replaceAll('%2B', '+');
    const query = `msg_signature=${signature}&timestamp=${enc(timestamp)}&nonce=${enc(nonce)}&echostr=${encoded}`;
    return { url: this.withQuery(query), query, body: '', encrypt: echostr, signature, timestamp, nonce };
  }

  /** GET URL verification with a percent-encoded echostr; returns the fetch Response (WeCom waits 5 s). */
  verify(echoPlain: string, opts: VerifyOptions = {}): Promise<Response> {
    const { url } = this.verifyUrl(echoPlain, opts);
    return fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 5000) });
  }

  /** The POST WeCom would make for this plaintext: signed query and encrypted envelope body. */
  envelope(plain: string, opts: EnvelopeOptions = {}): Envelope {
    const timestamp = opts.timestamp ?? nowSeconds();
    const nonce = opts.nonce ?? newNonce();
    const receiveId = opts.receiveId ?? this.opts.receiveId;
    let cipher = encrypt(this.opts.encodingAesKey, plain, receiveId, opts.random ?? randomBytes(16));
    if (opts.mutateEncrypt) cipher = opts.mutateEncrypt(cipher);
    const signature = this.sign(timestamp, nonce, cipher, opts.badSignature);
    const query = `msg_signature=${signature}&timestamp=${enc(timestamp)}&nonce=${enc(nonce)}`;
    const agentId = agentIdOf(plain);
    const body =
      opts.format === 'json'
        ? JSON.stringify({ tousername: this.opts.receiveId, encrypt: cipher, agentid: agentId })
        : `<xml><ToUserName>${cdata(this.opts.receiveId)}</ToUserName><Encrypt>${cdata(cipher)}</Encrypt>` +
          `<AgentID>${cdata(agentId)}</AgentID></xml>`;
    return { url: this.withQuery(query), query, body, encrypt: cipher, signature, timestamp, nonce };
  }

  /** Encrypts plaintext XML, signs, POSTs the envelope; opts let tests forge things. */
  post(plainXml: string, opts: PostOptions = {}): Promise<Response> {
    const env = this.envelope(plainXml, opts);
    return fetch(env.url, { method: 'POST', headers: contentType(opts.format), body: opts.rawBody ?? env.body });
  }

  /**
   * POSTs like WeCom: no complete answer within `timeoutMs` (5 s) → drop the connection and re-send the
   * identical request, at most 3 retries. Any HTTP answer ends it: per the newer doc text WeCom retries only
   * on timeouts and network failures.
   */
  async deliver(plainXml: string, opts: { timeoutMs?: number; retries?: number } = {}): Promise<DeliveryResult> {
    const env = this.envelope(plainXml);
    const result: DeliveryResult = { attempts: 0, statuses: [], bodies: [] };
    for (let i = 0; i <= (opts.retries ?? 3); i++) {
      result.attempts++;
      const signal = AbortSignal.timeout(opts.timeoutMs ?? 5000);
      try {
        const res = await fetch(env.url, { method: 'POST', headers: contentType('xml'), body: env.body, signal });
        const text = await res.text(); // the whole answer must arrive in time, not just the headers
        result.statuses.push(res.status);
        result.bodies.push(text);
        return result;
      } catch {
        result.statuses.push(signal.aborted ? 'timeout' : 'error');
        result.bodies.push(undefined);
      }
    }
    return result;
  }

  /** Decrypts and verifies a passive encrypted reply envelope the bot returned (XML), returning the plaintext. */
  openReply(replyXml: string): string {
    const doc = xml.parse(replyXml) as { xml?: Record<string, unknown> };
    const f = doc.xml ?? {};
    const field = (name: string) => {
      const v = f[name];
      if (typeof v !== 'string' || v === '') throw new Error(`passive reply: ${name} missing`);
      return v;
    };
    const cipher = field('Encrypt');
    const expected = getSignature(this.opts.token, field('TimeStamp'), field('Nonce'), cipher);
    const given = field('MsgSignature');
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected)))
      throw new Error('passive reply: MsgSignature does not match');
    const { message, id } = decrypt(this.opts.encodingAesKey, cipher); // throws on damaged base64
    // @wecom/crypto never checks the trailing id, and a wrong key yields garbage: the id check catches both.
    if (id !== this.opts.receiveId) throw new Error(`passive reply: receiveid ${JSON.stringify(id)} is not the CorpID`);
    return message;
  }
}

// --- plaintext builders, in WeCom's own layout (one element per line, as the official sample) ---

const cdata = (s: string) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
const doc = (parts: string[]) => `<xml>${parts.map((p) => `${p}\n`).join('')}</xml>`;
const el = (name: string, value: string) => `<${name}>${cdata(value)}</${name}>`;
const num = (name: string, value: number | string) => `<${name}>${value}</${name}>`;

export function textMessageXml(m: {
  corpId: string;
  from: string;
  content: string;
  msgId: string;
  createTime?: number;
  agentId: number;
}): string {
  return doc([
    el('ToUserName', m.corpId),
    el('FromUserName', m.from),
    num('CreateTime', m.createTime ?? Number(nowSeconds())),
    el('MsgType', 'text'),
    el('Content', m.content),
    num('MsgId', m.msgId), // opaque string: 19 digits or base64-like, never a JS number
    num('AgentID', m.agentId),
  ]);
}

export function enterAgentXml(m: { corpId: string; from: string; createTime?: number; agentId: number }): string {
  return doc([
    el('ToUserName', m.corpId),
    el('FromUserName', m.from),
    num('CreateTime', m.createTime ?? Number(nowSeconds())),
    el('MsgType', 'event'),
    el('Event', 'enter_agent'),
    el('EventKey', ''),
    num('AgentID', m.agentId),
  ]);
}

export function cardEventXml(m: {
  corpId: string;
  from: string;
  taskId: string;
  eventKey: string;
  responseCode: string;
  cardType?: string;
  selected?: { questionKey: string; optionIds: string[] }[];
  createTime?: number;
  agentId: number;
}): string {
  const parts = [
    el('ToUserName', m.corpId),
    el('FromUserName', m.from),
    num('CreateTime', m.createTime ?? Number(nowSeconds())),
    el('MsgType', 'event'),
    el('Event', 'template_card_event'),
    el('EventKey', m.eventKey),
    el('TaskId', m.taskId),
    el('CardType', m.cardType ?? 'button_interaction'),
    el('ResponseCode', m.responseCode),
    num('AgentID', m.agentId),
  ];
  if (m.selected?.length) {
    const items = m.selected.map(
      (s) =>
        `<SelectedItem>${el('QuestionKey', s.questionKey)}` +
        `<OptionIds>${s.optionIds.map((o) => el('OptionId', o)).join('')}</OptionIds></SelectedItem>`,
    );
    parts.push(`<SelectedItems>${items.join('')}</SelectedItems>`);
  }
  return doc(parts);
}

// --- helpers ---

function nowSeconds(): string {
  return String(Math.floor(Date.now() / 1000));
}

/** WeCom's nonces are decimal strings (e.g. 1372623149). */
function newNonce(): string {
  return String(randomInt(100_000_000, 2_000_000_000));
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

function contentType(format: EnvelopeOptions['format']): Record<string, string> {
  return { 'content-type': format === 'json' ? 'application/json' : 'text/xml' };
}

/** AgentID of the plaintext (XML or JSON), copied into the envelope as WeCom does. */
function agentIdOf(plain: string): string {
  const m = /<AgentID>\s*(?:<!\[CDATA\[)?\s*(\d+)/.exec(plain) ?? /"AgentID"\s*:\s*"?(\d+)/.exec(plain);
  return m?.[1] ?? '';
}
