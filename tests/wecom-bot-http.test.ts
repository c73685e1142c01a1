// The WeCom smart bot over HTTP callbacks: JSON, the app's crypto with an empty receive id,
// passive encrypted replies.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { decrypt, getSignature } from '@wecom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../bot/app';
import { silentLogger } from '../bot/core/log';
import { wecom } from '../bot/wecom';
import { WecomCallbackClient } from './fakes/wecom-callback';
import { testBot } from './helpers/bot';

const KEYS = { token: 'bot-token', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: '' };
let t: Awaited<ReturnType<typeof testBot>>;
let server: ReturnType<typeof serve>;
let client: WecomCallbackClient;

beforeAll(async () => {
  t = await testBot();
  // The smart bot's HTTP callback as the WeCom platform opens it from its settings.
  const channel = wecom.open(
    wecom.settings.parse({ WECOM_BOT_TOKEN: KEYS.token, WECOM_BOT_ENCODING_AES_KEY: KEYS.encodingAesKey }),
    {
      db: t.db,
      log: silentLogger,
      now: Date.now,
      clientAddress: () => '127.0.0.1',
      showAsText: (chat, cardId) => t.bot.showAsText(wecom.id, chat, cardId),
    },
  );
  const app = createApp({
    assistant: t.bot,
    log: silentLogger,
    version: 'test',
    channels: [{ id: wecom.id, channel }],
    platforms: [wecom.id],
  });
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  client = new WecomCallbackClient({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/bot`,
    ...KEYS,
  });
});
afterAll(() => {
  server.close();
  t.close();
});

/** Checks the passive reply's signature and opens it. */
async function opened(res: Response): Promise<Record<string, unknown>> {
  const env = (await res.json()) as { encrypt: string; msgsignature: string; timestamp: string; nonce: string };
  expect(getSignature(KEYS.token, env.timestamp, env.nonce, env.encrypt)).toBe(env.msgsignature);
  const { message, id } = decrypt(KEYS.encodingAesKey, env.encrypt);
  expect(id).toBe('');
  return JSON.parse(message);
}

const groupText = (msgid: string, text: string, from = 'wangjianguo') =>
  JSON.stringify({
    msgid,
    aibotid: 'bot1',
    chatid: 'wrGroup1',
    chattype: 'group',
    from: { userid: from },
    msgtype: 'text',
    text: { content: text },
  });

describe('WeCom smart bot over HTTP', () => {
  it('answers an @-message in a group with the help card, the mention removed', async () => {
    const reply = await opened(await client.post(groupText('m1', '@支部助手 帮助'), { format: 'json' }));
    expect(reply.msgtype).toBe('template_card');
    expect((reply.template_card as { main_title: { title: string } }).main_title.title).toBe('支部助手 · 我能做什么');
  });

  it('answers a text reply as a finished markdown stream, once per msgid', async () => {
    const first = await opened(await client.post(groupText('m2', '@支部助手 绑定 兰陵小学党支部'), { format: 'json' }));
    expect(first).toMatchObject({ msgtype: 'stream', stream: { finish: true } });
    expect((first.stream as { content: string }).content).toContain('已将本群绑定到“兰陵小学党支部”');
    const again = await client.post(groupText('m2', '@支部助手 绑定 兰陵小学党支部'), { format: 'json' });
    expect(await again.text()).toBe('');
  });

  it('refuses a forged signature, and a body for another receiver', async () => {
    expect((await client.post(groupText('m3', '帮助'), { format: 'json', badSignature: true })).status).toBe(401);
    expect((await client.post(groupText('m4', '帮助'), { format: 'json', receiveId: 'wwCorp' })).status).toBe(401);
    expect((await client.post('x', { format: 'json', rawBody: '{"encrypt":1}' })).status).toBe(400);
  });
});
