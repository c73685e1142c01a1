// What a meeting looks like: the check-in card with its live line, the list of who is missing,
// and the summary that becomes the meeting's record.
import type { Card } from '../../cards/model';
import type { Attendance, Meeting } from '../../storage/meetings';
import type { Member } from '../../storage/people';
import { expectedWords } from './roll';
import { clock, dayAndClock } from './time';

export interface Roll {
  expected: Member[];
  records: Attendance[];
}

export function rollStats(roll: Roll) {
  const byWho = new Map(roll.records.map((r) => [r.who, r]));
  const members = roll.expected.map((m) => ({ member: m, record: byWho.get(m.id) }));
  const present = members.filter((m) => m.record?.status === 'in');
  const leave = members.filter((m) => m.record?.status === 'leave');
  const missing = members.filter((m) => !m.record);
  // Anyone the meeting does not expect sits in: a teacher outside the roster, a member of another
  // branch, a party member at a 支委会.
  const expected = new Set(roll.expected.map((m) => m.id));
  const guests = roll.records.filter((r) => !expected.has(r.who) && r.status === 'in');
  return { members, present, leave, missing, guests };
}

/** The meeting's type as the record names it: a 党小组会 with its 党小组. */
export function meetingName(meeting: Pick<Meeting, 'type' | 'partyGroup'>): string {
  return meeting.partyGroup ? `${meeting.type}（${meeting.partyGroup}）` : meeting.type;
}

export function liveLine(roll: Roll): string {
  const s = rollStats(roll);
  const guests = s.guests.length > 0 ? ` · 列席 ${s.guests.length}` : '';
  return `应到 ${s.members.length} · 已签到 ${s.present.length} · 请假 ${s.leave.length} · 未签到 ${s.missing.length}${guests}`;
}

export function checkinCard(meeting: Meeting, roll: Roll, now: number): Card & { id: string } {
  const closed = meeting.closedAt !== null || now >= meeting.endsAt;
  const fields = [
    { label: '会议', value: meetingName(meeting) },
    { label: '主题', value: meeting.topic },
    { label: '开始', value: dayAndClock(meeting.startsAt) },
    { label: '截止', value: clock(meeting.endsAt) },
    { label: '应到', value: expectedWords(meeting) },
  ];
  return {
    id: meeting.cardId ?? '',
    title: `${meeting.type} · 签到${closed ? '（已结束）' : ''}`,
    fields,
    ...(closed
      ? {}
      : {
          buttons: [
            { action: `checkin.in:${meeting.id}`, label: '签到', style: 'primary' as const },
            { action: `checkin.leave:${meeting.id}`, label: '请假' },
            { action: `checkin.missing:${meeting.id}`, label: '未签到名单' },
            { action: `checkin.remind:${meeting.id}`, label: '提醒未签到' },
            { action: `checkin.end:${meeting.id}`, label: '结束签到', style: 'danger' as const },
          ],
        }),
    status: closed ? `签到已结束 · ${liveLine(roll)}` : liveLine(roll),
  };
}

export function missingText(meeting: Meeting, roll: Roll): string {
  const s = rollStats(roll);
  if (s.missing.length === 0) return `“${meeting.topic}”：应到的人都已签到或请假。`;
  return `“${meeting.topic}”还有 ${s.missing.length} 人未签到：${s.missing.map((m) => m.member.name).join('、')}`;
}

const pct = (n: number, d: number) => (d === 0 ? '—' : `${Math.round((100 * n) / d)}%`);

export function summaryText(meeting: Meeting, roll: Roll): string {
  const s = rollStats(roll);
  const lateAfter = meeting.startsAt + meeting.lateAfterMin * 60_000;
  const late = s.present.filter((p) => (p.record?.at ?? 0) > lateAfter);
  const names = (xs: { member: Member }[]) => (xs.length ? xs.map((x) => x.member.name).join('、') : '无');
  return [
    `【签到结束】${meetingName(meeting)} · ${meeting.topic}`,
    `时间：${dayAndClock(meeting.startsAt)}—${clock(meeting.closedAt ?? meeting.endsAt)}`,
    `应到 ${s.members.length} 人，实到 ${s.present.length} 人，请假 ${s.leave.length} 人，缺席 ${s.missing.length} 人，到会率 ${pct(s.present.length, s.members.length)}`,
    `请假：${s.leave.length ? s.leave.map((l) => `${l.member.name}（${l.record?.reason || '未说明'}）`).join('、') : '无'}`,
    `缺席：${names(s.missing)}`,
    `迟到（开始 ${meeting.lateAfterMin} 分钟后签到）：${late.length ? late.map((l) => `${l.member.name}（${clock(l.record?.at ?? 0)}）`).join('、') : '无'}`,
    ...(s.guests.length ? [`列席：${s.guests.map((g) => g.name).join('、')}`] : []),
  ].join('\n');
}
