// The smart bot (智能机器人), independent of its transport: its JSON bodies → the core's messages
// and clicks, and the core's outputs → what the smart bot can reply (one finished markdown
// stream and at most one template card per message; a card click is answered by updating the card).
import { z } from 'zod';
import type { CardClick, ChatRef, Incoming, Output } from '../../cards/message';
import { renderTextCard } from '../../cards/render/text';
import { cardById } from '../../storage/cards';
import type { Assistant } from '../core/assistant';
import { splitUtf8 } from './api';
import { cardIdOfTask, clickOnWecomCard, renderWecomCard, type WecomCard } from './cards';

/** The smart bot's markdown reply limit. */
const BOT_MARKDOWN_MAX_BYTES = 20480;

const text = z.string().nullish();
const botBodySchema = z.object({
  msgid: text,
  chatid: text,
  chattype: text,
  from: z.object({ userid: text }).nullish(),
  create_time: z.union([z.number(), z.string()]).nullish(),
  msgtype: text,
  text: z.object({ content: text }).nullish(),
  event: z
    .object({
      eventtype: text,
      event_key: text,
      task_id: text,
      template_card_event: z
        .object({
          card_type: text,
          event_key: text,
          task_id: text,
          selected_items: z
            .object({
              selected_item: z
                .array(
                  z.object({
                    question_key: text,
                    option_ids: z.object({ option_id: z.array(z.string()).nullish() }).nullish(),
                  }),
                )
                .nullish(),
            })
            .nullish(),
        })
        .nullish(),
    })
    .nullish(),
});
/** A smart-bot callback body as far as the bot reads it; every field is checked for its type. */
export type BotBody = z.input<typeof botBodySchema>;

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
  | { kind: 'ignored'; what: string; malformed?: true };

/** In a group the content keeps "@机器人名": the mention is for the platform, not the bot. */
function withoutMentions(text: string): { text: string; mentions: string[] } {
  const mentions: string[] = [];
  const rest = text.replace(/@(\S+)\s*/g, (_m, name: string) => {
    mentions.push(name);
    return '';
  });
  return { text: rest.trim(), mentions: mentions.slice(1) };
}

export function decodeBotBody(raw: unknown): BotInbound {
  const parsed = botBodySchema.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'ignored', what: `malformed body (${parsed.error.issues[0]?.path.join('.')})`, malformed: true };
  }
  const body = parsed.data;
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
      if (rendered.lead) lines.push(rendered.lead);
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

type BotClick = Extract<BotInbound, { kind: 'click' }>;

/**
 * A click as both transports answer it: the clicked card's new state goes back in the click's
 * own reply (returned, with the task id); anything else goes to the person who clicked.
 */
export async function answerBotClick(
  bot: Assistant,
  inbound: BotClick,
): Promise<(WecomCard & { task_id: string }) | null> {
  const stored = await cardById(bot.db, inbound.click.cardId);
  const mapped = stored ? clickOnWecomCard(stored.card, inbound.eventKey, inbound.selected) : null;
  const outputs = await bot.handleClick({
    ...inbound.click,
    action: mapped?.action ?? inbound.eventKey,
    values: mapped?.values ?? {},
  });
  const update = outputs.find((o) => o.type === 'card-update' && o.card.id === inbound.click.cardId);
  const rest = outputs.filter((o) => o !== update);
  if (rest.length > 0)
    await bot.send('wecom', { kind: 'direct', id: inbound.click.sender }, `reply:${inbound.key}`, rest);
  if (update?.type !== 'card-update') return null;
  const r = renderWecomCard(update.card);
  return r.kind === 'cards' && r.cards[0] ? { ...r.cards[0], task_id: inbound.taskId } : null;
}

/** A message as both transports answer it: one reply, and each person it @-mentions told one to one. */
export async function answerBotMessage(
  bot: Assistant,
  inbound: Extract<BotInbound, { msg: Incoming }>,
): Promise<BotReply> {
  const outputs = await bot.handleMessage(inbound.msg);
  for (const n of mentionNotices(outputs)) {
    await bot.send('wecom', { kind: 'direct', id: n.userid }, `mention:${inbound.key}:${n.userid}`, [
      { type: 'text', text: n.text },
    ]);
  }
  const reply = composeBotReply(outputs);
  for (const id of reply.textCards) await bot.showAsText('wecom', inbound.msg.chat, id);
  return reply;
}
