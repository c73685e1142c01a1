// The smart bot (智能机器人), independent of its transport: its JSON bodies → the core's messages
// and clicks, and the core's outputs → what the smart bot can reply (one finished markdown
// stream and at most one template card per message; a card click is answered by updating the card).
import { renderTextCard } from '../../cards/render/text';
import { cardIdOfTask, renderWecomCard, type WecomCard } from '../../cards/render/wecom';
import type { CardClick, ChatRef, Incoming, Output } from '../core/model';
import { splitUtf8 } from './api';

/** The smart bot's markdown reply limit. */
export const BOT_MARKDOWN_MAX_BYTES = 20480;

export interface BotBody {
  msgid?: string;
  chatid?: string;
  chattype?: string;
  from?: { userid?: string };
  create_time?: number | string;
  msgtype?: string;
  text?: { content?: string };
  event?: {
    eventtype?: string;
    event_key?: string;
    task_id?: string;
    template_card_event?: {
      card_type?: string;
      event_key?: string;
      task_id?: string;
      selected_items?: { selected_item?: { question_key?: string; option_ids?: { option_id?: string[] } }[] };
    };
  };
}

export type BotInbound =
  | { kind: 'message'; key: string; msg: Incoming }
  | { kind: 'welcome'; key: string; msg: Incoming }
  | {
      kind: 'click';
      key: string;
      click: Omit<CardClick, 'action' | 'values'>;
      chat: ChatRef;
      taskId: string;
      eventKey: string;
      selected: { questionKey: string; optionIds: string[] }[];
    }
  | { kind: 'ignored'; what: string };

/** In a group the content keeps "@机器人名": the mention is for the platform, not the bot. */
export function withoutMentions(text: string): { text: string; mentions: string[] } {
  const mentions: string[] = [];
  const rest = text.replace(/@(\S+)\s*/g, (_m, name: string) => {
    mentions.push(name);
    return '';
  });
  return { text: rest.trim(), mentions: mentions.slice(1) };
}

export function decodeBotBody(body: BotBody): BotInbound {
  const userid = body.from?.userid;
  if (!userid || !body.msgid) return { kind: 'ignored', what: 'body without msgid or sender' };
  const chat: ChatRef =
    body.chattype === 'group' && body.chatid ? { kind: 'group', id: body.chatid } : { kind: 'direct', id: userid };
  if (body.msgtype === 'text') {
    const { text, mentions } = withoutMentions(body.text?.content ?? '');
    return {
      kind: 'message',
      key: `bot:${body.msgid}`,
      msg: { platform: 'wecom', chat, sender: userid, text, mentions, messageId: body.msgid },
    };
  }
  if (body.msgtype === 'event' && body.event?.eventtype === 'enter_chat') {
    return {
      kind: 'welcome',
      key: `bot:${body.msgid}`,
      msg: { platform: 'wecom', chat, sender: userid, text: '帮助', mentions: [], messageId: body.msgid },
    };
  }
  if (body.msgtype === 'event' && body.event?.eventtype === 'template_card_event') {
    // Captured payloads nest the click; SDK 1.0.7's types read it flat. Nested first.
    const nested = body.event.template_card_event;
    const taskId = nested?.task_id ?? body.event.task_id ?? '';
    const eventKey = nested?.event_key ?? body.event.event_key ?? '';
    const selected = (nested?.selected_items?.selected_item ?? []).map((s) => ({
      questionKey: s.question_key ?? '',
      optionIds: s.option_ids?.option_id ?? [],
    }));
    return {
      kind: 'click',
      key: `bot:${body.msgid}`,
      click: { platform: 'wecom', sender: userid, cardId: cardIdOfTask(taskId), eventId: `bot:${body.msgid}` },
      chat,
      taskId,
      eventKey,
      selected,
    };
  }
  return { kind: 'ignored', what: `${body.msgtype ?? 'unknown'} ${body.event?.eventtype ?? ''}`.trim() };
}

export interface BotReply {
  /** Markdown for the finished stream reply ('' when there is only a card). */
  markdown: string;
  /** The one template card a reply may carry. */
  card?: WecomCard;
  /** Cards shown as numbered text in this reply (the core must learn they take replies). */
  textCards: string[];
}

/** What a message's outputs become as one smart-bot reply. */
export function composeBotReply(outputs: Output[]): BotReply {
  const lines: string[] = [];
  const textCards: string[] = [];
  let card: WecomCard | undefined;
  for (const o of outputs) {
    if (o.type === 'text') {
      lines.push(o.text);
      continue;
    }
    const id = o.card.id as string;
    const rendered = renderWecomCard({ ...o.card, id });
    if (!card && rendered.kind === 'cards' && rendered.cards.length === 1) {
      card = rendered.cards[0];
      continue;
    }
    // A second card, or one that splits, goes as numbered text.
    lines.push(rendered.kind === 'text' ? rendered.markdown : renderTextCard(o.card));
    textCards.push(id);
  }
  const markdown = splitUtf8(lines.join('\n\n'), BOT_MARKDOWN_MAX_BYTES)[0] ?? '';
  return { markdown, ...(card ? { card } : {}), textCards };
}

/**
 * A smart-bot reply cannot @ people, so a text that mentions them also reaches each of them
 * one to one (e.g. 提醒未签到).
 */
export function mentionNotices(outputs: Output[]): { userid: string; text: string }[] {
  return outputs.flatMap((o) =>
    o.type === 'text' && o.mentions?.length ? o.mentions.map((userid) => ({ userid, text: o.text })) : [],
  );
}
