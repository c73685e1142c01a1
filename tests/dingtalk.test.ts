// DingTalk end to end: our Stream client against the fake gateway, replies through the fake
// OpenAPI and session webhooks; the HTTP mode with its signature; the faults.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../bot/app';
import { silentLogger } from '../bot/core/log';
import { dingtalk } from '../bot/dingtalk';
import { DingtalkStream } from '../bot/dingtalk/stream';
import { inboundQueue, outbox } from '../storage/schema';
import { dingtalkSign, startFakeOpenApi } from './fakes/dingtalk-openapi';
import { CLIENT, dingtalkHarness } from './helpers/dingtalk';
import { counter } from './helpers/features';

let h: Awaited<ReturnType<typeof dingtalkHarness>> | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function started(opts: Parameters<typeof dingtalkHarness>[0] = {}) {
  h = await dingtalkHarness(opts);
  h.stream.start();
  await h.gateway.waitConnections(1);
  return h;
}

describe('DingTalk Stream mode', () => {
  it('subscribes to robot and card callbacks when it opens the connection', async () => {
    const d = await started();
    expect(d.gateway.opens[0]?.subscriptions.map((s) => s.topic).sort()).toEqual([
      '*',
      '/v1.0/card/instances/callback',
      '/v1.0/im/bot/messages/get',
    ]);
  });

  it('answers 帮助 in a 1:1 chat with the help card, through the session webhook (markdown, numbered replies)', async () => {
    const d = await started();
    const id = d.gateway.pushRobot(d.robotPayload('帮助', 'dt-zhangwei'));
    await d.until(() => d.api.webhookPosts('cid-direct-dt-zhangwei').length === 1);
    expect(d.gateway.ackFor(id)?.code).toBe(200);
    const [post] = d.api.webhookPosts('cid-direct-dt-zhangwei') as { msgtype: string; markdown: { text: string } }[];
    expect(post?.msgtype).toBe('markdown');
    expect(post?.markdown.text).toContain('支部助手 · 我能做什么');
    expect(post?.markdown.text).toContain('回复 **1** 我的信息');
  });

  it('answers a numbered reply to that card as a click', async () => {
    const d = await started();
    d.gateway.pushRobot(d.robotPayload('帮助', 'dt-zhangwei'));
    await d.until(() => d.api.webhookPosts('cid-direct-dt-zhangwei').length === 1);
    d.gateway.pushRobot(d.robotPayload('1', 'dt-zhangwei'));
    await d.until(() => d.api.webhookPosts('cid-direct-dt-zhangwei').length === 2);
    const posts = d.api.webhookPosts('cid-direct-dt-zhangwei') as { markdown: { text: string } }[];
    expect(posts[1]?.markdown.text).toContain('【我的信息】');
  });

  it('answers an @-message in a bound group, in the group', async () => {
    const d = await started();
    d.gateway.pushRobot(
      d.robotPayload('绑定 兰陵小学党支部', 'dt-wangjianguo', { id: 'cidGroupLanling', title: '兰陵支部群' }),
    );
    await d.until(() => d.api.webhookPosts('cidGroupLanling').length === 1);
    d.gateway.pushRobot(d.robotPayload('我的信息', 'dt-zhangwei', { id: 'cidGroupLanling' }));
    await d.until(() => d.api.webhookPosts('cidGroupLanling').length === 2);
    const posts = d.api.webhookPosts('cidGroupLanling') as { markdown: { text: string } }[];
    expect(posts[0]?.markdown.text).toContain('已将本群绑定到“兰陵小学党支部”');
    expect(posts[1]?.markdown.text).toContain('本群绑定：兰陵小学党支部');
  });

  it('delivers interactive cards through the template and updates a clicked card in the ack', async () => {
    const d = await started({ template: true, extraFeatures: [counter] });
    d.gateway.pushRobot(d.robotPayload('计数', 'dt-limin'));
    await d.until(() => d.api.cards.size === 1);
    const [card] = [...d.api.cards.values()];
    expect(card?.spaces).toEqual(['dtv1.card//IM_ROBOT.dt-limin']);
    expect(card?.cardParamMap.status).toBe('0 次');
    expect(JSON.parse(card?.cardParamMap.buttons ?? '[]')).toEqual([{ id: 'b0', text: '加一', color: 'gray' }]);
    const click = d.gateway.pushCardClick({
      outTrackId: card?.outTrackId ?? '',
      userId: 'dt-limin',
      actionIds: ['b0'],
      params: {},
    });
    await d.until(() => d.gateway.ackFor(click) !== undefined);
    expect(d.api.cards.get(card?.outTrackId ?? '')?.cardParamMap.status).toBe('1 次');
  });

  it('runs a check-in in a group with an interactive card that taps update', async () => {
    const d = await started({ template: true });
    const group = { id: 'cidGroupLanling', title: '兰陵支部群' };
    d.gateway.pushRobot(d.robotPayload('绑定 兰陵小学党支部', 'dt-wangjianguo', group));
    await d.until(() => d.api.webhookPosts('cidGroupLanling').length === 1);
    d.gateway.pushRobot(d.robotPayload('签到 支部党员大会 学习二十大精神 30分钟', 'dt-wangjianguo', group));
    await d.until(() => d.api.cards.size === 1);
    const [card] = [...d.api.cards.values()];
    expect(card?.spaces).toEqual(['dtv1.card//IM_GROUP.cidGroupLanling']);
    expect(card?.cardParamMap.status).toBe('应到 4 · 已签到 0 · 请假 0 · 未签到 4');
    const tap = d.gateway.pushCardClick({
      outTrackId: card?.outTrackId ?? '',
      userId: 'dt-zhangwei',
      actionIds: ['b0'],
      params: {},
    });
    await d.until(() => d.gateway.ackFor(tap) !== undefined);
    expect(d.api.cards.get(card?.outTrackId ?? '')?.cardParamMap.status).toBe('应到 4 · 已签到 1 · 请假 0 · 未签到 3');
    d.gateway.pushRobot(d.robotPayload('提醒未签到', 'dt-wangjianguo', group));
    await d.until(() => d.api.webhookPosts('cidGroupLanling').length === 2);
    const reminder = d.api.webhookPosts('cidGroupLanling')[1] as {
      at: { atUserIds: string[] };
      markdown: { text: string };
    };
    expect(reminder.at.atUserIds.sort()).toEqual(['dt-chenjing', 'dt-limin']); // not the sender, 王建国
    expect(reminder.markdown.text).toContain('请以下同志尽快签到');
    // Someone outside the roster is called by the name DingTalk gives (senderNick).
    d.gateway.pushRobot({ ...d.robotPayload('签到', 'dt-guest', group), senderNick: '王老师' });
    await d.until(() => d.api.webhookPosts('cidGroupLanling').length === 3);
    expect(JSON.stringify(d.api.webhookPosts('cidGroupLanling')[2])).toContain('王老师已签到（列席）。');
  });

  it('processes a message once when DingTalk delivers it again (the socket dropped before the ack)', async () => {
    const d = await started();
    d.gateway.stall(true);
    const id = d.gateway.pushRobot(d.robotPayload('我的信息', 'dt-zhangwei', undefined, 'dup-1'));
    d.gateway.stall(false);
    d.gateway.advance(60_000);
    await d.until(() => d.gateway.ackFor(id) !== undefined);
    // And the same msgId under a new delivery, as reported in the field.
    d.gateway.pushRobot(d.robotPayload('我的信息', 'dt-zhangwei', undefined, 'dup-1'));
    await d.settle();
    await new Promise((r) => setTimeout(r, 100));
    await d.settle();
    expect(d.api.webhookPosts('cid-direct-dt-zhangwei')).toHaveLength(1);
    expect(await d.t.db.select().from(inboundQueue)).toHaveLength(1);
  });

  it('survives a frame that is not JSON and a payload it cannot use, acking the latter with an error', async () => {
    const d = await started();
    d.gateway.sendRaw('this is not json');
    const bad = d.gateway.pushRobot({ msgtype: 'text', text: { content: 'no ids' } });
    await d.until(() => d.gateway.ackFor(bad) !== undefined);
    expect(d.gateway.ackFor(bad)?.code).toBe(500);
    expect(await d.t.db.select().from(inboundQueue)).toHaveLength(0);
    const ok = d.gateway.pushRobot(d.robotPayload('帮助', 'dt-zhangwei'));
    await d.until(() => d.gateway.ackFor(ok)?.code === 200);
    expect(d.gateway.connections()).toBe(1);
  });

  it('echoes pings, and reconnects at once when told to disconnect', async () => {
    const d = await started();
    const ping = d.gateway.ping();
    await d.until(() => d.gateway.pingEchoed(ping));
    d.gateway.sendDisconnect();
    await d.until(() => d.gateway.opens.length === 2);
    await d.gateway.waitConnections(1);
    expect(d.stream.delays).toEqual([]);
  });

  it('replies later through the OpenAPI, sending flow-controlled people again, exactly once', async () => {
    const d = await started();
    d.api.flowControlNext(['dt-chenjing']);
    await d.t.bot.send('dingtalk', { kind: 'direct', id: 'dt-chenjing' }, 'notice-1', [
      { type: 'text', text: '请于本月25日前提交意识形态研判。' },
    ]);
    await d.settle();
    expect(d.api.inbox('dt-chenjing')).toHaveLength(0);
    await d.t.db.update(outbox).set({ nextAttemptAt: 0 });
    await d.settle();
    expect(d.api.inbox('dt-chenjing')).toHaveLength(1);
    expect(d.api.inbox('dt-chenjing')[0]?.msgKey).toBe('sampleMarkdown');
  });
});

describe('DingTalk Stream supervisor', () => {
  it('backs off with capped, jittered delays while the gateway refuses 100 times, then connects', async () => {
    h = await dingtalkHarness();
    const delays: number[] = [];
    const stream = new DingtalkStream(
      { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, gatewayUrl: h.gateway.openUrl },
      { robot: async () => true, card: async () => null },
      silentLogger,
      { baseDelayMs: 1000, maxDelayMs: 60_000, sleep: async (ms) => void delays.push(ms) },
    );
    h.gateway.refuseOpens(100);
    stream.start();
    await h.gateway.waitConnections(1, 10_000);
    expect(stream.connectAttempts).toBe(101);
    expect(delays).toHaveLength(100);
    delays.forEach((d, i) => {
      const cap = Math.min(60_000, 1000 * 2 ** i);
      expect(d).toBeGreaterThanOrEqual(cap / 2);
      expect(d).toBeLessThanOrEqual(cap);
    });
    expect(delays.slice(10).every((d) => d >= 30_000)).toBe(true);
    await stream.stop();
    // The socket is closed by the client; the gateway sees it go a moment later.
    await h.gateway.waitConnections(0);
  });
});

describe('DingTalk HTTP mode', () => {
  /** The app with DingTalk's HTTP mode, and a POST signed as DingTalk signs (or with a given pair). */
  function httpMode(harness: NonNullable<typeof h>) {
    // DingTalk in HTTP mode as the platform opens it from its settings.
    const settings = dingtalk.settings.parse({
      DINGTALK_CLIENT_ID: CLIENT.clientId,
      DINGTALK_CLIENT_SECRET: CLIENT.clientSecret,
      DINGTALK_MODE: 'http',
      DINGTALK_API_BASE: harness.api.url,
    });
    const t = harness.t;
    const channel = dingtalk.open(settings, {
      db: t.db,
      log: silentLogger,
      now: Date.now,
      clientAddress: () => '127.0.0.1',
      showAsText: (chat, cardId) => t.bot.showAsText(dingtalk.id, chat, cardId),
    });
    const app = createApp({
      assistant: t.bot,
      log: silentLogger,
      version: 'test',
      channels: [{ id: dingtalk.id, channel }],
      platforms: [dingtalk.id],
    });
    return (body: unknown, timestamp = String(Date.now()), sign = dingtalkSign(CLIENT.clientSecret, timestamp)) =>
      app.request('/dingtalk/robot', {
        method: 'POST',
        headers: { timestamp, sign, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
  }

  it('answers a robot message with a valid signature and refuses a forged or stale one', async () => {
    h = await dingtalkHarness();
    const post = httpMode(h);
    const ts = String(Date.now());
    const payload = h.robotPayload('帮助', 'dt-zhangwei');
    expect((await post(payload, ts)).status).toBe(200);
    await h.until(() => h?.api.webhookPosts('cid-direct-dt-zhangwei').length === 1);
    expect((await post(h.robotPayload('帮助', 'dt-zhangwei'), ts, dingtalkSign('wrong', ts))).status).toBe(401);
    for (const ago of [2 * 3600_000, 10 * 60_000]) {
      expect((await post(h.robotPayload('帮助', 'dt-zhangwei'), String(Date.now() - ago))).status).toBe(401);
    }
    await h.settle();
    expect(h.api.webhookPosts('cid-direct-dt-zhangwei')).toHaveLength(1);
  });

  it("refuses a signature seen before with another body: an admin's overview asked in a forged message goes nowhere", async () => {
    h = await dingtalkHarness();
    const post = httpMode(h);
    const ts = String(Date.now());
    expect((await post(h.robotPayload('帮助', 'dt-zhangwei'), ts)).status).toBe(200);
    // The same header pair, captured, with the body of the admin asking for every branch's 研判.
    const forged = h.robotPayload('研判情况', 'dt-zhouhong');
    expect((await post(forged, ts)).status).toBe(401);
    await h.settle();
    expect(await h.t.db.select().from(inboundQueue)).toHaveLength(1);
    expect(h.api.webhookPosts('cid-direct-dt-zhouhong')).toEqual([]);
    expect(h.api.inbox('dt-zhouhong')).toEqual([]);
  });

  it("never posts to a session webhook off DingTalk's hosts: the answer goes through the OpenAPI instead", async () => {
    h = await dingtalkHarness();
    const elsewhere = await startFakeOpenApi({ ...CLIENT, users: [] });
    try {
      const hook = elsewhere.sessionWebhook('cid-direct-dt-zhangwei');
      const payload = {
        ...h.robotPayload('我的信息', 'dt-zhangwei'),
        sessionWebhook: hook.url,
        sessionWebhookExpiredTime: hook.expiresAt,
      };
      expect((await httpMode(h)(payload)).status).toBe(200);
      await h.until(() => (h?.api.inbox('dt-zhangwei').length ?? 0) > 0);
      expect(JSON.stringify(h.api.inbox('dt-zhangwei'))).toContain('张伟');
      expect(elsewhere.calls).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });
});
