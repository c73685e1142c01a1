// Who runs a branch's meetings: its 书记, 副书记 and 支委委员 (or an admin) start, end, cancel and
// remind; a 党小组长 does the same for their own 党小组's 党小组会, the meeting they hold.

import { type Output, say } from '../../cards/message';
import type { Meeting } from '../../storage/meetings';
import { orgById } from '../../storage/orgs';
import { hasRole } from '../../storage/people';
import type { Role } from '../../storage/schema';
import type { Context } from '../feature';
import { anyOf, refuseUnlessRole } from '../rights';

export const MANAGERS: Role[] = ['书记', '副书记', '支委委员', '管理员'];
/** Who may run some check-in: the managers, and a 党小组长 (their own group's 党小组会 only). */
export const RUNNERS: Role[] = ['书记', '副书记', '支委委员', '党小组长', '管理员'];
const COMMITTEE = MANAGERS.filter((r) => r !== '管理员');
/** How a 党小组长 starts their group's meeting in one line: the group is theirs. */
export const LEADER_EXAMPLE = '签到 党小组会 学习党章 30分钟';

/** What only the branch's 支委 (or an admin) may do: 导出会议记录, and every meeting but a 党小组长's own. */
export async function refuseUnlessManager(ctx: Context, orgId: string, what: string): Promise<Output[] | null> {
  const refusal = await refuseUnlessRole(ctx, MANAGERS, what);
  if (refusal) return refusal;
  return refuseOutsider(ctx, orgId, what, COMMITTEE);
}

/** A role-holder of another branch (an admin is of every branch). */
async function refuseOutsider(
  ctx: Context,
  orgId: string,
  what: string,
  roles: readonly Role[],
): Promise<Output[] | null> {
  if (hasRole(ctx.member, '管理员') || ctx.member?.orgId === orgId) return null;
  const org = await orgById(ctx.db, orgId);
  return say(`${what}仅限“${org?.name ?? '本支部'}”的${anyOf(roles)}使用。`);
}

/**
 * What a meeting is, as far as who may run it goes. `type` undefined: not said yet (checked again
 * once it is); `partyGroup` undefined: the sender's own.
 */
export type Held = Pick<Meeting, 'orgId'> & Partial<Pick<Meeting, 'type' | 'partyGroup'>>;

/** The managers' refusal, except that a branch's 党小组长 runs their own 党小组's 党小组会. */
export async function refuseUnlessRunner(ctx: Context, meeting: Held, what: string): Promise<Output[] | null> {
  // The same words as the command's own role check, whichever way (message or button) it came.
  const refusal =
    (await refuseUnlessRole(ctx, RUNNERS, what)) ??
    (await refuseOutsider(
      ctx,
      meeting.orgId,
      what,
      RUNNERS.filter((r) => r !== '管理员'),
    ));
  if (refusal || hasRole(ctx.member, ...MANAGERS)) return refusal;
  const own = ctx.member?.partyGroup;
  if (!own) return refuseUnlessManager(ctx, meeting.orgId, what);
  const { type, partyGroup } = meeting;
  if (type === undefined || (type === '党小组会' && (partyGroup === undefined || partyGroup === own))) return null;
  const whose =
    type === '党小组会'
      ? `${partyGroup ?? '全支部'}的党小组会由${partyGroup ? `${partyGroup}的党小组长或` : ''}${anyOf(COMMITTEE)}负责`
      : `${type}的签到由${anyOf(COMMITTEE)}负责`;
  return say(`${whose}。${leaderCan(own)}`);
}

/** What a 党小组长 may do with check-in, in the words help and refusals use. */
function leaderCan(group: string): string {
  return `您是${group}的党小组长，可以发起、结束或取消${group}党小组会的签到，例如：${LEADER_EXAMPLE}`;
}

/** The 党小组 the sender leads in this organisation, when they run meetings only as its 党小组长. */
export function leadGroupIn(ctx: Pick<Context, 'member'>, orgId: string): string | null {
  const m = ctx.member;
  if (!m || hasRole(m, ...MANAGERS) || !hasRole(m, '党小组长') || m.orgId !== orgId) return null;
  return m.partyGroup;
}
