// The self-built app's callback (自建应用 接收消息): GET verifies the URL, POST receives messages
// and events. A POST is verified, decrypted, parsed, de-duplicated and answered 200 at once; the
// work happens afterwards (WeCom re-sends after 5 s), and the answer goes out through the outbox.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { CardClick, ChatRef, Incoming, Output } from '../../cards/message';
import { cardById } from '../../storage/cards';
import type { Assistant } from '../core/assistant';
import type { Logger } from '../core/log';
import type { WecomClickContext } from './app-sender';
import { cardIdOfTask, clickOnWecomCard } from './cards';
import { type CallbackKeys, CallbackRejected, callbackQuery, openCallback, signatureParams } from './crypto';
import { envelopeCiphertext, parseXml, str, type XmlRecord } from './xml';

export const MAX_BODY_BYTES = 1024 * 1024;
const INBOUND_KIND = 'wecom-app';

export interface WecomAppDeps {
  bot: Assistant;
  keys: CallbackKeys;
  log: Logger;
  /** Runs work after the response (Node: in the background; Workers: ctx.waitUntil). */
  defer: (work: () => Promise<unknown>) => void;
}

type Received =
  | { kind: 'message'; key: string; msg: Incoming }
  | {
      kind: 'click';
      key: string;
      click: Omit<CardClick, 'action' | 'values'>;
      eventKey: string;
      taskId: string;
      selected: { questionKey: string; optionIds: string[] }[];
      responseCode: string;
    }
  | { kind: 'ignored'; key: string; what: string };

function selectedItems(x: XmlRecord): { questionKey: string; optionIds: string[] }[] {
  const items = (x.SelectedItems as { SelectedItem?: XmlRecord[] } | undefined)?.SelectedItem ?? [];
  return items.map((i) => ({
    questionKey: str(i, 'QuestionKey'),
    optionIds: ((i.OptionIds as { OptionId?: unknown[] } | undefined)?.OptionId ?? []).map(String),
  }));
}

/** A decrypted callback → what it means to the bot, with its de-duplication key. */
function decodeAppCallback(x: XmlRecord): Received {
  const from = str(x, 'FromUserName');
  const type = str(x, 'MsgType');
  const chat: ChatRef = { kind: 'direct', id: from };
  if (type === 'text') {
    const msgId = str(x, 'MsgId');
    return {
      kind: 'message',
      key: `msg:${msgId}`,
      msg: { platform: 'wecom', chat, sender: from, text: str(x, 'Content'), mentions: [], messageId: msgId },
    };
  }
  const event = str(x, 'Event');
  const eventKey = `event:${from}:${str(x, 'CreateTime')}:${event}`;
  if (type === 'event' && event === 'template_card_event') {
    const taskId = str(x, 'TaskId');
    const key = `${eventKey}:${taskId}:${str(x, 'EventKey')}`;
    return {
      kind: 'click',
      key,
      click: { platform: 'wecom', sender: from, cardId: cardIdOfTask(taskId), eventId: key },
      eventKey: str(x, 'EventKey'),
      taskId,
      selected: selectedItems(x),
      responseCode: str(x, 'ResponseCode'),
    };
  }
  if (type === 'event' && event === 'enter_agent') {
    // Opening the app shows what it can do.
    return {
      kind: 'message',
      key: eventKey,
      msg: { platform: 'wecom', chat, sender: from, text: '帮助', mentions: [], messageId: eventKey },
    };
  }
  return { kind: 'ignored', key: eventKey, what: type === 'event' ? `event ${event}` : `message type ${type}` };
}

export function wecomAppRoutes(deps: WecomAppDeps): Hono {
  const app = new Hono();
  const { bot, keys, log } = deps;
  bot.inbound.register(INBOUND_KIND, (payload) => handle(deps, payload as Exclude<Received, { kind: 'ignored' }>));

  app.onError((err, c) => {
    if (err instanceof CallbackRejected) {
      log.warn('WeCom callback refused', { reason: err.message });
      return c.text(err.status === 401 ? 'forbidden' : 'bad request', err.status);
    }
    throw err;
  });

  app.get('/callback', (c) => {
    const q = callbackQuery(c.req.url);
    const echostr = q.get('echostr');
    if (!echostr) throw new CallbackRejected('missing echostr', 400);
    return c.text(openCallback(keys, signatureParams(q), echostr));
  });

  app.post(
    '/callback',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text('payload too large', 413) }),
    async (c) => {
      const q = signatureParams(callbackQuery(c.req.url));
      const ciphertext = envelopeCiphertext(await c.req.text());
      if (!ciphertext) throw new CallbackRejected('no Encrypt element', 400);
      const plain = parseXml(openCallback(keys, q, ciphertext));
      if (!plain) throw new CallbackRejected('decrypted message is not XML', 400);
      const received = decodeAppCallback(plain);
      if (received.kind === 'ignored') {
        log.info('WeCom callback ignored', { what: received.what });
        return c.text('');
      }
      // Stored before WeCom hears 200: a crash before the work is done loses nothing.
      if (await bot.inbound.accept('wecom', received.key, INBOUND_KIND, received)) deps.defer(() => bot.inbound.kick());
      return c.text('');
    },
  );
  return app;
}

/** The work of one callback: answer it through the outbox (its sends keyed by the callback). */
async function handle(deps: WecomAppDeps, r: Exclude<Received, { kind: 'ignored' }>): Promise<void> {
  const { bot } = deps;
  let outputs: Output[];
  let context: WecomClickContext | undefined;
  let to: ChatRef;
  if (r.kind === 'message') {
    outputs = await bot.handleMessage(r.msg);
    to = r.msg.chat;
  } else {
    to = { kind: 'direct', id: r.click.sender };
    const stored = await cardById(bot.db, r.click.cardId);
    const mapped = stored ? clickOnWecomCard(stored.card, r.eventKey, r.selected) : null;
    outputs = await bot.handleClick({
      ...r.click,
      action: mapped?.action ?? r.eventKey,
      values: mapped?.values ?? {},
    });
    context = { responseCode: r.responseCode, userid: r.click.sender };
  }
  await bot.send('wecom', to, `reply:${r.key}`, outputs, context);
}
