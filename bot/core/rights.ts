// Who may do what. Role-bound commands and clicks are refused with a message that says why
// and, for people outside the roster, whom to ask.
import { hasRole, membersWithRole } from '../../storage/people';
import type { Role } from '../../storage/schema';
import type { Context } from './feature';
import type { Output } from './model';

/** 书记、支委委员或管理员 */
export function anyOf(roles: readonly string[]): string {
  return roles.length > 1 ? `${roles.slice(0, -1).join('、')}或${roles.at(-1)}` : (roles[0] ?? '');
}

/**
 * null when the sender holds one of the roles; otherwise the polite refusal to send instead.
 * `what` is what is refused, as the subject of a sentence: “提醒未签到”, 发起签到.
 */
export async function refuseUnlessRole(ctx: Context, roles: readonly Role[], what: string): Promise<Output[] | null> {
  if (ctx.member && hasRole(ctx.member, ...roles)) return null;
  if (!ctx.member) {
    const admins = (await membersWithRole(ctx.db, '管理员')).map((m) => m.name);
    const ask = admins.length > 0 ? `管理员（${admins.slice(0, 3).join('、')}）` : '本单位党组织管理员';
    return [
      {
        type: 'text',
        text: `您还不在党组织名册中，${what}需要${anyOf(roles)}身份。请联系${ask}把您加入名册。政策问答和帮助不受影响，可以直接使用。`,
      },
    ];
  }
  return [
    {
      type: 'text',
      text: `${what}仅限${anyOf(roles)}使用。您在名册中的身份是：${ctx.member.roles.join('、')}。`,
    },
  ];
}
