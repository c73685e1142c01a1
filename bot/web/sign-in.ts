// Who opened a page behind a signed link, where the platform can tell: WeCom OAuth snsapi_base and
// DingTalk H5 免登. A forwarded link opens nothing; the proof is remembered in a cookie by the caller.
// Used by the self-check form page and the 台账 console alike.
import type { Context } from 'hono';
import type { Platform } from '../../storage/schema';

/**
 * A platform's H5 sign-in: how the browser gets a code back to the page (WeCom: a redirect through
 * OAuth; DingTalk: a page whose JSAPI asks the client for a 免登 code), and whose code it is.
 */
export interface PageSignIn {
  begin(page: string): { redirect: string } | { html: string };
  userId(code: string): Promise<string | null>;
}

/** WeCom OAuth snsapi_base: the redirect that comes back with `code`. */
export function wecomSignIn(api: {
  oauthUrl(r: string, s: string): string;
  userIdByCode(c: string): Promise<string | null>;
}): PageSignIn {
  return { begin: (page) => ({ redirect: api.oauthUrl(page, 'zhibu') }), userId: (code) => api.userIdByCode(code) };
}

/** DingTalk H5 免登: a page that asks the DingTalk client for a code and comes back with it. */
export function dingtalkSignIn(
  corpId: string,
  api: { userIdByAuthCode(c: string): Promise<string | null> },
): PageSignIn {
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>正在确认身份…</title>
<script src="https://g.alicdn.com/dingding/dingtalk-jsapi/3.0.25/dingtalk.open.js"></script></head>
<body><p id="m">正在确认身份…</p><script>
dd.ready(function(){dd.runtime.permission.requestAuthCode({corpId:${JSON.stringify(corpId)},
onSuccess:function(r){var u=new URL(location.href);u.searchParams.set('code',r.code);location.replace(u.toString());},
onFail:function(){document.getElementById('m').textContent='请在钉钉里打开这个链接。';}});});
</script></body></html>`;
  return { begin: () => ({ html }), userId: (code) => api.userIdByAuthCode(code) };
}

/** The sign-ins of the channels configured: WeCom when its app is, DingTalk when its CorpId is known. */
export function pageSignIns(ch: {
  wecom?: Parameters<typeof wecomSignIn>[0] | undefined;
  dingtalk?: { corpId: string; api: Parameters<typeof dingtalkSignIn>[1] } | undefined;
}): Partial<Record<Platform, PageSignIn>> {
  return {
    ...(ch.wecom ? { wecom: wecomSignIn(ch.wecom) } : {}),
    ...(ch.dingtalk ? { dingtalk: dingtalkSignIn(ch.dingtalk.corpId, ch.dingtalk.api) } : {}),
  };
}

/** The sign-in pages served (DingTalk's JSAPI page), as written: what the security headers allow. */
export function signInTemplates(signIn?: Partial<Record<Platform, PageSignIn>>): string[] {
  return Object.values(signIn ?? {}).flatMap((s) => {
    const start = s.begin('');
    return 'html' in start ? [start.html] : [];
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
