// Starting a check-in: from the form, or from one line (`签到 党课 学习党章 1小时`) whose missing
// parts the preset form asks for.

import { type Output, say } from '../../cards/message';
import type { Card } from '../../cards/model';
import { newId } from '../../storage/db';
import { createMeeting, type Meeting, openMeetingIn } from '../../storage/meetings';
import { MEETING_TYPES, type MeetingType } from '../../storage/schema';
import type { Context } from '../feature';
import { refuseUnlessManager } from './managers';
import { parseStart, typeList } from './parse';
import { rollOf } from './roll';
import { dayAndClock } from './time';
import { checkinCard } from './view';

export const DEFAULT_MINUTES = 30;
const MIN_MINUTES = 5;
const MAX_MINUTES = 600;
const TOPIC_MAX = 60;
const LATE_AFTER_MIN = 10;
export const EXAMPLE = '签到 支部党员大会 学习二十大精神 30分钟';

export async function start(ctx: Context, type: MeetingType, topic: string, minutes: number): Promise<Output[]> {
  const orgId = ctx.chat.orgId;
  if (!orgId) return say('本群还没有绑定支部。请书记先发送“绑定 支部名称”，再发起签到。');
  const refusal = await refuseUnlessManager(ctx, orgId, '“发起签到”');
  if (refusal) return refusal;
  const open = await openMeetingIn(ctx.db, ctx.platform, ctx.chat.id);
  if (open) return alreadyOpen(open);
  const now = ctx.now.getTime();
  const meeting: Meeting = {
    id: newId('mt'),
    orgId,
    platform: ctx.platform,
    chatId: ctx.chat.id,
    cardId: newId('c'),
    type,
    topic,
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
  await ctx.audit('meeting.start', meeting.id, { type, topic, minutes });
  return [{ type: 'card', card: checkinCard(meeting, await rollOf(ctx, meeting), now) }];
}

export function alreadyOpen(meeting: Meeting): Output[] {
  return say(
    `本群已有进行中的签到：${meeting.type}“${meeting.topic}”（${dayAndClock(meeting.startsAt)} 开始）。要发起新的签到，请先发送“结束签到”结束它。`,
  );
}

/** The form to start a check-in, preset with what a `签到 …` message already said. */
export function startForm(preset: { type?: MeetingType; minutes?: number; note?: string } = {}): Card {
  const minutes = preset.minutes ?? DEFAULT_MINUTES;
  const choices = [...new Set([15, 30, 45, 60, 90, 120, minutes])].sort((a, b) => a - b);
  return {
    title: '发起签到',
    body: `${preset.note ?? '选择会议类型，填写主题，点“开始签到”。'}也可以一句话发起：${EXAMPLE}`,
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
    ],
    buttons: [{ action: 'checkin.start', label: '开始签到', style: 'primary' }],
  };
}

/** `签到 …` with more than `签到`: a check-in started in one line, or the form for what it left out. */
export async function startFromText(ctx: Context, text: string): Promise<Output[]> {
  const orgId = ctx.chat.orgId;
  if (!orgId) return say('本群还没有绑定支部。请书记先发送“绑定 支部名称”，再发起签到。');
  const refusal = await refuseUnlessManager(ctx, orgId, '“发起签到”');
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
  if (!req.type || !req.topic) {
    const note = req.type ? '请填写会议主题，点“开始签到”。' : '请选择会议类型、填写主题，点“开始签到”。';
    return [{ type: 'card', card: startForm({ ...req, note }) }];
  }
  return start(ctx, req.type, req.topic, req.minutes ?? DEFAULT_MINUTES);
}
