// Who may do what. Role-bound commands and clicks are refused with a message that says why
// and, for people outside the roster, whom to ask.

import type { Output } from '../cards/message';
import { isNamed, type Org } from '../storage/orgs';
import { hasRole, type Member, membersWithRole } from '../storage/people';
import type { Role } from '../storage/schema';
import type { Context } from './feature';

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

/** The organisations a member answers for, as the chat's 情况 commands and the 台账 console show them. */
export interface Scope {
  /** An admin: the whole tree. */
  all: boolean;
  orgIds: ReadonlySet<string>;
}

/**
 * What a member sees: an admin the whole tree; a 书记 their own organisation and those under it;
 * a 班子成员 the organisations their 联系点 name. Someone who is both sees both.
 */
export function scopeOf(member: Pick<Member, 'roles' | 'orgId' | 'contacts'>, orgs: readonly Org[]): Scope {
  if (hasRole(member, '管理员')) return { all: true, orgIds: new Set(orgs.map((o) => o.id)) };
  const ids = new Set<string>();
  const own = orgs.find((o) => o.id === member.orgId);
  if (own && hasRole(member, '书记'))
    for (const o of orgs) if (o.id === own.id || o.path.startsWith(`${own.path}/`)) ids.add(o.id);
  if (hasRole(member, '班子成员')) for (const o of orgs) if (member.contacts.some((c) => isNamed(o, c))) ids.add(o.id);
  return { all: false, orgIds: ids };
}
