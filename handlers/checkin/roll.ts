// Who a meeting expects (应到) and who the person tapping is to it: the expected ones by the
// meeting's type, from the branch's roster (a 党小组会's, from its 党小组); anyone else who checks
// in sits in (列席).

import type { Meeting } from '../../storage/meetings';
import { attendanceOf } from '../../storage/meetings';
import { hasRole, type Member, membersOfOrg } from '../../storage/people';
import { type MeetingType, PARTY_ROLES, type Role } from '../../storage/schema';
import { HAN_NUMBER, numberIn } from '../chinese-number';
import type { Context } from '../feature';
import type { Roll } from './view';

const COMMITTEE: Role[] = ['书记', '副书记', '支委委员'];

/**
 * 应到 of a type, in words: a 支委会 expects the branch's 支委; every other meeting expects every
 * party member. A 党小组会 is its 党小组's (`expects`); in a branch whose roster names no 党小组 it
 * counts the whole branch, and says so.
 */
export const EXPECTED: Record<MeetingType, { roles: readonly Role[]; words: string }> = {
  支部党员大会: { roles: PARTY_ROLES, words: '全体党员' },
  支委会: { roles: COMMITTEE, words: '支委（书记、副书记、支委委员）' },
  党小组会: { roles: PARTY_ROLES, words: '全体党员（名册未分党小组）' },
  党课: { roles: PARTY_ROLES, words: '全体党员' },
  主题党日: { roles: PARTY_ROLES, words: '全体党员' },
  其他: { roles: PARTY_ROLES, words: '全体党员' },
};

const ORDINAL = new RegExp(`\\d+|${HAN_NUMBER}`);

type Expecting = Pick<Meeting, 'type' | 'partyGroup'>;

/** Whether the meeting expects this member of its organisation: by role, and in a 党小组's meeting, by group. */
export function expects(meeting: Expecting, member: Pick<Member, 'roles' | 'partyGroup'>): boolean {
  const ofGroup = meeting.partyGroup === null || member.partyGroup === meeting.partyGroup;
  return ofGroup && hasRole(member, ...EXPECTED[meeting.type].roles);
}

/** 应到 in words, as the card says it. */
export function expectedWords(meeting: Expecting): string {
  return meeting.partyGroup ? `${meeting.partyGroup}全体党员` : EXPECTED[meeting.type].words;
}

/** The 党小组 a branch's roster names, 第一 before 第二 (none: the branch is not divided). */
export function partyGroupsOf(members: readonly Pick<Member, 'partyGroup'>[]): string[] {
  const groups = [...new Set(members.flatMap((m) => (m.partyGroup ? [m.partyGroup] : [])))];
  const rank = (g: string) => {
    const n = g.match(ORDINAL)?.[0];
    return (n === undefined ? null : numberIn(n)) ?? Number.POSITIVE_INFINITY;
  };
  return groups.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'zh'));
}

export async function rollOf(ctx: Pick<Context, 'db'>, meeting: Meeting): Promise<Roll> {
  const expected = (await membersOfOrg(ctx.db, meeting.orgId)).filter((m) => expects(meeting, m));
  return { expected, records: await attendanceOf(ctx.db, meeting.id) };
}

/** The person tapping, as the meeting sees them: one it expects, or a guest (列席) by name. */
export function attendee(ctx: Context, roll: Roll): { who: string; name: string; guest: boolean } {
  const m: Member | null = ctx.member;
  const guest = !roll.expected.some((e) => e.id === m?.id);
  return { who: m ? m.id : `guest:${ctx.platform}:${ctx.sender}`, name: ctx.senderName, guest };
}
