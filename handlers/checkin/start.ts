// Starting a check-in: from the form, or from one line (`签到 党课 学习党章 1小时`) whose missing
// parts the preset form asks for.

import { type Output, say } from '../../cards/message';
import type { Card } from '../../cards/model';
import { newId } from '../../storage/db';
import { createMeeting, type Meeting, openMeetingIn } from '../../storage/meetings';
import { membersOfOrg } from '../../storage/people';
import { MEETING_TYPES, type MeetingType } from '../../storage/schema';
import type { Context } from '../feature';
import { LEADER_EXAMPLE, leadGroupIn, refuseUnlessRunner } from './managers';
import { parseStart, typeList } from './parse';
import { partyGroupsOf, rollOf } from './roll';
import { dayAndClock } from './time';
import { checkinCard, meetingName } from './view';

export const DEFAULT_MINUTES = 30;
const MIN_MINUTES = 5;
const MAX_MINUTES = 600;
const TOPIC_MAX = 60;
const LATE_AFTER_MIN = 10;
export const EXAMPLE = '签到 支部党员大会 学习二十大精神 30分钟';

/**
 * Starts a check-in. `named`: the 党小组 a 党小组会 is for, as the starter named it; without one, a
 * 党小组会 is the starter's 党小组 (a branch without 党小组 holds it as a whole).
 */
export async function start(
  ctx: Context,
  type: MeetingType,
  topic: string,
  minutes: number,
  named?: string,
): Promise<Output[]> {
  const orgId = ctx.chat.orgId;
  if (!orgId) return say('本群还没有绑定支部。请书记先发送“绑定 支部名称”，再发起签到。');
  const refusal = await refuseUnlessRunner(ctx, { orgId, type }, '“发起签到”');
  if (refusal) return refusal;
  const open = await openMeetingIn(ctx.db, ctx.platform, ctx.chat.id);
  if (open) return alreadyOpen(open);
  const group = type === '党小组会' ? await groupOf(ctx, orgId, named) : null;
  if (Array.isArray(group)) return group;
  const notTheirs = await refuseUnlessRunner(ctx, { orgId, type, partyGroup: group }, '“发起签到”');
  if (notTheirs) return notTheirs;
  const now = ctx.now.getTime();
  const meeting: Meeting = {
    id: newId('mt'),
    orgId,
    platform: ctx.platform,
    chatId: ctx.chat.id,
    cardId: newId('c'),
    type,
    topic,
    partyGroup: group,
    starterId: ctx.member?.id ?? ctx.sender,
    startsAt: now,
    endsAt: now + minutes * 60_000,
    lateAfterMin: LATE_AFTER_MIN,
    closedAt: null,
    closedBy: null,
    createdAt: now,
  };
  if (!(await createMeeting(ctx.db, meeting))) {
    const raced = await openMeetingIn(ctx.db, ctx.platform, ctx.chat.id);
    return raced ? alreadyOpen(raced) : say('发起签到失败，请重试。');
  }
  await ctx.audit('meeting.start', meeting.id, { type, topic, minutes, partyGroup: group });
  return [{ type: 'card', card: checkinCard(meeting, await rollOf(ctx, meeting), now) }];
}

/**
 * The 党小组 a 党小组会 is for: the one named, else the starter's; null in a branch whose roster
 * names none. A name the branch does not have, or no name from a starter outside every group, is
 * answered with the branch's groups.
 */
async function groupOf(ctx: Context, orgId: string, named: string | undefined): Promise<string | null | Output[]> {
  const groups = partyGroupsOf(await membersOfOrg(ctx.db, orgId));
  if (groups.length === 0) return null;
  const example = `例如：签到 党小组会 ${groups[0]} 学习党章`;
  if (named !== undefined)
    return groups.includes(named)
      ? named
      : say(`本支部没有“${named}”。本支部的党小组：${groups.join('、')}。${example}`);
  const own = ctx.member?.orgId === orgId ? ctx.member.partyGroup : null;
  if (own && groups.includes(own)) return own;
  return say(`本支部分了党小组（${groups.join('、')}），请写明是哪个党小组的会。${example}`);
}

export function alreadyOpen(meeting: Meeting): Output[] {
  return say(
    `本群已有进行中的签到：${meetingName(meeting)}“${meeting.topic}”（${dayAndClock(meeting.startsAt)} 开始）。要发起新的签到，请先发送“结束签到”结束它。`,
  );
}

/** The form to start a check-in, preset with what a `签到 …` message already said. */
export function startForm(
  preset: {
    type?: MeetingType;
    minutes?: number;
    note?: string;
    partyGroup?: string;
    example?: string;
    /** The branch's 党小组: a divided branch's form asks whose 党小组会 it is. */
    groups?: readonly string[];
  } = {},
): Card {
  const minutes = preset.minutes ?? DEFAULT_MINUTES;
  const choices = [...new Set([15, 30, 45, 60, 90, 120, minutes])].sort((a, b) => a - b);
  const groups = preset.groups ?? [];
  const picked = preset.partyGroup && groups.includes(preset.partyGroup) ? preset.partyGroup : undefined;
  return {
    title: '发起签到',
    body: `${preset.note ?? '选择会议类型，填写主题，点“开始签到”。'}也可以一句话发起：${preset.example ?? EXAMPLE}`,
    inputs: [
      {
        kind: 'select',
        name: 'type',
        label: '会议类型',
        required: true,
        options: MEETING_TYPES.map((t) => ({ value: t, label: t })),
        ...(preset.type ? { value: preset.type } : {}),
      },
      { kind: 'text', name: 'topic', label: '主题', required: true, maxLength: TOPIC_MAX },
      {
        kind: 'select',
        name: 'minutes',
        label: '签到时长',
        options: choices.map((n) => ({ value: String(n), label: `${n}分钟` })),
        value: String(minutes),
      },
      ...(groups.length > 0
        ? [
            {
              kind: 'select' as const,
              name: 'partyGroup',
              label: '党小组（党小组会）',
              options: groups.map((g) => ({ value: g, label: g })),
              ...(picked ? { value: picked } : {}),
            },
          ]
        : []),
    ],
    // A 党小组 named in the message that the picker does not list rides on the button, so start()
    // answers it with the branch's groups.
    buttons: [
      {
        action: preset.partyGroup && !picked ? `checkin.start:${preset.partyGroup}` : 'checkin.start',
        label: '开始签到',
        style: 'primary',
      },
    ],
  };
}

/**
 * The start form as this sender may use it, with the branch's 党小组 to pick from (the sender's
 * own preselected): a 党小组长's is preset to their group's 党小组会.
 */
export async function formFor(
  ctx: Context,
  orgId: string,
  preset: Parameters<typeof startForm>[0] = {},
): Promise<Card> {
  const groups = partyGroupsOf(await membersOfOrg(ctx.db, orgId));
  const mine = ctx.member?.orgId === orgId ? (ctx.member.partyGroup ?? undefined) : undefined;
  const withGroups = { ...preset, groups, partyGroup: preset.partyGroup ?? mine };
  const own = leadGroupIn(ctx, orgId);
  if (own === null) return startForm(withGroups);
  const note = `您是${own}的党小组长，可以发起${own}党小组会的签到：填写主题，点“开始签到”。`;
  return startForm({ ...withGroups, type: '党小组会', note, example: LEADER_EXAMPLE });
}

/** `签到 …` with more than `签到`: a check-in started in one line, or the form for what it left out. */
export async function startFromText(ctx: Context, text: string): Promise<Output[]> {
  const orgId = ctx.chat.orgId;
  if (!orgId) return say('本群还没有绑定支部。请书记先发送“绑定 支部名称”，再发起签到。');
  const refusal = await refuseUnlessRunner(ctx, { orgId }, '“发起签到”');
  if (refusal) return refusal;
  const req = parseStart(text);
  if (req.minutes !== undefined && (req.minutes < MIN_MINUTES || req.minutes > MAX_MINUTES))
    return say(
      `签到时长请在 ${MIN_MINUTES} 到 ${MAX_MINUTES} 分钟之间（您写的是 ${req.minutes} 分钟）。例如：${EXAMPLE}`,
    );
  if (req.unknownType) return say(`没有“${req.unknownType}”这种会议类型。可选：${typeList}。例如：${EXAMPLE}`);
  if ([...req.topic].length > TOPIC_MAX) return say(`会议主题最多 ${TOPIC_MAX} 个字，请写短一些。`);
  const open = await openMeetingIn(ctx.db, ctx.platform, ctx.chat.id);
  if (open) return alreadyOpen(open);
  const { partyGroup, topic } =
    req.type === '党小组会' ? await namedGroup(ctx, orgId, req.topic) : { topic: req.topic };
  if (req.type) {
    const notTheirs = await refuseUnlessRunner(ctx, { orgId, type: req.type, partyGroup }, '“发起签到”');
    if (notTheirs) return notTheirs;
  }
  if (!req.type || !topic) {
    const note = req.type ? '请填写会议主题，点“开始签到”。' : '请选择会议类型、填写主题，点“开始签到”。';
    return [{ type: 'card', card: await formFor(ctx, orgId, { ...req, note, ...(partyGroup ? { partyGroup } : {}) }) }];
  }
  return start(ctx, req.type, topic, req.minutes ?? DEFAULT_MINUTES, partyGroup);
}

/**
 * The 党小组 a `签到 党小组会 …` names at the start of its topic (第一党小组 学习党章, or written
 * together): one of the branch's, or a word ending in 小组 that start() answers with the branch's
 * groups. A branch without 党小组 has none: its topic stays whole.
 */
async function namedGroup(ctx: Context, orgId: string, text: string): Promise<{ partyGroup?: string; topic: string }> {
  const groups = partyGroupsOf(await membersOfOrg(ctx.db, orgId));
  if (groups.length === 0) return { topic: text };
  const known = groups.filter((g) => text.startsWith(g)).sort((a, b) => b.length - a.length)[0];
  const first = text.split(' ')[0] ?? '';
  const partyGroup = known ?? (/小组$/.test(first) ? first : undefined);
  return partyGroup ? { partyGroup, topic: text.slice(partyGroup.length).trim() } : { topic: text };
}
