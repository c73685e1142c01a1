// SIGTERM (docker stop, systemctl stop) on the compiled server with both long connections up and
// a send in flight: the connections close, the send finishes and is recorded, the database is
// closed cleanly, the process exits 0; every line it printed is a JSON event on the stream of
// its level.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DINGTALK_CLIENT, DINGTALK_USERS } from './fakes/accounts';
import { type FakeGateway, startFakeGateway } from './fakes/dingtalk-gateway';
import { type FakeOpenApi, startFakeOpenApi } from './fakes/dingtalk-openapi';
import { type FakeWecomBot, startFakeWecomBot } from './fakes/wecom-bot-ws';
import { parseEvent, startServer } from './helpers/server';

let api: FakeOpenApi;
let gateway: FakeGateway;
let wecomBot: FakeWecomBot;

beforeAll(async () => {
  api = await startFakeOpenApi({ ...DINGTALK_CLIENT, users: DINGTALK_USERS });
  gateway = await startFakeGateway({ ...DINGTALK_CLIENT, cardStore: api });
  wecomBot = await startFakeWecomBot({ botId: 'bot1', secret: 'bot-secret' });
});

afterAll(async () => {
  await gateway?.close();
  await api?.close();
  await wecomBot?.close();
});

describe('SIGTERM', () => {
  it('closes the long connections, lets the send in flight finish, closes the database and exits 0', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'zhibu-shutdown-')), 'zhibu.db');
    const server = await startServer({
      ZHIBU_DB: db,
      DINGTALK_CLIENT_ID: DINGTALK_CLIENT.clientId,
      DINGTALK_CLIENT_SECRET: DINGTALK_CLIENT.clientSecret,
      DINGTALK_GATEWAY_URL: gateway.openUrl,
      DINGTALK_API_BASE: api.url,
      DINGTALK_OAPI_BASE: api.url,
      WECOM_BOT_ID: 'bot1',
      WECOM_BOT_SECRET: 'bot-secret',
      WECOM_BOT_WS_URL: wecomBot.url,
    });
    await gateway.waitConnections(1, 30_000);
    await wecomBot.subscribed();

    // A direct message whose answer goes out through the OpenAPI, which takes its time to answer.
    api.failNext(1, { delayMs: 2000 });
    gateway.pushRobot({
      msgId: 'msg-before-stop',
      conversationId: 'cid-direct-dt-wangjianguo',
      conversationType: '1',
      senderStaffId: 'dt-wangjianguo',
      senderId: '$:LWCP_v1:$dt-wangjianguo',
      senderNick: '王建国',
      chatbotUserId: 'bot-dingtalk-id',
      msgtype: 'text',
      text: { content: '帮助' },
      createAt: Date.now(),
      robotCode: DINGTALK_CLIENT.robotCode,
    });
    const sending = () => api.calls.some((c) => c.path === '/v1.0/robot/oToMessages/batchSend');
    await expect.poll(sending, { timeout: 30_000 }).toBe(true);

    expect(await server.stop('SIGTERM')).toBe(0);

    expect(gateway.connections()).toBe(0);
    expect(wecomBot.connections()).toBe(0);
    expect(api.inbox('dt-wangjianguo').map((d) => JSON.stringify(d))).toEqual(
      expect.arrayContaining([expect.stringContaining('支部助手 · 我能做什么')]),
    );
    // Closed cleanly: the last connection checkpointed the WAL and removed it.
    expect(existsSync(`${db}-wal`)).toBe(false);
    const sqlite = new Database(db, { readonly: true });
    // The answer and the reminders the start-up planned: all sent, none left half way.
    expect(sqlite.prepare("SELECT key, status FROM outbox WHERE status != 'sent'").all()).toEqual([]);
    expect(sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE key LIKE 'reply:%'").get()).toEqual({ n: 1 });
    expect(sqlite.prepare('SELECT status FROM inbound_queue').all()).toEqual([{ status: 'done' }]);
    sqlite.close();

    const events = [
      ...server.stdout.map((line) => ({ line, stream: 'stdout' })),
      ...server.stderr.map((line) => ({ line, stream: 'stderr' })),
    ].map(({ line, stream }) => ({ line, stream, event: parseEvent(line) }));
    expect(events.filter((e) => !e.event?.time || !e.event.level).map((e) => e.line)).toEqual([]);
    expect(events.filter((e) => e.stream !== (e.event?.level === 'info' ? 'stdout' : 'stderr'))).toEqual([]);
    expect(events.filter((e) => e.event?.level === 'error').map((e) => e.line)).toEqual([]);
    expect(events.map((e) => e.event?.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
  }, 90_000);
});
