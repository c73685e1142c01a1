// Who a meeting expects (应到) and who the person tapping is to it: the expected ones by the
// meeting's type, from the branch's roster; anyone else who checks in sits in (列席).

import type { Meeting } from '../../storage/meetings';
import { attendanceOf } from '../../storage/meetings';
import { hasRole, type Member, membersOfOrg } from '../../storage/people';
import type { MeetingType, Role } from '../../storage/schema';
import type { Context } from '../feature';
import type { Roll } from './view';

const PARTY: Role[] = ['党员', '书记', '副书记', '支委委员'];
const COMMITTEE: Role[] = ['书记', '副书记', '支委委员'];

/**
 * 应到 of a type, in words: a 支委会 expects the branch's 支委; the roster has no 党小组, so a
 * 党小组会 counts the whole branch (and says so); every other meeting expects every party member.
 */
export const EXPECTED: Record<MeetingType, { roles: Role[]; words: string }> = {
  支部党员大会: { roles: PARTY, words: '全体党员' },
  支委会: { roles: COMMITTEE, words: '支委（书记、副书记、支委委员）' },
  党小组会: { roles: PARTY, words: '全体党员（名册未分党小组）' },
  党课: { roles: PARTY, words: '全体党员' },
  主题党日: { roles: PARTY, words: '全体党员' },
  其他: { roles: PARTY, words: '全体党员' },
};

export async function rollOf(ctx: Pick<Context, 'db'>, meeting: Meeting): Promise<Roll> {
  const expected = (await membersOfOrg(ctx.db, meeting.orgId)).filter((m) =>
    hasRole(m, ...EXPECTED[meeting.type].roles),
  );
  return { expected, records: await attendanceOf(ctx.db, meeting.id) };
}

/** The person tapping, as the meeting sees them: one it expects, or a guest (列席) by name. */
export function attendee(ctx: Context, roll: Roll): { who: string; name: string; guest: boolean } {
  const m: Member | null = ctx.member;
  const guest = !roll.expected.some((e) => e.id === m?.id);
  return { who: m ? m.id : `guest:${ctx.platform}:${ctx.sender}`, name: ctx.senderName, guest };
}
