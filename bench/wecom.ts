// WeCom callback benchmark: the full path (verify, decrypt, parse, de-duplicate, answer, then
// route and put the reply in the outbox) against a bare Hono handler that only verifies and
// decrypts, both over loopback HTTP in this process. Prints one JSON line.

import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../bot/app';
import { Assistant } from '../bot/core/assistant';
import { silentLogger } from '../bot/core/log';
import { ACCOUNT_COLUMNS, PLATFORMS } from '../bot/platforms';
import { wecom } from '../bot/wecom';
import { openCallback } from '../bot/wecom/crypto';
import { envelopeCiphertext } from '../bot/wecom/xml';
import { buildFeatures } from '../handlers';
import { seedDemo } from '../storage/demo';
import { openSqlite } from '../storage/sqlite';
import { textMessageXml, WecomCallbackClient } from '../tests/fakes/wecom-callback';
import { CORP_ID, KEYS } from '../tests/helpers/wecom';
import { percentiles } from './stats';

const USERS = ['zhangwei', 'limin', 'chenjing', 'wangjianguo'];

async function listen(fetchFn: (r: Request) => Response | Promise<Response>): Promise<{ url: string; close(): void }> {
  const server = serve({ fetch: fetchFn, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

let seq = 0;
function bodies(client: WecomCallbackClient, n: number) {
  return Array.from({ length: n }, () => {
    seq++;
    const xml = textMessageXml({
      corpId: CORP_ID,
      from: USERS[seq % USERS.length] as string,
      content: '我的信息',
      msgId: `${9e15 + seq}`,
      agentId: 1,
    });
    return client.envelope(xml);
  });
}

/** As many callbacks as 32 concurrent senders get through: callbacks per second. */
async function throughput(url: string, n: number): Promise<number> {
  const client = new WecomCallbackClient({ url, ...KEYS });
  const envs = bodies(client, n);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < envs.length) {
        const env = envs[next++];
        if (!env) break;
        const res = await fetch(env.url, { method: 'POST', body: env.body });
        await res.text();
      }
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

/** Callbacks sent at a fixed rate, whatever the answers: latency percentiles. */
async function atRate(url: string, perSecond: number, seconds: number): Promise<{ p50: number; p99: number }> {
  const client = new WecomCallbackClient({ url, ...KEYS });
  const envs = bodies(client, perSecond * seconds);
  const times: number[] = [];
  const started = performance.now();
  await Promise.all(
    envs.map(async (env, i) => {
      const due = started + (i * 1000) / perSecond;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      const t = performance.now();
      const res = await fetch(env.url, { method: 'POST', body: env.body });
      await res.text();
      times.push(performance.now() - t);
    }),
  );
  return percentiles(times);
}

const { db, close } = openSqlite(join(mkdtempSync(join(tmpdir(), 'zhibu-bench-wecom-')), 'bench.db'));
await seedDemo(db, Date.now(), ACCOUNT_COLUMNS);
const pending = new Set<Promise<unknown>>();
const bot = new Assistant({
  db,
  features: buildFeatures(db),
  log: silentLogger,
  platforms: PLATFORMS,
  defer: (thunk) => {
    const w = thunk();
    pending.add(w);
    void w.finally(() => pending.delete(w));
  },
});
const settings = wecom.settings.parse({
  WECOM_CORP_ID: CORP_ID,
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'bench-secret',
  WECOM_TOKEN: KEYS.token,
  WECOM_ENCODING_AES_KEY: KEYS.encodingAesKey,
});
const channel = wecom.open(settings, {
  db,
  log: silentLogger,
  now: Date.now,
  clientAddress: () => '127.0.0.1',
  showAsText: (chat, cardId) => bot.showAsText(wecom.id, chat, cardId),
});
const full = createApp({
  assistant: bot,
  log: silentLogger,
  version: 'bench',
  channels: [{ id: wecom.id, channel }],
  platforms: PLATFORMS.map((p) => p.id),
});
const bare = new Hono().post('/wecom/callback', async (c) => {
  const q = new URL(c.req.url).searchParams;
  const ciphertext = envelopeCiphertext(await c.req.text());
  openCallback(
    KEYS,
    { signature: q.get('msg_signature') ?? '', timestamp: q.get('timestamp') ?? '', nonce: q.get('nonce') ?? '' },
    ciphertext,
  );
  return c.text('');
});

const fullServer = await listen(full.fetch);
const bareServer = await listen(bare.fetch);
const fullUrl = `${fullServer.url}/wecom/callback`;
const bareUrl = `${bareServer.url}/wecom/callback`;
await throughput(bareUrl, 300); // warm up
await throughput(fullUrl, 300);
const bareRate = await throughput(bareUrl, 3000);
const fullRate = await throughput(fullUrl, 3000);
while (pending.size > 0) await Promise.allSettled([...pending]);
const latency = await atRate(fullUrl, 500, 6);
while (pending.size > 0) await Promise.allSettled([...pending]);
fullServer.close();
bareServer.close();
close();
console.log(JSON.stringify({ bareRate, fullRate, ratio: fullRate / bareRate, p50: latency.p50, p99: latency.p99 }));
process.exit(0);
