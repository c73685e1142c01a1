// DingTalk payloads → the core's messages and clicks: a robot message (TOPIC_ROBOT, or the HTTP
// robot callback) and a card interaction (TOPIC_CARD). Every field read is checked for its type
// first (HTTP mode signs no body): a payload with a field of another type is not used.
import { z } from 'zod';
import type { ChatRef, Incoming } from '../../cards/message';
import type { CardValues } from '../../cards/model';

const text = z.string().nullish();
const robotSchema = z.object({
  msgId: text,
  conversationId: text,
  conversationType: text,
  conversationTitle: text,
  senderStaffId: text,
  senderId: text,
  senderNick: text,
  msgtype: text,
  text: z.object({ content: text }).nullish(),
  atUsers: z.array(z.object({ dingtalkId: text, staffId: text })).nullish(),
  chatbotUserId: text,
  sessionWebhook: text,
  sessionWebhookExpiredTime: z.number().nullish(),
});
export type RobotPayload = z.input<typeof robotSchema>;

/** What is wrong with a payload's shape, as "field: problem". */
const shapeProblem = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');

/** Where a reply can go without the OpenAPI while the conversation's webhook lives (~90 min). */
export interface DingtalkReplyContext {
  sessionWebhook: string;
  expiresAt: number;
}

export type RobotInbound =
  | { kind: 'message'; key: string; msg: Incoming; reply?: DingtalkReplyContext }
  | { kind: 'ignored'; what: string };

export function decodeRobot(payload: unknown): RobotInbound {
  const parsed = robotSchema.safeParse(payload);
  if (!parsed.success) return { kind: 'ignored', what: `malformed robot message (${shapeProblem(parsed.error)})` };
  const p = parsed.data;
  // External contacts have no staff id: they cannot be resolved to a member, nor sent to later.
  const sender = p.senderStaffId;
  if (!p.msgId || !sender) return { kind: 'ignored', what: 'message without msgId or senderStaffId' };
  if (p.msgtype !== 'text') return { kind: 'ignored', what: `message type ${p.msgtype ?? 'unknown'}` };
  const chat: ChatRef =
    p.conversationType === '2' && p.conversationId
      ? { kind: 'group', id: p.conversationId }
      : { kind: 'direct', id: sender };
  const mentions = (p.atUsers ?? [])
    .filter((u) => u.dingtalkId !== p.chatbotUserId)
    .flatMap((u) => (u.staffId ? [u.staffId] : []));
  return {
    kind: 'message',
    key: `msg:${p.msgId}`,
    msg: {
      platform: 'dingtalk',
      chat,
      sender,
      ...(p.senderNick ? { senderName: p.senderNick } : {}),
      // In groups DingTalk strips the @mention but leaves the space before the text.
      text: (p.text?.content ?? '').trim(),
      mentions,
      messageId: p.msgId,
      ...(p.conversationTitle ? { chatTitle: p.conversationTitle } : {}),
    },
    ...(p.sessionWebhook && p.sessionWebhookExpiredTime
      ? { reply: { sessionWebhook: p.sessionWebhook, expiresAt: p.sessionWebhookExpiredTime } }
      : {}),
  };
}

const cardSchema = z.object({ outTrackId: text, userId: text, content: text, spaceType: text, spaceId: text });
export type CardCallbackPayload = z.input<typeof cardSchema>;
/** `content`, once parsed: which button, and the form's values. */
const cardContentSchema = z.object({
  cardPrivateData: z
    .object({
      actionIds: z.array(z.union([z.string(), z.number()])).nullish(),
      params: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
});

export type CardInbound =
  | { kind: 'click'; key: string; outTrackId: string; userId: string; buttonId: string; values: CardValues }
  | { kind: 'ignored'; what: string };

/** `content` is a JSON string: `cardPrivateData.actionIds` names the button, `params` the form. */
export function decodeCardCallback(payload: unknown): CardInbound {
  const parsed = cardSchema.safeParse(payload);
  if (!parsed.success) return { kind: 'ignored', what: `malformed card callback (${shapeProblem(parsed.error)})` };
  const p = parsed.data;
  if (!p.outTrackId || !p.userId || typeof p.content !== 'string')
    return { kind: 'ignored', what: 'card callback without ids' };
  let raw: unknown;
  try {
    raw = JSON.parse(p.content);
  } catch {
    return { kind: 'ignored', what: 'card callback content is not JSON' };
  }
  const content = cardContentSchema.safeParse(raw);
  if (!content.success) return { kind: 'ignored', what: `malformed card content (${shapeProblem(content.error)})` };
  const actionIds = (content.data.cardPrivateData?.actionIds ?? []).map(String);
  const params = content.data.cardPrivateData?.params ?? {};
  const buttonId = actionIds[0] ?? (typeof params.action === 'string' ? params.action : '');
  if (!buttonId) return { kind: 'ignored', what: 'card callback without an action' };
  const values: CardValues = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === 'action') continue;
    if (typeof v === 'string') values[k] = v;
    else if (Array.isArray(v)) values[k] = v.map(String);
  }
  return {
    kind: 'click',
    key: `card:${p.outTrackId}:${p.userId}:${actionIds.join(',')}:${JSON.stringify(params)}`,
    outTrackId: p.outTrackId,
    userId: p.userId,
    buttonId,
    values,
  };
}
