// Delivers the outbox's DingTalk sends: a reply goes into the conversation through its session
// webhook while that lives, anything else through the OpenAPI (1:1 batch send or group send).
// Cards go out as interactive cards when the bot's template is configured, else as markdown
// with numbered replies.

import type { ChatRef, Output } from '../../cards/message';
import { type Delivery, SendError, type Sender } from '../core/delivery';
import { BATCH_USERS, type DingtalkApi } from './api';
import { cardParamMap, dingtalkMarkdown, dingtalkTextCard } from './cards';
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
    const failed = outcomeOf(await this.api.batchSend([target.id], 'sampleMarkdown', param), target.id);
    if (failed) throw failed;
  }

  /**
   * The same markdown to many people one to one goes out in batchSend calls of ≤20 (a month's 研判
   * nudge to every 书记 is one call per 20); a flow-controlled id is retried alone later, an id
   * DingTalk does not know fails alone. Everything else goes one by one. Each person still gets
   * their messages in the outbox's order.
   */
  async deliverMany(sends: Delivery[]): Promise<(Error | null)[]> {
    const outcomes: (Error | null)[] = sends.map(() => null);
    const groups = new Map<string, Held[]>();
    /** The group each person's held message waits in: a person's messages keep their order. */
    const held = new Map<string, string>();
    const flush = async () => {
      for (const members of groups.values()) await this.sendGroup(members, outcomes);
      groups.clear();
      held.clear();
    };
    for (const [i, send] of sends.entries()) {
      const md = this.batchable(send);
      const key = md ? `${md.title}\u0000${md.text}` : null;
      const waiting = held.get(send.target.id);
      // This person has a message held in another group (or this one goes out alone): send what is held first.
      if (waiting !== undefined && waiting !== key) await flush();
      if (!md || key === null) {
        outcomes[i] = await this.deliver(send.target, send.output, send.context).then(() => null, asError);
        continue;
      }
      groups.set(key, [...(groups.get(key) ?? []), { i, target: send.target, ...md }]);
      held.set(send.target.id, key);
    }
    await flush();
    return outcomes;
  }

  /** One markdown to its people in calls of ≤20 distinct people; the same person twice waits for the next call. */
  private async sendGroup(members: Held[], outcomes: (Error | null)[]): Promise<void> {
    const pending = [...members];
    while (pending.length > 0) {
      const call: Held[] = [];
      for (const m of [...pending]) {
        if (call.length === BATCH_USERS || call.some((c) => c.target.id === m.target.id)) continue;
        call.push(m);
        pending.splice(pending.indexOf(m), 1);
      }
      const first = call[0] as Held;
      let r: BatchResult;
      try {
        r = await this.api.batchSend(
          call.map((m) => m.target.id),
          'sampleMarkdown',
          { title: first.title, text: first.text },
        );
      } catch (err) {
        for (const m of call) outcomes[m.i] = asError(err);
        continue;
      }
      // Sent now: what follows must not turn a delivered message into a retried one.
      for (const m of call) {
        outcomes[m.i] = outcomeOf(r, m.target.id);
        if (!outcomes[m.i] && m.cardId) await this.onTextCard(m.target, m.cardId).catch(() => undefined);
      }
    }
  }

  /** The markdown of a send that can share a batchSend: one to one, not a reply into a live conversation. */
  private batchable(send: Delivery): { title: string; text: string; cardId?: string } | null {
    const reply = send.context as DingtalkReplyContext | undefined;
    if (send.target.kind !== 'direct' || (reply && reply.expiresAt > this.now())) return null;
    const o = send.output;
    if (o.type === 'text')
      return o.mentions?.length ? null : { title: o.text.slice(0, 20), text: dingtalkMarkdown(o.text) };
    if (o.type === 'card' && !this.opts.templateId && o.card.id)
      return { ...dingtalkTextCard(o.card), cardId: o.card.id };
    return null;
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

/** A send held for a batchSend call: its place among the sends, its person and its markdown. */
interface Held {
  i: number;
  target: ChatRef;
  title: string;
  text: string;
  cardId?: string;
}

type BatchResult = Awaited<ReturnType<DingtalkApi['batchSend']>>;

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** What a batchSend result means for one person: an id DingTalk does not know fails for good, a flow-controlled one waits. */
function outcomeOf(result: BatchResult, id: string): SendError | null {
  if (result.invalid.includes(id)) return new SendError(`DingTalk does not know user ${id}`, false);
  if (result.flowControlled.includes(id)) return new SendError('flow-controlled by DingTalk', true, 30_000);
  return null;
}
