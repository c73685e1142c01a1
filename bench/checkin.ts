// Check-in benchmark: one branch of 300 members, ten meetings, every member tapping 签到 once,
// 16 at a time, through the simulator's HTTP API (router, handler, conditional writes, card
// re-rendered with live counts). Prints one JSON line.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../bot/app';
import { Assistant } from '../bot/core/assistant';
import { silentLogger } from '../bot/core/log';
import { ACCOUNT_COLUMNS, PLATFORMS } from '../bot/platforms';
import { sim } from '../bot/sim';
import type { SimOutput } from '../bot/sim/cards';
import { buildFeatures } from '../handlers';
import { bindChatQuery, rememberChat } from '../storage/chats';
import { orgsNamed } from '../storage/orgs';
import { importRoster } from '../storage/roster';
import { openSqlite } from '../storage/sqlite';
import { percentiles } from './stats';

const MEMBERS = 300;
const MEETINGS = 10;
const { db, close } = openSqlite(join(mkdtempSync(join(tmpdir(), 'zhibu-bench-checkin-')), 'bench.db'));
const rows = [['组织', '学校', '姓名', '角色']];
for (let i = 0; i < MEMBERS; i++) rows.push(['工委/大校党支部', '大校', `党员${i}`, i === 0 ? '书记、党员' : '党员']);
await importRoster(db, rows, Date.now(), 'bench', ACCOUNT_COLUMNS);
const [org] = await orgsNamed(db, '大校党支部');
await rememberChat(db, 'sim', 'big', '大校群', Date.now());
await bindChatQuery(db, 'sim', 'big', org?.id ?? '', 'bench', Date.now());
const bot = new Assistant({ db, features: buildFeatures(db), log: silentLogger, platforms: PLATFORMS });
const simulator = sim.open(
  {},
  {
    db,
    log: silentLogger,
    now: Date.now,
    clientAddress: () => '127.0.0.1',
    showAsText: (chat, cardId) => bot.showAsText(sim.id, chat, cardId),
  },
);
const app = createApp({
  assistant: bot,
  log: silentLogger,
  version: 'bench',
  channels: [{ id: sim.id, channel: simulator }],
  platforms: PLATFORMS.map((p) => p.id),
});
const post = async (path: string, body: unknown) =>
  (
    (await (
      await app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()) as { outputs: SimOutput[] }
  ).outputs;

const latencies: number[] = [];
const started = performance.now();
for (let m = 0; m < MEETINGS; m++) {
  const [out] = await post('/sim/api/message', {
    member: '党员0',
    chat: 'big',
    text: `签到 支部党员大会 第${m}次 30分钟`,
  });
  if (out?.type !== 'card') throw new Error('no card');
  const card = out.card;
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < MEMBERS) {
        const i = next++;
        const t = performance.now();
        await post('/sim/api/action', { member: `党员${i}`, card: card.id, action: card.actions[0]?.id });
        latencies.push(performance.now() - t);
      }
    }),
  );
  await post('/sim/api/message', { member: '党员0', chat: 'big', text: '结束签到' });
}
const seconds = (performance.now() - started) / 1000;
close();
console.log(
  JSON.stringify({ clicks: latencies.length, perSecond: latencies.length / seconds, ...percentiles(latencies) }),
);
