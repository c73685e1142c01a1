// DingTalk's HTTP robot callback signature: headers `timestamp` (ms) and
// `sign = base64(HmacSHA256(appSecret, timestamp + "\n" + appSecret))`. The signature covers the
// timestamp only, not the body: a pair is a bearer token, so it is taken once (see http.ts) and
// only while fresh. DingTalk's documentation allows an hour; its requests arrive within seconds.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SKEW_MS = 5 * 60_000;

function robotSign(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** Why a signed request is refused, or null when it is good. */
export function signatureProblem(
  secret: string,
  timestamp: string | undefined,
  sign: string | undefined,
  now: number,
): string | null {
  if (!timestamp || !sign) return 'missing timestamp or sign';
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(now - ts) > MAX_SKEW_MS) return 'timestamp outside five minutes';
  const expected = Buffer.from(robotSign(secret, timestamp));
  const given = Buffer.from(sign);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'signature mismatch';
  return null;
}
