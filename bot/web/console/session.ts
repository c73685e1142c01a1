// Console sessions without a session table (so Workers need nothing more than D1 as it is): the
// cookie names the member, the platform and the end, and an HMAC over them proves the bot issued
// it. It is set only after a signed 管理后台 link was opened (and, where the platform can tell, by
// the person it was sent to); every request then looks the member up again, so a removed role ends
// the session at once. Every post carries a token derived from the cookie (CSRF).

import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { PlatformId } from '../../../cards/message';
import { CONSOLE_ROLES } from '../../../handlers/console';
import { hmac, sameText } from '../../../handlers/links';
import { type Scope, scopeOf } from '../../../handlers/rights';
import { allOrgs } from '../../../storage/orgs';
import { hasRole, type Member, memberById } from '../../../storage/people';
import type { Assistant } from '../../core/assistant';

export const SESSION_COOKIE = 'zhibu_admin';
export const SESSION_MS = 8 * 3600_000;

export interface Viewer {
  member: Member;
  platform: PlatformId;
  admin: boolean;
  scope: Scope;
  csrf: string;
}

const sign = (secret: string, body: string) => hmac(secret, `console-session:${body}`);

/** Starts a session for the member: the cookie, HttpOnly, SameSite, Secure on https, for 8 hours. */
export async function startSession(
  c: Context,
  secret: string,
  memberId: string,
  platform: PlatformId,
  now: number,
  secure: boolean,
) {
  const body = `${memberId}.${platform}.${now + SESSION_MS}`;
  setCookie(c, SESSION_COOKIE, `${body}.${await sign(secret, body)}`, {
    path: '/admin',
    httpOnly: true,
    sameSite: 'Lax',
    secure: secure || isHttps(c),
    maxAge: SESSION_MS / 1000,
  });
}

/** Whether the browser reached us over https (directly, or through a proxy that says so). */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

/** The signed-in viewer, or null: no cookie, a forged or expired one, or a member who lost the role. */
export async function viewerOf(
  c: Context,
  bot: Assistant,
  secret: string,
  platforms: readonly PlatformId[],
): Promise<Viewer | null> {
  const token = getCookie(c, SESSION_COOKIE) ?? '';
  const [memberId, platform, exp, sig] = token.split('.');
  if (!memberId || !platform || !exp || !sig) return null;
  if (!sameText(sig, await sign(secret, `${memberId}.${platform}.${exp}`))) return null;
  if (Number(exp) < bot.now().getTime() || !platforms.includes(platform)) return null;
  const member = await memberById(bot.db, memberId);
  if (!member || !hasRole(member, ...CONSOLE_ROLES)) return null;
  return {
    member,
    platform,
    admin: hasRole(member, '管理员'),
    scope: scopeOf(member, await allOrgs(bot.db)),
    csrf: (await hmac(secret, `console-csrf:${token}`)).slice(0, 32),
  };
}

/** What every console route reads from the request: who is signed in. */
export type ConsoleEnv = { Variables: { viewer: Viewer } };
