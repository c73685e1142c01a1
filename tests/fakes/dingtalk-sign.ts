// DingTalk's HTTP-mode robot signature, as DingTalk computes it (§8). Shared by the Node fakes and
// the Worker tests (node:crypto is there under nodejs_compat).
import { createHmac } from 'node:crypto';

/** base64(HmacSHA256(key = secret, timestamp + "\n" + secret)), not URL-encoded. */
export function dingtalkSign(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}
