// The self-built app's callback (自建应用 接收消息): GET verifies the URL, POST receives messages
// and events. A POST is verified, decrypted, parsed and handed to the core's queue, which stores
// it before WeCom hears 200 (WeCom re-sends after 5 s); the answer goes out through the outbox.
import { Hono } from 'hono';
import type { ChatRef } from '../../cards/message';
import type { CardValues } from '../../cards/model';
import { bodyLimit } from '../core/body-limit';
import type { Logger } from '../core/log';
import type { Inbound, Inlet } from '../core/platform';
import type { WecomClickContext } from './app-sender';
import { cardIdOfTask } from './cards';
import { type CallbackKeys, CallbackRejected, callbackQuery, openCallback, signatureParams } from './crypto';
import { envelopeCiphertext, parseXml, str, type XmlRecord } from './xml';

export const MAX_BODY_BYTES = 1024 * 1024;

/** The options a click selected, by question: `SelectedItems` as the card's input values (option ids). */
function selectedValues(callback: XmlRecord): CardValues {
  const items = (callback.SelectedItems as { SelectedItem?: XmlRecord[] } | undefined)?.SelectedItem ?? [];
  return Object.fromEntries(
    items.map((item) => [
      str(item, 'QuestionKey'),
      ((item.OptionIds as { OptionId?: unknown[] } | undefined)?.OptionId ?? []).map(String),
    ]),
  );
}

/** A decrypted callback → the event it is for the core, or what was ignored. */
function decodeAppCallback(callback: XmlRecord): Inbound | { ignored: string } {
  const from = str(callback, 'FromUserName');
  const type = str(callback, 'MsgType');
  const chat: ChatRef = { kind: 'direct', id: from };
  if (type === 'text') {
    const msgId = str(callback, 'MsgId');
    const text = str(callback, 'Content');
    return {
      key: `msg:${msgId}`,
      message: { platform: 'wecom', chat, sender: from, text, mentions: [], messageId: msgId },
    };
  }
  const event = str(callback, 'Event');
  const eventKey = `event:${from}:${str(callback, 'CreateTime')}:${event}`;
  if (type === 'event' && event === 'template_card_event') {
    const taskId = str(callback, 'TaskId');
    const button = str(callback, 'EventKey');
    const context: WecomClickContext = { responseCode: str(callback, 'ResponseCode'), userid: from };
    return {
      key: `${eventKey}:${taskId}:${button}`,
      click: {
        platform: 'wecom',
        sender: from,
        cardId: cardIdOfTask(taskId),
        button,
        values: selectedValues(callback),
      },
      context,
    };
  }
  if (type === 'event' && event === 'enter_agent') {
    // Opening the app shows what it can do.
    const message = { platform: 'wecom', chat, sender: from, text: '帮助', mentions: [], messageId: eventKey };
    return { key: eventKey, message };
  }
  return { ignored: type === 'event' ? `event ${event}` : `message type ${type}` };
}

export function appCallbackRoutes(deps: { inlet: Inlet; keys: CallbackKeys; log: Logger }): Hono {
  const app = new Hono();
  const { inlet, keys, log } = deps;

  app.onError((err, c) => {
    if (err instanceof CallbackRejected) {
      log.warn('WeCom callback refused', { reason: err.message });
      return c.text(err.status === 401 ? 'forbidden' : 'bad request', err.status);
    }
    throw err;
  });

  app.get('/callback', (c) => {
    const query = callbackQuery(c.req.url);
    const echostr = query.get('echostr');
    if (!echostr) throw new CallbackRejected('missing echostr', 400);
    return c.text(openCallback(keys, signatureParams(query), echostr));
  });

  app.post(
    '/callback',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text('payload too large', 413) }),
    async (c) => {
      const signature = signatureParams(callbackQuery(c.req.url));
      const ciphertext = envelopeCiphertext(await c.req.text());
      if (!ciphertext) throw new CallbackRejected('no Encrypt element', 400);
      const plain = parseXml(openCallback(keys, signature, ciphertext));
      if (!plain) throw new CallbackRejected('decrypted message is not XML', 400);
      const event = decodeAppCallback(plain);
      if ('ignored' in event) log.info('WeCom callback ignored', { what: event.ignored });
      else await inlet.queue(event);
      return c.text('');
    },
  );
  return app;
}
