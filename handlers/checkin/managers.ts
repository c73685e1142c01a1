// Who runs a branch's meetings: its 书记, 副书记 and 支委委员 (or an admin) start, end, cancel and remind.

import { type Output, say } from '../../cards/message';
import { orgById } from '../../storage/orgs';
import { hasRole } from '../../storage/people';
import type { Role } from '../../storage/schema';
import type { Context } from '../feature';
import { anyOf, refuseUnlessRole } from '../rights';

export const MANAGERS: Role[] = ['书记', '副书记', '支委委员', '管理员'];

/** Start, end and remind belong to the branch's 书记/支委委员, or to an admin. */
export async function refuseUnlessManager(ctx: Context, orgId: string, what: string): Promise<Output[] | null> {
  const refusal = await refuseUnlessRole(ctx, MANAGERS, what);
  if (refusal) return refusal;
  if (!hasRole(ctx.member, '管理员') && ctx.member?.orgId !== orgId) {
    const org = await orgById(ctx.db, orgId);
    return say(`${what}仅限“${org?.name ?? '本支部'}”的${anyOf(MANAGERS.filter((r) => r !== '管理员'))}使用。`);
  }
  return null;
}
