// Delivers the outbox's WeCom sends through the self-built app: text split at 2,048 bytes,
// cards as template cards (or numbered text where a card cannot be interactive), card updates
// with the click's single-use ResponseCode. Paced under WeCom's 30 messages a minute per person
// (beyond it WeCom drops messages silently). WeCom's duplicate check (it silently drops content
// identical to what the person got in the interval) is asked for only on a resend that may repeat
// an attempt that went out: on every send it would swallow the second of two identical answers.

import type { ChatRef, Output } from '../../cards/message';
import { type Attempt, SendError, type Sender } from '../core/delivery';
import { splitUtf8, type WecomApi } from './api';
import { renderWecomCard } from './cards';

const TEXT_MAX_BYTES = 2048;
const PER_USER_PER_MINUTE = 30;

/** A WeCom click's reply handle: update_template_card needs its ResponseCode (single use, 72 h). */
export interface WecomClickContext {
  responseCode: string;
  userid: string;
}

/** One attempt at a send: whether it may repeat one that went out, and the messages it sent so far. */
interface Try extends Attempt {
  sent: number;
}

export class WecomAppSender implements Sender {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly api: WecomApi,
    private readonly onTextCard: (chat: ChatRef, cardId: string) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws a retryable SendError while this person has had 30 messages in the last minute. */
  private pace(userid: string, count: number): void {
    const t = this.now();
    const times = (this.recent.get(userid) ?? []).filter((x) => x > t - 60_000);
    if (times.length + count > PER_USER_PER_MINUTE) {
      const wait = (times[0] ?? t) + 60_000 - t + 50;
      throw new SendError(`pacing ${userid}: ${PER_USER_PER_MINUTE} messages a minute`, true, Math.max(wait, 1000));
    }
    this.recent.set(userid, [...times, ...Array(count).fill(t)]);
  }

  private async send(userid: string, message: Record<string, unknown>, attempt: Try): Promise<void> {
    // Within the interval of the attempt that may have gone out: the lease and the first retries.
    const check = attempt.uncertain ? { enable_duplicate_check: 1, duplicate_check_interval: 1800 } : {};
    await this.api.sendMessage({ touser: userid, ...check, ...message });
    attempt.sent++;
  }

  private async markdown(userid: string, content: string, attempt: Try): Promise<void> {
    const parts = splitUtf8(content, TEXT_MAX_BYTES);
    this.pace(userid, parts.length);
    for (const part of parts) await this.send(userid, { msgtype: 'markdown', markdown: { content: part } }, attempt);
  }

  async deliver(target: ChatRef, output: Output, context?: unknown, attempt?: Attempt): Promise<void> {
    const tried: Try = { uncertain: attempt?.uncertain ?? false, sent: 0 };
    try {
      await this.deliverParts(target, output, context, tried);
    } catch (err) {
      // Some parts went out: the resend repeats them, under the duplicate check.
      if (tried.sent > 0 && err instanceof SendError && !err.uncertain)
        throw new SendError(err.message, err.retryable, err.retryAfterMs, true);
      throw err;
    }
  }

  private async deliverParts(target: ChatRef, output: Output, context: unknown, attempt: Try): Promise<void> {
    if (target.kind !== 'direct') {
      throw new SendError('a self-built app cannot post into group chats (the smart bot does)', false);
    }
    const userid = target.id;
    if (output.type === 'text') {
      const parts = splitUtf8(output.text, TEXT_MAX_BYTES);
      this.pace(userid, parts.length);
      for (const part of parts) await this.send(userid, { msgtype: 'text', text: { content: part } }, attempt);
      return;
    }
    const card = output.card;
    if (!card.id) throw new SendError('card without id', false);
    const click = context as WecomClickContext | undefined;
    const asIs = renderWecomCard({ ...card, id: card.id });
    const inPlace =
      output.type === 'card-update' && !!click?.responseCode && asIs.kind === 'cards' && asIs.cards.length === 1;
    // An update that cannot be applied in place (no ResponseCode, or a card in several parts) is
    // sent as a new card, under a fresh task id: WeCom refuses a task id twice.
    const rendered =
      output.type === 'card-update' && !inPlace
        ? renderWecomCard({ ...card, id: card.id }, `u${this.now().toString(36)}`)
        : asIs;
    if (rendered.kind === 'cards' && rendered.lead) await this.markdown(userid, rendered.lead, attempt);
    if (inPlace && click && rendered.kind === 'cards') {
      this.pace(userid, 1);
      await this.api.updateTemplateCard({
        userids: [click.userid],
        response_code: click.responseCode,
        template_card: rendered.cards[0],
      });
      return;
    }
    if (rendered.kind === 'text') {
      await this.markdown(userid, rendered.markdown, attempt);
      await this.onTextCard(target, card.id);
      return;
    }
    this.pace(userid, rendered.cards.length);
    for (const template_card of rendered.cards)
      await this.send(userid, { msgtype: 'template_card', template_card }, attempt);
  }
}
