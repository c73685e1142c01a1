// Duty reminders at scale: 10,000 branch secretaries, the time to plan the month's 研判 nudge
// into the outbox, and the rate the outbox drains it against the fakes on loopback: through the
// WeCom app sender (one message a person), and through the DingTalk sender (markdown, 20 people
// a batchSend call). Prints one JSON line.

import { loadDutiesFile } from '../bot/cli/rule-files';
import { Assistant } from '../bot/core/assistant';
import { drainOutbox, type Sender } from '../bot/core/delivery';
import { silentLogger } from '../bot/core/log';
import { DingtalkApi } from '../bot/dingtalk/api';
import { DingtalkSender } from '../bot/dingtalk/sender';
import { ACCOUNT_COLUMNS, PLATFORMS } from '../bot/platforms';
import { WecomApi } from '../bot/wecom/api';
import { WecomAppSender } from '../bot/wecom/app-sender';
import type { PlatformId } from '../cards/message';
import { remindDuties } from '../cron/duty-reminders';
import { importRoster } from '../storage/roster';
import { openSqlite } from '../storage/sqlite';
import { AGENT_ID, CORP_ID, DINGTALK_CLIENT, WECOM_SECRET } from '../tests/fakes/accounts';
import { startFakeOpenApi } from '../tests/fakes/dingtalk-openapi';
import { startFakeWecomApi } from '../tests/fakes/wecom-api';

const N = 10_000;
const duties = loadDutiesFile('data/duties.json').filter((d) => d.id === 'ideology');

const users = Array.from({ length: N }, (_, i) => `sec${i}`);
const { db, close } = openSqlite(':memory:');
const rows = [['组织', '学校', '姓名', '角色', '企业微信账号', '钉钉账号']];
for (const [i, u] of users.entries()) rows.push([`工委/第${i}支部`, `学校${i}`, `书记${i}`, '书记', u, `dt-${u}`]);
const imported = await importRoster(db, rows, Date.now(), 'bench', ACCOUNT_COLUMNS);
if (!imported.ok) throw new Error('roster import failed');

const at = new Date('2026-11-20T09:30:00+08:00');
/** The assistant as a deployment whose one delivering platform is `platform` runs it. */
const assistantOn = (platform: PlatformId) =>
  new Assistant({ db, features: [], log: silentLogger, platforms: PLATFORMS, now: () => at, delivering: [platform] });
const bot = assistantOn('wecom');
let started = performance.now();
const planned = await remindDuties(bot, duties, at);
const planMs = performance.now() - started;
// The scheduler runs every ten minutes: a run with everything already planned.
started = performance.now();
const replanned = await remindDuties(bot, duties, at);
const replanMs = performance.now() - started;
if (replanned !== 0) throw new Error(`re-planning stored ${replanned} reminders again`);

/** Drains the outbox through one platform's sender until nothing is left: what went, and how long it took. */
async function drainAll(platform: PlatformId, sender: Sender): Promise<{ sent: number; ms: number }> {
  const from = performance.now();
  let sent = 0;
  for (;;) {
    const r = await drainOutbox(db, { [platform]: sender }, Date.now, silentLogger);
    sent += r.sent;
    if (r.sent + r.retried + r.failed === 0) return { sent, ms: performance.now() - from };
  }
}

const api = await startFakeWecomApi({ corpId: CORP_ID, secret: WECOM_SECRET, agentId: AGENT_ID, users });
const wecom = new WecomApi(
  { corpId: CORP_ID, agentId: AGENT_ID, secret: WECOM_SECRET, apiBase: api.url },
  silentLogger,
  Date.now,
);
const sender = new WecomAppSender(wecom, (chat, cardId) => bot.showAsText('wecom', chat, cardId), Date.now);
const { sent, ms: drainMs } = await drainAll('wecom', sender);
api.close();

// The same nudge planned again for DingTalk (a fresh month), drained in batchSend calls.
const next = new Date('2026-12-21T09:30:00+08:00');
const dingtalkBot = assistantOn('dingtalk');
await remindDuties(dingtalkBot, duties, next);
const dapi = await startFakeOpenApi({ ...DINGTALK_CLIENT, users: users.map((u) => `dt-${u}`) });
const dsender = new DingtalkSender(
  new DingtalkApi({ ...DINGTALK_CLIENT, apiBase: dapi.url }),
  { callbackType: 'STREAM' },
  (chat, cardId) => bot.showAsText('dingtalk', chat, cardId),
);
const { sent: dingtalkSent, ms: dingtalkMs } = await drainAll('dingtalk', dsender);
const dingtalkCalls = dapi.calls.filter((c) => c.path === '/v1.0/robot/oToMessages/batchSend').length;
await dapi.close();
close();
console.log(
  JSON.stringify({
    planned,
    planMs,
    replanMs,
    sent,
    perSecond: (sent / drainMs) * 1000,
    dingtalkSent,
    dingtalkCalls,
    dingtalkPerSecond: (dingtalkSent / dingtalkMs) * 1000,
    rssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
