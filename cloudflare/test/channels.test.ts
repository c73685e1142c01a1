// The platforms' HTTP modes through the Worker: a WeCom self-built app callback answered through
// the fake WeCom API, and a DingTalk HTTP robot message answered through its session webhook —
// with a forged signature refused and nothing done.

import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ACCOUNT_COLUMNS } from '../../bot/platforms';
import { DEMO_ROSTER } from '../../storage/demo';
import { importRoster } from '../../storage/roster';
import { AGENT_ID, CORP_ID, DINGTALK_CLIENT, KEYS, wecomAppEnv } from '../../tests/fakes/accounts';
import { dingtalkSign } from '../../tests/fakes/dingtalk-sign';
import { textMessageXml, WecomCallbackClient } from '../../tests/fakes/wecom-callback';
import { callWith, db, fakeWindow } from './helpers';

// The demo's people as a real roster: beside a real platform the demo itself is refused (demo.test.ts).
beforeAll(async () => {
  expect((await importRoster(db, DEMO_ROSTER, Date.now(), 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
});

describe('WeCom self-built app on Workers', () => {
  const vars = () => wecomAppEnv(inject('fakes').wecomApi);
  const client = new WecomCallbackClient({ url: 'http://bot.test/wecom/callback', ...KEYS });

  it('answers a callback through the WeCom API, once however often WeCom re-sends it', async () => {
    const envelope = client.envelope(
      textMessageXml({ corpId: CORP_ID, from: 'wangjianguo', content: '我的信息', msgId: '7001', agentId: AGENT_ID }),
    );
    const post = () => callWith(vars(), `/wecom/callback?${envelope.query}`, { method: 'POST', body: envelope.body });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200); // WeCom's retry
    const inbox = await fakeWindow<{ msgtype: string; body: { text?: { content: string } } }[]>(
      '/wecom/inbox?user=wangjianguo',
    );
    expect(inbox).toHaveLength(1);
    expect(JSON.stringify(inbox[0]?.body)).toContain('王建国');
  });

  it('refuses a forged signature and sends nothing', async () => {
    const envelope = client.envelope(
      textMessageXml({ corpId: CORP_ID, from: 'zhangwei', content: '我的信息', msgId: '7002', agentId: AGENT_ID }),
      { badSignature: true },
    );
    const res = await callWith(vars(), `/wecom/callback?${envelope.query}`, { method: 'POST', body: envelope.body });
    expect(res.status).toBe(401);
    expect(await fakeWindow<unknown[]>('/wecom/inbox?user=zhangwei')).toEqual([]);
  });
});

describe('DingTalk HTTP robot on Workers', () => {
  const vars = () => ({
    DINGTALK_CLIENT_ID: DINGTALK_CLIENT.clientId,
    DINGTALK_CLIENT_SECRET: DINGTALK_CLIENT.clientSecret,
    DINGTALK_MODE: 'http',
    DINGTALK_API_BASE: inject('fakes').dingtalkApi,
  });
  /** A signed robot message; without a session webhook (`hook: false`) the answer goes through the OpenAPI. */
  const robot = async (cid: string, from: string, text: string, sign?: string, hook: boolean = true) => {
    const session = hook ? await fakeWindow<{ url: string; expiresAt: number }>(`/dingtalk/webhook?cid=${cid}`) : null;
    const timestamp = String(Date.now());
    const good = dingtalkSign(DINGTALK_CLIENT.clientSecret, timestamp);
    const payload = {
      msgId: `msg-${cid}`,
      conversationId: cid,
      conversationType: '1',
      senderStaffId: from,
      senderNick: from,
      chatbotUserId: 'bot-dingtalk-id',
      msgtype: 'text',
      text: { content: text },
      isInAtList: false,
      ...(session ? { sessionWebhook: session.url, sessionWebhookExpiredTime: session.expiresAt } : {}),
      createAt: Date.now(),
      robotCode: DINGTALK_CLIENT.robotCode,
    };
    return callWith(vars(), '/dingtalk/robot', {
      method: 'POST',
      headers: { 'content-type': 'application/json', timestamp, sign: sign ?? good },
      body: JSON.stringify(payload),
    });
  };

  it('answers a signed message through its session webhook', async () => {
    expect((await robot('cid-direct-liuyang', 'dt-liuyang', '我的信息')).status).toBe(200);
    const posts = await fakeWindow<unknown[]>('/dingtalk/posts?cid=cid-direct-liuyang');
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0])).toContain('刘洋');
  });

  it('refuses a forged signature and answers nothing', async () => {
    const res = await robot('cid-direct-zhaolei', 'dt-zhaolei', '我的信息', 'Zm9yZ2Vk');
    expect(res.status).toBe(401);
    expect(await fakeWindow<unknown[]>('/dingtalk/posts?cid=cid-direct-zhaolei')).toEqual([]);
  });

  it('keeps one DingTalk access token in D1 for every invocation that sends through the OpenAPI', async () => {
    const before = await fakeWindow<number>('/dingtalk/tokens');
    for (const who of ['sunli', 'chenjing', 'limin']) {
      expect((await robot(`cid-openapi-${who}`, `dt-${who}`, '我的信息', undefined, false)).status).toBe(200);
      expect(await fakeWindow<unknown[]>(`/dingtalk/inbox?user=dt-${who}`)).toHaveLength(1);
    }
    expect((await fakeWindow<number>('/dingtalk/tokens')) - before).toBe(1);
  });
});
