// What DingTalk sends, whichever transport (Stream or HTTP) brought it, handed to the core: a robot
// message is queued (stored before it is acknowledged, answered afterwards through the outbox); a
// card click is answered at once, the clicked card's update in the callback's response.
import { updateOf } from '../../cards/message';
import type { Logger } from '../core/log';
import type { Inlet } from '../core/platform';
import { cardParamMap } from './cards';
import { decodeCardCallback, decodeRobot } from './decode';

/** A robot message, queued under its id (a redelivery is recognised, also after a restart); false for one the bot cannot use. */
export async function receiveRobot(inlet: Inlet, log: Logger, payload: unknown): Promise<boolean> {
  const inbound = decodeRobot(payload);
  if (inbound.kind === 'ignored') {
    log.info('DingTalk robot message ignored', { what: inbound.what });
    return false;
  }
  await inlet.queue({ key: inbound.key, message: inbound.msg, ...(inbound.reply ? { context: inbound.reply } : {}) });
  return true;
}

/**
 * A card click, once per delivery id: the click's answer for the clicked card is returned as the
 * callback's response (it updates the card); anything else goes to the clicker.
 */
export async function receiveCardClick(
  inlet: Inlet,
  log: Logger,
  payload: unknown,
  deliveryId?: string,
): Promise<Record<string, unknown> | null> {
  const inbound = decodeCardCallback(payload);
  if (inbound.kind === 'ignored') {
    log.info('DingTalk card callback ignored', { what: inbound.what });
    return null;
  }
  const cardId = inbound.outTrackId;
  const click = {
    platform: 'dingtalk',
    sender: inbound.userId,
    cardId,
    button: inbound.buttonId,
    values: inbound.values,
  };
  const key = deliveryId ? `card-delivery:${deliveryId}` : inbound.key;
  return inlet.answer({ key, click }, (outputs) => {
    const { update, rest } = updateOf(cardId, outputs);
    const body = update
      ? { cardUpdateOptions: { updateCardDataByKey: true }, cardData: { cardParamMap: cardParamMap(update.card) } }
      : null;
    return { body, rest };
  });
}
