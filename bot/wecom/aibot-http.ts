// The smart bot over HTTP callbacks (for deployments without a long-lived process, e.g. Workers):
// the app's crypto scheme with an empty receive id and JSON bodies. The reply is passive, in the
// response: a finished markdown stream with at most one card, or, to a click, the updated card.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Assistant } from '../core/assistant';
import type { Logger } from '../core/log';
import { answerBotClick, answerBotMessage, decodeBotBody } from './aibot';
import { MAX_BODY_BYTES } from './app-callback';
import { type CallbackKeys, CallbackRejected, callbackQuery, openCallback, sealReply, signatureParams } from './crypto';

export interface WecomBotHttpDeps {
  bot: Assistant;
  /** Token and EncodingAESKey of the bot's callback; the receive id is "". */
  keys: CallbackKeys;
  log: Logger;
}

export function wecomBotHttpRoutes(deps: WecomBotHttpDeps): Hono {
  const app = new Hono();
  const { bot, keys, log } = deps;

  app.onError((err, c) => {
    if (err instanceof CallbackRejected) {
      log.warn('WeCom bot callback refused', { reason: err.message });
      return c.text(err.status === 401 ? 'forbidden' : 'bad request', err.status);
    }
    throw err;
  });

  app.get('/bot', (c) => {
    const q = callbackQuery(c.req.url);
    const echostr = q.get('echostr');
    if (!echostr) throw new CallbackRejected('missing echostr', 400);
    return c.text(openCallback(keys, signatureParams(q), echostr));
  });

  app.post(
    '/bot',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text('payload too large', 413) }),
    async (c) => {
      const q = signatureParams(callbackQuery(c.req.url));
      const envelope = (await c.req.json().catch(() => null)) as { encrypt?: unknown } | null;
      if (!envelope || typeof envelope.encrypt !== 'string') throw new CallbackRejected('no encrypt field', 400);
      let body: unknown;
      try {
        body = JSON.parse(openCallback(keys, q, envelope.encrypt));
      } catch (err) {
        if (err instanceof CallbackRejected) throw err;
        throw new CallbackRejected('decrypted body is not JSON', 400);
      }
      const inbound = decodeBotBody(body);
      if (inbound.kind === 'ignored' && inbound.malformed) throw new CallbackRejected(inbound.what, 400);
      if (inbound.kind === 'ignored') {
        log.info('WeCom bot callback ignored', { what: inbound.what });
        return c.text('');
      }
      if (!(await bot.accept('wecom', inbound.key))) return c.text('');

      let reply: unknown;
      if (inbound.kind === 'click') {
        const card = await answerBotClick(bot, inbound);
        if (!card) return c.text('');
        reply = { response_type: 'update_template_card', template_card: card };
      } else {
        const composed = await answerBotMessage(bot, inbound);
        if (composed.card && !composed.markdown) reply = { msgtype: 'template_card', template_card: composed.card };
        else {
          const stream = { id: `s${bot.now().getTime().toString(36)}`, finish: true, content: composed.markdown };
          reply = composed.card
            ? { msgtype: 'stream_with_template_card', stream, template_card: composed.card }
            : { msgtype: 'stream', stream };
        }
      }
      const timestamp = String(Math.floor(bot.now().getTime() / 1000));
      const nonce = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
      const sealed = sealReply(keys, JSON.stringify(reply), timestamp, nonce);
      return c.json({ encrypt: sealed.encrypt, msgsignature: sealed.signature, timestamp, nonce });
    },
  );
  return app;
}
