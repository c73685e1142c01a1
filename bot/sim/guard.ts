// Who may use the simulator: a browser or script on the developer's own machine, talking to this
// server directly. The simulator acts as anyone on the roster, admins included, so everything else
// is refused before a route runs:
// - a client that is not loopback (on Workers, by CF-Connecting-IP), or that came through a proxy:
//   a proxy adds a forwarding header (X-Forwarded-For, Forwarded, Via, X-Real-IP …), or keeps the
//   public Host, or (nginx's default proxy_pass) sets Host to the loopback upstream, adds nothing
//   and speaks HTTP/1.0;
// - a Host that is not loopback: DNS rebinding (a web page whose own name resolves to 127.0.0.1);
// - an Origin or Referer of another origin: another web page, or another local app, posting here;
// - a POST that is not JSON (a cross-site form can send text/plain without asking first), or too big.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from '../core/body-limit';

export type ClientAddress = (c: Context) => string | undefined;

const LOOPBACK_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;
const PROXY_HEADERS = [
  'forwarded',
  'via',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'true-client-ip',
];
export const SIM_MAX_BODY_BYTES = 64 * 1024;

/** The host:port a URL names, or null when it is not one. */
function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** Why this request may not use the simulator, or null. */
function refusal(c: Context, clientAddress: ClientAddress): string | null {
  if (PROXY_HEADERS.some((h) => c.req.header(h) !== undefined)) return 'proxied';
  const address = clientAddress(c);
  if (!address || !LOOPBACK_ADDRESS.test(address)) return 'not loopback';
  // On Node the request URL is built from the Host header.
  const url = new URL(c.req.url);
  if (!LOOPBACK_HOST.test(url.hostname)) return 'host not loopback';
  const incoming = (c.env as { incoming?: { httpVersion?: string } } | undefined)?.incoming;
  if (incoming?.httpVersion === '1.0') return 'HTTP/1.0 (a proxy)';
  for (const header of ['origin', 'referer']) {
    const value = c.req.header(header);
    if (value !== undefined && hostOf(value) !== url.host) return `${header} of another origin`;
  }
  return null;
}

export function simGuard(clientAddress: ClientAddress): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: SIM_MAX_BODY_BYTES,
    onError: (c) => c.json({ error: `请求体最多 ${SIM_MAX_BODY_BYTES / 1024} KB` }, 413),
  });
  return async (c, next) => {
    if (refusal(c, clientAddress)) return c.json({ error: '模拟器只接受本机浏览器或脚本直接访问' }, 403);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
      return c.json({ error: '请求体必须是 JSON（Content-Type: application/json）' }, 415);
    }
    return limit(c, next);
  };
}
