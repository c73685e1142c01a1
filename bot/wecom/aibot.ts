// The smart bot (智能机器人, "aibot" in its SDK), independent of its transport: its JSON bodies →
// the core's messages and clicks, and the core's outputs → what the smart bot can reply (one
// finished markdown stream and at most one template card per message; a card click is answered by
// updating the card).
import { z } from 'zod';
import { type CardClick, type ChatRef, type Incoming, type Output, updateOf } from '../../cards/message';
import { renderTextCard } from '../../cards/render/text';
import type { Inbound, Reply } from '../core/platform';
import { splitUtf8 } from './api';
import { cardIdOfTask, renderWecomCard, type WecomCard } from './cards';

/** The smart bot's markdown reply limit. */
const AIBOT_MARKDOWN_MAX_BYTES = 20480;

const text = z.string().nullish();
const aibotBodySchema = z.object({
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
export type AibotBody = z.input<typeof aibotBodySchema>;

/** A body as the core's event: a message (a welcome is one, answered as 帮助), a click on a card, or nothing. */
export type AibotInbound =
  | { kind: 'message' | 'welcome'; event: Inbound & { message: Incoming } }
  | { kind: 'click'; event: Inbound & { click: CardClick }; taskId: string }
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

export function decodeAibotBody(raw: unknown): AibotInbound {
  const parsed = aibotBodySchema.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'ignored', what: `malformed body (${parsed.error.issues[0]?.path.join('.')})`, malformed: true };
  }
  const body = parsed.data;
  const userid = body.from?.userid;
  if (!userid || !body.msgid) return { kind: 'ignored', what: 'body without msgid or sender' };
  const key = `bot:${body.msgid}`;
  const chat: ChatRef =
    body.chattype === 'group' && body.chatid ? { kind: 'group', id: body.chatid } : { kind: 'direct', id: userid };
  if (body.msgtype === 'text') {
    const { text, mentions } = withoutMentions(body.text?.content ?? '');
    const message = { platform: 'wecom', chat, sender: userid, text, mentions, messageId: body.msgid };
    return { kind: 'message', event: { key, message } };
  }
  if (body.msgtype === 'event' && body.event?.eventtype === 'enter_chat') {
    const message = { platform: 'wecom', chat, sender: userid, text: '帮助', mentions: [], messageId: body.msgid };
    return { kind: 'welcome', event: { key, message } };
  }
  if (body.msgtype === 'event' && body.event?.eventtype === 'template_card_event') {
    // Captured payloads nest the click; SDK 1.0.7's types read it flat. Nested first.
    const nested = body.event.template_card_event;
    const taskId = nested?.task_id ?? body.event.task_id ?? '';
    const button = nested?.event_key ?? body.event.event_key ?? '';
    const values = Object.fromEntries(
      (nested?.selected_items?.selected_item ?? []).map((s) => [s.question_key ?? '', s.option_ids?.option_id ?? []]),
    );
    const click = { platform: 'wecom', sender: userid, cardId: cardIdOfTask(taskId), button, values };
    return { kind: 'click', event: { key, click }, taskId };
  }
  return { kind: 'ignored', what: `${body.msgtype ?? 'unknown'} ${body.event?.eventtype ?? ''}`.trim() };
}

export interface AibotReply {
  /** Markdown for the finished stream reply ('' when there is only a card). */
  markdown: string;
  /** The one template card a reply may carry. */
  card?: WecomCard;
  /** Cards shown as numbered text in this reply (the core must learn they take replies). */
  textCards: string[];
}

/** What outputs become as one smart-bot message: a second card, or one that splits, goes as numbered text. */
export function composeAibotReply(outputs: Output[]): AibotReply {
  const lines: string[] = [];
  const textCards: string[] = [];
  let card: WecomCard | undefined;
  for (const output of outputs) {
    if (output.type === 'text') {
      lines.push(output.text);
      continue;
    }
    const id = output.card.id as string;
    const rendered = renderWecomCard({ ...output.card, id });
    if (!card && rendered.kind === 'cards' && rendered.cards.length === 1) {
      if (rendered.lead) lines.push(rendered.lead);
      card = rendered.cards[0];
      continue;
    }
    lines.push(rendered.kind === 'text' ? rendered.markdown : renderTextCard(output.card));
    textCards.push(id);
  }
  const markdown = splitUtf8(lines.join('\n\n'), AIBOT_MARKDOWN_MAX_BYTES)[0] ?? '';
  return { markdown, ...(card ? { card } : {}), textCards };
}

/**
 * A message's answer as one reply. A smart-bot reply cannot @ people, so a text that mentions
 * them also reaches each of them one to one (e.g. 提醒未签到).
 */
export function messageReply(key: string, outputs: Output[]): Reply<AibotReply> {
  const reply = composeAibotReply(outputs);
  const also = outputs.flatMap((output) =>
    output.type === 'text' && output.mentions?.length
      ? output.mentions.map((userid) => ({
          to: { kind: 'direct' as const, id: userid },
          key: `mention:${key}:${userid}`,
          outputs: [{ type: 'text' as const, text: output.text }],
        }))
      : [],
  );
  return { body: reply, also, asText: reply.textCards };
}

/**
 * A click's answer: the clicked card's new state goes back in the click's own reply (with the
 * task id); anything else goes to the person who clicked.
 */
export function clickReply(
  cardId: string,
  taskId: string,
  outputs: Output[],
): Reply<(WecomCard & { task_id: string }) | null> {
  const { update, rest } = updateOf(cardId, outputs);
  const rendered = update ? renderWecomCard(update.card) : undefined;
  const card = rendered?.kind === 'cards' ? rendered.cards[0] : undefined;
  return { body: card ? { ...card, task_id: taskId } : null, rest };
}
