// Who opened a page behind a signed link, where the platform can tell (each platform's channel
// brings its PageSignIn: WeCom OAuth, DingTalk 免登). A forwarded link opens nothing; the proof is
// remembered in a cookie by the caller. Used by the self-check form page and the 台账 console alike.
import type { Context } from 'hono';
import type { PlatformId } from '../../cards/message';
import type { PageSignIn } from '../core/platform';

/** The sign-in pages served (DingTalk's JSAPI page), as written: what the security headers allow. */
export function signInTemplates(signIn?: Partial<Record<PlatformId, PageSignIn>>): string[] {
  return Object.values(signIn ?? {}).flatMap((s) => {
    const start = s?.begin('');
    return start && 'html' in start ? [start.html] : [];
  });
}

/**
 * One step of the sign-in for the link `clean` (the signed link without `code`/`state`) meant for
 * `user`: the response to send (the platform's redirect or JSAPI page, or a 403 naming `otherwise`
 * when someone else opened it), or `{ ok: true }` once the platform's code says the opener is `user`.
 */
export async function signInStep(
  c: Context,
  signIn: PageSignIn,
  clean: string,
  user: string,
  otherwise: string,
): Promise<Response | { ok: true }> {
  const code = c.req.query('code');
  if (!code) {
    const start = signIn.begin(clean);
    return 'redirect' in start ? c.redirect(start.redirect) : c.html(start.html);
  }
  const who = await signIn.userId(code);
  if (who?.toLowerCase() !== user.toLowerCase()) return c.text(otherwise, 403);
  return { ok: true };
}

/** The link without what the sign-in added to it (the signature covers the rest). */
export function linkUrl(url: string): URL {
  const u = new URL(url);
  u.searchParams.delete('code');
  u.searchParams.delete('state');
  return u;
}
