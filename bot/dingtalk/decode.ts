// DingTalk payloads → the core's messages and clicks: a robot message (TOPIC_ROBOT, or the HTTP
// robot callback) and a card interaction (TOPIC_CARD).
import type { CardValues } from '../../cards/model';
import type { ChatRef, Incoming } from '../core/model';

export interface RobotPayload {
  msgId?: string;
  conversationId?: string;
  conversationType?: string;
  conversationTitle?: string;
  senderStaffId?: string;
  senderId?: string;
  senderNick?: string;
  msgtype?: string;
  text?: { content?: string };
  atUsers?: { dingtalkId?: string; staffId?: string }[];
  chatbotUserId?: string;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
}

/** Where a reply can go without the OpenAPI while the conversation's webhook lives (~90 min). */
export interface DingtalkReplyContext {
  sessionWebhook: string;
  expiresAt: number;
}

export type RobotInbound =
  | { kind: 'message'; key: string; msg: Incoming; reply?: DingtalkReplyContext }
  | { kind: 'ignored'; what: string };

export function decodeRobot(p: RobotPayload): RobotInbound {
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

export interface CardCallbackPayload {
  outTrackId?: string;
  userId?: string;
  content?: string;
  spaceType?: string;
  spaceId?: string;
}

export type CardInbound =
  | { kind: 'click'; key: string; outTrackId: string; userId: string; buttonId: string; values: CardValues }
  | { kind: 'ignored'; what: string };

/** `content` is a JSON string: `cardPrivateData.actionIds` names the button, `params` the form. */
export function decodeCardCallback(p: CardCallbackPayload): CardInbound {
  if (!p.outTrackId || !p.userId || typeof p.content !== 'string')
    return { kind: 'ignored', what: 'card callback without ids' };
  let content: { cardPrivateData?: { actionIds?: unknown; params?: unknown } };
  try {
    content = JSON.parse(p.content);
  } catch {
    return { kind: 'ignored', what: 'card callback content is not JSON' };
  }
  const actionIds = Array.isArray(content.cardPrivateData?.actionIds)
    ? content.cardPrivateData.actionIds.map(String)
    : [];
  const params = (content.cardPrivateData?.params ?? {}) as Record<string, unknown>;
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
