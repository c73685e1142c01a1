// What the DingTalk channel does with a robot message or a card click, whichever transport
// (Stream or HTTP) brought it. A message is stored before it is acknowledged and answered
// afterwards through the outbox; a click is answered with the card's update in the reply.

import type { Incoming } from '../../cards/message';
import { cardById } from '../../storage/cards';
import type { Assistant } from '../core/assistant';
import type { Logger } from '../core/log';
import { actionOfButton, cardParamMap } from './cards';
import {
  type CardCallbackPayload,
  type DingtalkReplyContext,
  decodeCardCallback,
  decodeRobot,
  type RobotPayload,
} from './decode';

const INBOUND_KIND = 'dingtalk-robot';

interface RobotWork {
  key: string;
  msg: Incoming;
  reply?: DingtalkReplyContext;
}

export class DingtalkChannel {
  constructor(
    private readonly bot: Assistant,
    private readonly log: Logger,
    private readonly defer: (work: () => Promise<unknown>) => void,
  ) {
    bot.inbound.register(INBOUND_KIND, (payload) => this.answer(payload as RobotWork));
  }

  /**
   * A robot message: recorded (a redelivery is recognised, also after a restart) before the
   * caller acknowledges it, answered afterwards. Returns false for a payload it cannot use.
   */
  async receiveRobot(payload: RobotPayload): Promise<boolean> {
    const inbound = decodeRobot(payload);
    if (inbound.kind === 'ignored') {
      this.log.info('DingTalk robot message ignored', { what: inbound.what });
      return false;
    }
    const work: RobotWork = { key: inbound.key, msg: inbound.msg, ...(inbound.reply ? { reply: inbound.reply } : {}) };
    if (await this.bot.inbound.accept('dingtalk', inbound.key, INBOUND_KIND, work)) {
      this.defer(() => this.bot.inbound.kick());
    }
    return true;
  }

  private async answer(work: RobotWork): Promise<void> {
    const outputs = await this.bot.handleMessage(work.msg);
    await this.bot.send('dingtalk', work.msg.chat, `reply:${work.key}`, outputs, work.reply);
  }

  /**
   * A card click, once per delivery id: the click's answer for the clicked card is returned as
   * the callback's response (it updates the card); anything else goes to the clicker.
   */
  async receiveCardClick(payload: CardCallbackPayload, deliveryId?: string): Promise<Record<string, unknown> | null> {
    const inbound = decodeCardCallback(payload);
    if (inbound.kind === 'ignored') {
      this.log.info('DingTalk card callback ignored', { what: inbound.what });
      return null;
    }
    const key = deliveryId ? `card-delivery:${deliveryId}` : inbound.key;
    if (!(await this.bot.accept('dingtalk', key))) return null;
    const stored = await cardById(this.bot.db, inbound.outTrackId);
    const action = stored ? actionOfButton(stored.card, inbound.buttonId) : null;
    const outputs = await this.bot.handleClick({
      platform: 'dingtalk',
      sender: inbound.userId,
      cardId: inbound.outTrackId,
      action: action ?? inbound.buttonId,
      values: inbound.values,
      eventId: key,
    });
    const update = outputs.find((o) => o.type === 'card-update' && o.card.id === inbound.outTrackId);
    const rest = outputs.filter((o) => o !== update);
    if (rest.length > 0) await this.bot.send('dingtalk', { kind: 'direct', id: inbound.userId }, `reply:${key}`, rest);
    if (update?.type !== 'card-update') return null;
    return { cardUpdateOptions: { updateCardDataByKey: true }, cardData: { cardParamMap: cardParamMap(update.card) } };
  }
}
