// Who opened a web page from a link sent over WeCom: OAuth snsapi_base, a redirect that comes back
// with a code only WeCom can tell the member of.
import type { PageSignIn } from '../core/platform';

export function wecomSignIn(api: {
  oauthUrl(redirect: string, state: string): string;
  userIdByCode(code: string): Promise<string | null>;
}): PageSignIn {
  return { begin: (page) => ({ redirect: api.oauthUrl(page, 'zhibu') }), userId: (code) => api.userIdByCode(code) };
}
