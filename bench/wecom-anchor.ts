// The anchor the WeCom callback path is measured against, in a process of its own: a bare Hono
// handler that verifies the signature, decrypts and parses the XML, and answers. Prints its address.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { openCallback } from '../bot/wecom/crypto';
import { envelopeCiphertext, parseXml } from '../bot/wecom/xml';
import { KEYS } from '../tests/fakes/accounts';

const app = new Hono().post('/wecom/callback', async (c) => {
  const q = new URL(c.req.url).searchParams;
  const ciphertext = envelopeCiphertext(await c.req.text());
  const signature = {
    signature: q.get('msg_signature') ?? '',
    timestamp: q.get('timestamp') ?? '',
    nonce: q.get('nonce') ?? '',
  };
  const plain = parseXml(openCallback(KEYS, signature, ciphertext));
  return c.text(plain ? '' : 'bad request', plain ? 200 : 400);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  console.log(`http://127.0.0.1:${info.port}/wecom/callback`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
