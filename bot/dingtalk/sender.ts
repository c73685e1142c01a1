// Delivers the outbox's DingTalk sends: a reply goes into the conversation through its session
// webhook while that lives, anything else through the OpenAPI (1:1 batch send or group send).
// Cards go out as interactive cards when the bot's template is configured, else as markdown
// with numbered replies.
import { cardParamMap, dingtalkMarkdown, dingtalkTextCard } from '../../cards/render/dingtalk';
import { SendError, type Sender } from '../core/delivery';
import type { ChatRef, Output } from '../core/model';
import type { DingtalkApi } from './api';
import type { DingtalkReplyContext } from './decode';

export class DingtalkSender implements Sender {
  constructor(
    private readonly api: DingtalkApi,
    private readonly opts: { templateId?: string; callbackType: 'STREAM' | 'HTTP' },
    private readonly onTextCard: (chat: ChatRef, cardId: string) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  private async markdown(
    target: ChatRef,
    title: string,
    text: string,
    reply?: DingtalkReplyContext,
    mentions: string[] = [],
  ): Promise<void> {
    if (reply && reply.expiresAt > this.now()) {
      // In a conversation DingTalk @-mentions people named in `at` whose @id stands in the text.
      const at = mentions.length > 0 ? { at: { atUserIds: mentions, isAtAll: false } } : {};
      const body = mentions.length > 0 ? `${text}  \n${mentions.map((m) => `@${m}`).join(' ')}` : text;
      const posted = await this.api.webhook(reply.sessionWebhook, {
        msgtype: 'markdown',
        markdown: { title, text: body },
        ...at,
      });
      if (posted) return;
    }
    const param = { title, text };
    if (target.kind === 'group') {
      await this.api.groupSend(target.id, 'sampleMarkdown', param);
      return;
    }
    const r = await this.api.batchSend([target.id], 'sampleMarkdown', param);
    if (r.invalid.includes(target.id)) throw new SendError(`DingTalk does not know user ${target.id}`, false);
    if (r.flowControlled.length > 0) throw new SendError('flow-controlled by DingTalk', true, 30_000);
  }

  async deliver(target: ChatRef, output: Output, context?: unknown): Promise<void> {
    const reply = context as DingtalkReplyContext | undefined;
    if (output.type === 'text') {
      await this.markdown(target, output.text.slice(0, 20), dingtalkMarkdown(output.text), reply, output.mentions);
      return;
    }
    const card = output.card;
    if (!card.id) throw new SendError('card without id', false);
    if (!this.opts.templateId) {
      const { title, text } = dingtalkTextCard(card);
      await this.markdown(target, title, text, reply);
      await this.onTextCard(target, card.id);
      return;
    }
    if (output.type === 'card-update') {
      await this.api.updateCard(card.id, cardParamMap(card));
      return;
    }
    await this.api.createAndDeliverCard({
      outTrackId: card.id,
      templateId: this.opts.templateId,
      cardParamMap: cardParamMap(card),
      target,
      callbackType: this.opts.callbackType,
    });
  }
}
