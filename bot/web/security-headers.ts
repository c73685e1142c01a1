// The headers every response carries: no MIME sniffing, no framing (clickjacking), no Referer to
// other sites (signed links carry their token in the query; same-origin requests keep theirs, and
// their Origin, which the simulator checks), and a content security policy that allows
// nothing by default. The pages (the simulator, the self-check form) may run only their own inline
// script and style, allowed by hash from the page as written (never from what a request put in it)
// and the external scripts it names. Responses with personal data are not stored by any cache.
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

const BASE = ["default-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"];

/**
 * The sources a page written by us needs: hashes of its inline scripts and styles, origins of its
 * script files and style sheets ('self' for the app's own).
 */
function pagePolicy(templates: readonly string[]): string {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const script = new Set<string>();
  const style = new Set<string>();
  for (const html of templates) {
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      const src = (m[1] ?? '').match(/\bsrc="([^"]+)"/)?.[1];
      script.add(src ? new URL(src).origin : hash(m[2] ?? ''));
    }
    for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) style.add(hash(m[1] ?? ''));
    for (const m of html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/gi)) {
      const href = m[1] ?? '';
      style.add(/^https?:/.test(href) ? new URL(href).origin : "'self'");
    }
  }
  return [
    ...BASE,
    ...(script.size ? [`script-src ${[...script].join(' ')}`] : []),
    ...(style.size ? [`style-src ${[...style].join(' ')}`] : []),
    "connect-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
  ].join('; ');
}

export function securityHeaders(options: {
  /** By path (a key ending in `/`: every path under it): the pages served there, as written (no request's data in them). */
  pages: Record<string, readonly string[]>;
  /** Path prefixes whose responses hold personal data. */
  noStore: readonly string[];
}): MiddlewareHandler {
  const policies = new Map(Object.entries(options.pages).map(([path, html]) => [path, pagePolicy(html)]));
  const fallback = BASE.join('; ');
  const under = [...policies].filter(([path]) => path.endsWith('/'));
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('x-content-type-options', 'nosniff');
    h.set('x-frame-options', 'DENY');
    h.set('referrer-policy', 'same-origin');
    const policy = policies.get(c.req.path) ?? under.find(([prefix]) => c.req.path.startsWith(prefix))?.[1];
    h.set('content-security-policy', policy ?? fallback);
    if (options.noStore.some((prefix) => c.req.path.startsWith(prefix))) h.set('cache-control', 'no-store');
  };
}
