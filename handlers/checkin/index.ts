// Meeting check-in in a branch's group (三会一课, 主题党日): a 书记 or 支委委员 (a 党小组长: their
// group's 党小组会) starts it, members tap 签到 or 请假, the card shows who is in, the starter (or
// the deadline) closes it, and the meeting is kept as the branch's record.

import { type Output, say } from '../../cards/message';
import {
  cancelMeeting,
  closeMeeting,
  type Meeting,
  mark,
  meetingById,
  meetingsOf,
  openMeetingIn,
} from '../../storage/meetings';
import { MEETING_TYPES } from '../../storage/schema';
import type { Context, Feature } from '../feature';
import { type LinkSigner, signedLink } from '../links';
import { MANAGERS, RUNNERS, refuseUnlessManager, refuseUnlessRunner } from './managers';
import { attendee, expectedWords, rollOf } from './roll';
import { alreadyOpen, DEFAULT_MINUTES, EXAMPLE, formFor, start, startFromText } from './start';
import { dayAndClock } from './time';
import { checkinCard, meetingName, missingText, type Roll, rollStats, summaryText } from './view';

export { rollOf };

async function openFor(ctx: Context, id: string | undefined): Promise<Meeting | Output[]> {
  const meeting = id ? await meetingById(ctx.db, id) : undefined;
  if (!meeting) return say('找不到这次签到，请重新发起。');
  if (meeting.closedAt !== null || ctx.now.getTime() >= meeting.endsAt) {
    return [
      {
        type: 'card-update',
        card: checkinCard(
          { ...meeting, closedAt: meeting.closedAt ?? meeting.endsAt },
          await rollOf(ctx, meeting),
          ctx.now.getTime(),
        ),
      },
      ...say('签到已结束。'),
    ];
  }
  return meeting;
}

async function checkIn(ctx: Context, meeting: Meeting): Promise<Output[]> {
  const now = ctx.now.getTime();
  const a = attendee(ctx, await rollOf(ctx, meeting));
  const result = await mark(ctx.db, { meetingId: meeting.id, ...a, status: 'in', reason: null, at: now });
  const roll = await rollOf(ctx, meeting);
  const note = {
    recorded: `${a.name}已签到${a.guest ? '（列席）' : ''}。`,
    changed: `${a.name}已由请假改为签到。`,
    unchanged: `${a.name}已经签到或请过假了，无需重复。`,
  }[result];
  return [{ type: 'card-update', card: checkinCard(meeting, roll, now) }, ...say(note)];
}

async function leave(ctx: Context, meeting: Meeting, reason: string): Promise<Output[]> {
  const now = ctx.now.getTime();
  const a = attendee(ctx, await rollOf(ctx, meeting));
  if (a.guest)
    return say(`${a.name}不在这次${meetingName(meeting)}的应到名单中（应到：${expectedWords(meeting)}），无需请假。`);
  const result = await mark(ctx.db, { meetingId: meeting.id, ...a, status: 'leave', reason, at: now });
  const roll = await rollOf(ctx, meeting);
  const note = result === 'recorded' ? `${a.name}已请假：${reason}` : `${a.name}已经签到或请过假了，无需重复。`;
  return [{ type: 'card-update', card: checkinCard(meeting, roll, now) }, ...say(note)];
}

async function end(ctx: Context, meeting: Meeting): Promise<Output[]> {
  const refusal = await refuseUnlessRunner(ctx, meeting, '“结束签到”');
  if (refusal) return refusal;
  const now = ctx.now.getTime();
  if (!(await closeMeeting(ctx.db, meeting.id, ctx.member?.id ?? ctx.sender, now))) return say('签到已结束。');
  await ctx.audit('meeting.end', meeting.id);
  return closedOutputs({ ...meeting, closedAt: now }, await rollOf(ctx, meeting), now);
}

export function closedOutputs(meeting: Meeting, roll: Roll, now: number): Output[] {
  return [{ type: 'card-update', card: checkinCard(meeting, roll, now) }, ...say(summaryText(meeting, roll))];
}

async function remind(ctx: Context, meeting: Meeting): Promise<Output[]> {
  const refusal = await refuseUnlessRunner(ctx, meeting, '“提醒未签到”');
  if (refusal) return refusal;
  const all = rollStats(await rollOf(ctx, meeting)).missing.map((m) => m.member);
  // The one asking is in the room: never @ them, but tell them if they have not checked in.
  const missing = all.filter((m) => m.id !== ctx.member?.id);
  const self = missing.length < all.length ? '（您本人也还没有签到，别忘了点“签到”。）' : '';
  if (missing.length === 0) return say(`应到的其他人都已签到或请假。${self}`);
  const mentions = await ctx.mentionsOf(missing.map((m) => m.id));
  return say(`请以下同志尽快签到：${missing.map((m) => `@${m.name}`).join(' ')}${self}`, mentions);
}

/** Cancels a check-in started by mistake; once people have answered it, only after a confirmation. */
async function cancel(ctx: Context, meeting: Meeting, confirmed: boolean): Promise<Output[]> {
  const refusal = await refuseUnlessRunner(ctx, meeting, '“取消签到”');
  if (refusal) return refusal;
  const answered = (await rollOf(ctx, meeting)).records.length;
  if (answered > 0 && !confirmed) {
    return [
      {
        type: 'card',
        card: {
          title: `取消签到 · ${meeting.topic}`,
          body: `已有 ${answered} 人签到或请假。取消后这次${meeting.type}不计入会议记录和台账，这些签到和请假一并作废。`,
          buttons: [{ action: `checkin.cancel:${meeting.id}`, label: '确定取消', style: 'danger' }],
        },
      },
    ];
  }
  if (!(await cancelMeeting(ctx.db, meeting.id))) return say('签到已结束，不能再取消。');
  await ctx.audit('meeting.cancel', meeting.id, {
    type: meeting.type,
    topic: meeting.topic,
    startsAt: meeting.startsAt,
    answered,
  });
  const card = meeting.cardId
    ? [
        {
          type: 'card-update' as const,
          card: {
            ...checkinCard(meeting, { expected: [], records: [] }, ctx.now.getTime()),
            title: `${meeting.type} · 签到（已取消）`,
            buttons: [],
            status: '签到已取消',
          },
        },
      ]
    : [];
  return [...card, ...say(`已取消${meeting.type}“${meeting.topic}”的签到，不计入会议记录。需要时请重新发起。`)];
}

async function inThisGroup(ctx: Context): Promise<Meeting | Output[]> {
  const open = await openMeetingIn(ctx.db, ctx.platform, ctx.chat.id);
  return open ?? say('本群现在没有进行中的签到。');
}

/** A command of whoever runs the group's open check-in (支委; a 党小组长 their group's): one word, as `name`. */
function onOpenMeeting(
  name: string,
  summary: string,
  act: (ctx: Context, meeting: Meeting) => Promise<Output[]>,
): Feature['commands'][number] {
  return {
    name,
    usage: name,
    summary,
    match: new RegExp(`^${name}$`),
    chat: 'group',
    roles: RUNNERS,
    run: async (ctx) => {
      const meeting = await inThisGroup(ctx);
      return Array.isArray(meeting) ? meeting : act(ctx, meeting);
    },
  };
}

/** What a 党小组长 runs, as the commands' summaries say it. */
const LEADERS_OWN = '党小组长：本党小组的党小组会';

export interface CheckinOptions {
  /** Signs download links for 导出会议记录 (needs a public URL). */
  links?: LinkSigner;
}

export const LINK_TTL_MS = 15 * 60_000;

export function checkinFeature(opts: CheckinOptions = {}): Feature {
  return { ...checkin, commands: [...checkin.commands, exportCommand(opts)] };
}

function exportCommand(opts: CheckinOptions): Feature['commands'][number] {
  return {
    name: '导出会议记录',
    usage: '导出会议记录 90天',
    summary: '得到本支部会议台账（Excel）的下载链接，15 分钟内有效（书记、支委委员）',
    match: /^导出会议记录(?:\s*(\d{1,4})\s*天)?$/,
    roles: MANAGERS,
    run: async (ctx, m) => {
      const orgId = ctx.chat.orgId ?? ctx.member?.orgId;
      if (!orgId) return say('请在绑定了支部的群里使用。');
      const refusal = await refuseUnlessManager(ctx, orgId, '“导出会议记录”');
      if (refusal) return refusal;
      if (!opts.links)
        return say('还没有配置对外地址（ZHIBU_PUBLIC_URL），请管理员在服务器上用 npm run export -- meetings 导出。');
      const days = Number(m[1] ?? 90);
      const now = ctx.now.getTime();
      const link = await signedLink(
        opts.links,
        MEETINGS_FILE_PATH,
        { org: orgId, from: String(now - days * 24 * 3600_000), to: String(now) },
        now + LINK_TTL_MS,
      );
      return say(`本支部近 ${days} 天的会议台账（Excel），15 分钟内有效：\n${link}`);
    },
  };
}

/** Where the server hands out a meeting record workbook for a signed link. */
export const MEETINGS_FILE_PATH = '/files/meetings.xlsx';

const checkin: Feature = {
  name: 'checkin',
  commands: [
    {
      name: '发起签到',
      usage: '发起签到',
      summary: `在支部群里发起会议签到（书记、支委委员；${LEADERS_OWN}）`,
      match: /^发起签到$/,
      chat: 'group',
      roles: RUNNERS,
      run: async (ctx) => {
        if (!ctx.chat.orgId) return say('本群还没有绑定支部。请书记先发送“绑定 支部名称”，再发起签到。');
        const open = await openMeetingIn(ctx.db, ctx.platform, ctx.chat.id);
        return open ? alreadyOpen(open) : [{ type: 'card', card: await formFor(ctx, ctx.chat.orgId) }];
      },
    },
    {
      name: '签到',
      usage: EXAMPLE,
      summary: '一句话发起签到；进行中时单独发“签到”就是签到',
      match: /^签到(?:\s+(.+))?$/,
      chat: 'group',
      run: async (ctx, m) => {
        if (m[1]) return startFromText(ctx, m[1]);
        const meeting = await inThisGroup(ctx);
        return Array.isArray(meeting) ? meeting : checkIn(ctx, meeting);
      },
    },
    onOpenMeeting('取消签到', `取消误发起的签到，不计入会议记录（书记、支委委员；${LEADERS_OWN}）`, (ctx, m) =>
      cancel(ctx, m, false),
    ),
    {
      name: '请假',
      usage: '请假 原因',
      summary: '进行中的签到请假（也可以点卡片上的“请假”）',
      match: /^请假(?:\s+(.+))?$/,
      chat: 'group',
      run: async (ctx, m) => {
        const meeting = await inThisGroup(ctx);
        if (Array.isArray(meeting)) return meeting;
        if (!m[1]?.trim()) return say('请写上请假原因，例如：请假 外出培训');
        return leave(ctx, meeting, m[1].trim().slice(0, 50));
      },
    },
    {
      name: '未签到',
      usage: '未签到',
      summary: '看看谁还没签到',
      match: /^未签到$/,
      chat: 'group',
      run: async (ctx) => {
        const meeting = await inThisGroup(ctx);
        return Array.isArray(meeting) ? meeting : say(missingText(meeting, await rollOf(ctx, meeting)));
      },
    },
    onOpenMeeting('提醒未签到', `@ 还没签到的人（书记、支委委员；${LEADERS_OWN}）`, remind),
    onOpenMeeting('结束签到', `结束签到并发出到会情况（书记、支委委员；${LEADERS_OWN}）`, end),
    {
      name: '会议记录',
      usage: '会议记录',
      summary: '本支部最近的会议和到会情况',
      match: /^会议记录$/,
      run: async (ctx) => {
        const orgId = ctx.chat.orgId ?? ctx.member?.orgId;
        if (!orgId) return say('请在绑定了支部的群里查看，或由名册中的党员查看。');
        const list = await meetingsOf(ctx.db, orgId, 0, ctx.now.getTime(), 10);
        if (list.length === 0) return say('本支部还没有会议记录。');
        const lines = [];
        for (const m of list) {
          const s = rollStats(await rollOf(ctx, m));
          lines.push(
            `- ${dayAndClock(m.startsAt)} ${meetingName(m)}“${m.topic}” 实到 ${s.present.length}/${s.members.length}，请假 ${s.leave.length}${m.closedAt ? '' : '（进行中）'}`,
          );
        }
        return say(`最近的会议：\n${lines.join('\n')}`);
      },
    },
  ],
  actions: {
    start: async (ctx, click) => {
      const type = MEETING_TYPES.find((t) => t === click.values.type);
      const topic = String(click.values.topic ?? '').trim();
      if (!type || !topic) return say('请选择会议类型并填写主题。');
      const picked = String(click.values.partyGroup ?? '').trim();
      return start(ctx, type, topic, Number(click.values.minutes ?? DEFAULT_MINUTES), picked || click.arg);
    },
    in: async (ctx, click) => {
      const meeting = await openFor(ctx, click.arg);
      return Array.isArray(meeting) ? meeting : checkIn(ctx, meeting);
    },
    leave: async (ctx, click) => {
      const meeting = await openFor(ctx, click.arg);
      if (Array.isArray(meeting)) return meeting;
      return [
        {
          type: 'card',
          card: {
            title: `请假 · ${meeting.topic}`,
            inputs: [{ kind: 'text', name: 'reason', label: '请假原因', required: true, maxLength: 50 }],
            buttons: [{ action: `checkin.reason:${meeting.id}`, label: '提交请假', style: 'primary' }],
          },
        },
      ];
    },
    reason: async (ctx, click) => {
      const meeting = await openFor(ctx, click.arg);
      if (Array.isArray(meeting)) return meeting;
      const out = await leave(ctx, meeting, String(click.values.reason ?? '').trim());
      // The form is answered: it says so; the check-in card shows the new counts.
      return [{ type: 'card-update', card: { ...click.card, buttons: [], inputs: [], status: '已提交' } }, ...out];
    },
    missing: async (ctx, click) => {
      const meeting = click.arg ? await meetingById(ctx.db, click.arg) : undefined;
      return meeting ? say(missingText(meeting, await rollOf(ctx, meeting))) : say('找不到这次签到。');
    },
    remind: async (ctx, click) => {
      const meeting = await openFor(ctx, click.arg);
      return Array.isArray(meeting) ? meeting : remind(ctx, meeting);
    },
    cancel: async (ctx, click) => {
      const meeting = click.arg ? await meetingById(ctx.db, click.arg) : undefined;
      if (!meeting) return say('这次签到已经取消了。');
      const refusal = await refuseUnlessRunner(ctx, meeting, '“取消签到”');
      if (refusal) return refusal;
      const out = await cancel(ctx, meeting, true);
      return [{ type: 'card-update', card: { ...click.card, buttons: [], status: '已处理' } }, ...out];
    },
    end: async (ctx, click) => {
      const meeting = click.arg ? await meetingById(ctx.db, click.arg) : undefined;
      if (!meeting) return say('找不到这次签到。');
      return end(ctx, meeting);
    },
  },
};
