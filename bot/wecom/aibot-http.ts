// The smart bot over HTTP callbacks (for deployments without a long-lived process, e.g. Workers):
// the app's crypto scheme with an empty receive id and JSON bodies. The reply is passive, in the
// response: a finished markdown stream with at most one card, or, to a click, the updated card.
import { Hono } from 'hono';
import { bodyLimit } from '../core/body-limit';
import type { Logger } from '../core/log';
import type { Inlet } from '../core/platform';
import { clickReply, decodeAibotBody, messageReply } from './aibot';
import { MAX_BODY_BYTES } from './app-callback';
import { type CallbackKeys, CallbackRejected, callbackQuery, openCallback, sealReply, signatureParams } from './crypto';

export function aibotHttpRoutes(deps: {
  inlet: Inlet;
  /** Token and EncodingAESKey of the bot's callback; the receive id is "". */
  keys: CallbackKeys;
  log: Logger;
}): Hono {
  const app = new Hono();
  const { inlet, keys, log } = deps;

  app.onError((err, c) => {
    if (err instanceof CallbackRejected) {
      log.warn('WeCom bot callback refused', { reason: err.message });
      return c.text(err.status === 401 ? 'forbidden' : 'bad request', err.status);
    }
    throw err;
  });

  app.get('/bot', (c) => {
    const query = callbackQuery(c.req.url);
    const echostr = query.get('echostr');
    if (!echostr) throw new CallbackRejected('missing echostr', 400);
    return c.text(openCallback(keys, signatureParams(query), echostr));
  });

  /** What a body is answered with, before it is sealed; null: an empty response. */
  async function replyTo(body: unknown): Promise<unknown> {
    const inbound = decodeAibotBody(body);
    if (inbound.kind === 'ignored' && inbound.malformed) throw new CallbackRejected(inbound.what, 400);
    if (inbound.kind === 'ignored') {
      log.info('WeCom bot callback ignored', { what: inbound.what });
      return null;
    }
    if (inbound.kind === 'click') {
      const { event, taskId } = inbound;
      const card = await inlet.answer(event, (outputs) => clickReply(event.click.cardId, taskId, outputs));
      return card ? { response_type: 'update_template_card', template_card: card } : null;
    }
    const composed = await inlet.answer(inbound.event, (outputs) => messageReply(inbound.event.key, outputs));
    if (!composed) return null;
    if (composed.card && !composed.markdown) return { msgtype: 'template_card', template_card: composed.card };
    const stream = { id: `s${inlet.now().getTime().toString(36)}`, finish: true, content: composed.markdown };
    return composed.card
      ? { msgtype: 'stream_with_template_card', stream, template_card: composed.card }
      : { msgtype: 'stream', stream };
  }

  app.post(
    '/bot',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text('payload too large', 413) }),
    async (c) => {
      const signature = signatureParams(callbackQuery(c.req.url));
      const envelope = (await c.req.json().catch(() => null)) as { encrypt?: unknown } | null;
      if (!envelope || typeof envelope.encrypt !== 'string') throw new CallbackRejected('no encrypt field', 400);
      let body: unknown;
      try {
        body = JSON.parse(openCallback(keys, signature, envelope.encrypt));
      } catch (err) {
        if (err instanceof CallbackRejected) throw err;
        throw new CallbackRejected('decrypted body is not JSON', 400);
      }
      const reply = await replyTo(body);
      if (reply === null) return c.text('');
      const timestamp = String(Math.floor(inlet.now().getTime() / 1000));
      const nonce = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
      const sealed = sealReply(keys, JSON.stringify(reply), timestamp, nonce);
      return c.json({ encrypt: sealed.encrypt, msgsignature: sealed.signature, timestamp, nonce });
    },
  );
  return app;
}
