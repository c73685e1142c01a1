// 管理后台: the way into the 台账 console from the chat, without passwords. An admin, a 书记 or a
// 班子成员 asks one to one and gets a short-lived link signed for their account on this platform;
// opening it (after the platform's sign-in, where it has one) starts the console session.

import { say } from '../cards/message';
import type { Role } from '../storage/schema';
import type { Feature } from './feature';
import { type LinkSigner, signedLink } from './links';

/** Where the link lands; the console lives under /admin. */
export const CONSOLE_ENTER_PATH = '/admin/enter';
/** How long a link works: long enough to open it, short enough that a forwarded one soon dies. */
export const CONSOLE_LINK_TTL_MS = 10 * 60_000;
/** Who may open the console (what each sees: bot/core/rights.ts#scopeOf). */
export const CONSOLE_ROLES: readonly Role[] = ['管理员', '书记', '班子成员'];

export function consoleFeature(links?: LinkSigner): Feature {
  return {
    name: 'console',
    commands: [
      {
        name: '管理后台',
        usage: '管理后台',
        summary: '获取台账管理后台的登录链接（管理员、书记、班子成员）',
        match: /^(?:管理后台|台账后台|后台)$/,
        roles: CONSOLE_ROLES,
        chat: 'direct',
        run: async (ctx) => {
          if (!links) return say('管理后台尚未启用：需要先配置机器人的公网地址（ZHIBU_PUBLIC_URL）。');
          const now = ctx.now.getTime();
          const url = await signedLink(
            links,
            CONSOLE_ENTER_PATH,
            { p: ctx.platform, u: ctx.sender },
            now + CONSOLE_LINK_TTL_MS,
          );
          await ctx.audit('console.link', ctx.member?.id ?? ctx.sender, { platform: ctx.platform });
          return say(`管理后台（10 分钟内打开有效，仅限本人使用，登录后 8 小时内免登录）：${url}`);
        },
      },
    ],
  };
}
