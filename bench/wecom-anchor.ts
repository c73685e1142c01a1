// The anchors the WeCom callback path is measured against, in a process of their own: a bare Hono
// handler that verifies the signature, decrypts and parses the XML, and answers. Given the fake
// WeCom API's address it is the second anchor, the ceiling of the replied path: after answering
// it sends one reply a message (the card 我的信息 shows, rendered as the bot renders it) through the client
// the bot uses (WecomApi over bot/server/keep-alive-fetch.ts), which is the least any design that
// replies through WeCom's API must do. Prints its address.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { silentLogger } from '../bot/core/log';
import { keepAliveFetch } from '../bot/server/keep-alive-fetch';
import { WecomApi } from '../bot/wecom/api';
import { renderWecomCard } from '../bot/wecom/cards';
import { openCallback } from '../bot/wecom/crypto';
import { envelopeCiphertext, parseXml, str } from '../bot/wecom/xml';
import { AGENT_ID, CORP_ID, KEYS, WECOM_SECRET } from '../tests/fakes/accounts';

const apiBase = process.argv[2];
const api = apiBase
  ? new WecomApi(
      { corpId: CORP_ID, agentId: AGENT_ID, secret: WECOM_SECRET, apiBase },
      silentLogger,
      Date.now,
      undefined,
      keepAliveFetch,
    )
  : undefined;

/** The reply a member gets for 我的信息 (a card of fields only: WeCom shows it as markdown). */
function reply(to: string, msgId: string): Promise<unknown> | undefined {
  const card = {
    id: `whoami${msgId}`,
    title: '我的信息',
    fields: [
      { label: '姓名', value: `成员${to}` },
      { label: '组织', value: '测试工委/第一支部' },
      { label: '身份', value: '党员' },
    ],
  };
  const rendered = renderWecomCard(card);
  const message =
    rendered.kind === 'text'
      ? { msgtype: 'markdown', markdown: { content: rendered.markdown } }
      : { msgtype: 'template_card', template_card: rendered.cards[0] };
  return api?.sendMessage({ touser: to, ...message });
}

const app = new Hono().post('/wecom/callback', async (c) => {
  const q = new URL(c.req.url).searchParams;
  const ciphertext = envelopeCiphertext(await c.req.text());
  const signature = {
    signature: q.get('msg_signature') ?? '',
    timestamp: q.get('timestamp') ?? '',
    nonce: q.get('nonce') ?? '',
  };
  const plain = parseXml(openCallback(KEYS, signature, ciphertext));
  // Sent after the answer, as the bot's outbox does; a failed send counts as missing at the fake.
  if (plain) setImmediate(() => void reply(str(plain, 'FromUserName'), str(plain, 'MsgId'))?.catch(() => {}));
  return c.text(plain ? '' : 'bad request', plain ? 200 : 400);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  console.log(`http://127.0.0.1:${info.port}/wecom/callback`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
