// The WeCom callback crypto (加解密方案): signature check, decryption with the receive id
// checked (the library does not), and encryption for passive replies. @wecom/crypto does the
// AES; its Node `crypto` import needs `nodejs_compat` on Workers.
import { timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

export class CallbackRejected extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401,
  ) {
    super(message);
  }
}

export interface CallbackKeys {
  token: string;
  encodingAesKey: string;
  /** CorpID for the self-built app; "" for the smart bot. */
  receiveId: string;
}

function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * How far a callback's signed timestamp may be from now. WeCom calls at once and re-sends within
 * seconds; the ids of callbacks are remembered for 7 days (cron/jobs.ts), so a replay outside this
 * window would otherwise be handled again once its id is forgotten.
 */
export const CALLBACK_WINDOW_MS = 3600_000;

/** Verifies `msg_signature` over the ciphertext and its freshness, then decrypts it and checks whom it was for. */
export function openCallback(
  keys: CallbackKeys,
  q: { signature: string; timestamp: string; nonce: string },
  ciphertext: string,
  now = Date.now(),
): string {
  const expected = getSignature(keys.token, q.timestamp, q.nonce, ciphertext);
  if (!equalText(expected, q.signature.toLowerCase())) throw new CallbackRejected('signature mismatch', 401);
  const sent = Number(q.timestamp) * 1000;
  if (!Number.isFinite(sent) || Math.abs(now - sent) > CALLBACK_WINDOW_MS) {
    throw new CallbackRejected('timestamp outside the hour around now', 401);
  }
  let opened: { message: string; id: string };
  try {
    opened = decrypt(keys.encodingAesKey, ciphertext);
  } catch {
    throw new CallbackRejected('ciphertext cannot be decrypted', 400);
  }
  // A wrong key decrypts to garbage without an error: the receive id is what proves it.
  if (opened.id !== keys.receiveId) throw new CallbackRejected('receive id does not match', 401);
  return opened.message;
}

/** An encrypted, signed reply: the fields of a passive reply envelope. */
export function sealReply(
  keys: CallbackKeys,
  plaintext: string,
  timestamp: string,
  nonce: string,
): { encrypt: string; signature: string } {
  const sealed = encrypt(keys.encodingAesKey, plaintext, keys.receiveId, crypto.getRandomValues(Buffer.alloc(16)));
  return { encrypt: sealed, signature: getSignature(keys.token, timestamp, nonce, sealed) };
}

/** The query as WeCom sent it: a literal `+` in a base64 value stays a `+`, not a space. */
export function callbackQuery(url: string): URLSearchParams {
  const q = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  return new URLSearchParams(q.replace(/\+/g, '%2B'));
}

/** The signature parameters of a callback, or a 401 when one is missing. */
export function signatureParams(query: URLSearchParams): { signature: string; timestamp: string; nonce: string } {
  const signature = query.get('msg_signature');
  const timestamp = query.get('timestamp');
  const nonce = query.get('nonce');
  if (!signature || !timestamp || !nonce) throw new CallbackRejected('missing msg_signature, timestamp or nonce', 401);
  return { signature, timestamp, nonce };
}
