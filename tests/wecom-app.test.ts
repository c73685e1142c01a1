// The WeCom self-built app end to end: the fake WeCom plays the callbacks and serves the API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../storage/schema';
import { cardEventXml, enterAgentXml, textMessageXml } from './fakes/wecom-callback';
import { counter } from './helpers/features';
import { AGENT_ID, CORP_ID, wecomHarness } from './helpers/wecom';

let h: Awaited<ReturnType<typeof wecomHarness>>;
beforeEach(async () => {
  h = await wecomHarness({ extraFeatures: [counter] });
});
afterEach(async () => h.close());

const text = (from: string, content: string, msgId: string) =>
  textMessageXml({ corpId: CORP_ID, from, content, msgId, agentId: AGENT_ID });

describe('WeCom self-built app callback', () => {
  it('verifies the callback URL, keeping a literal + of the echostr', async () => {
    const res = await h.client.verify('1616140317555161061');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1616140317555161061');
    expect((await h.client.verify('x', { badSignature: true })).status).toBe(401);
  });

  it('answers 帮助 with the help card through message/send', async () => {
    const res = await h.client.post(text('zhangwei', '帮助', '4561255354251345929'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await h.settle();
    const [card] = h.api.inbox('zhangwei');
    expect(card?.msgtype).toBe('template_card');
    const tc = card?.body.template_card as { card_type: string; main_title: { title: string }; sub_title_text: string };
    expect(tc.card_type).toBe('button_interaction');
    expect(tc.main_title.title).toBe('支部助手 · 我能做什么');
    expect(tc.sub_title_text).toContain('张伟（党员、教师）您好');
  });

  it('shows the help card when a member opens the app', async () => {
    await h.client.post(enterAgentXml({ corpId: CORP_ID, from: 'limin', agentId: AGENT_ID }));
    await h.settle();
    expect(h.api.inbox('limin')).toHaveLength(1);
  });

  it('processes a callback WeCom re-sends once, also with a 19-digit or non-numeric MsgId', async () => {
    for (const id of ['4561255354251345929', 'CAIQg/PKxgYY2sC9tpuAgAMg9/zKaw==']) {
      const xml = text('zhangwei', '我的信息', id);
      await h.client.post(xml);
      await h.client.post(xml);
      await h.settle();
    }
    await h.client.post(text('zhangwei', '我的信息', '4561255354251345920'));
    await h.settle();
    // Three distinct messages (the third differs only beyond 2^53), each answered once.
    expect(h.api.calls.filter((c) => c.path === '/cgi-bin/message/send')).toHaveLength(3);
  });

  it('refuses forged, misdirected, malformed and oversized callbacks and processes none', async () => {
    const xml = text('zhangwei', '帮助', '1');
    expect((await h.client.post(xml, { badSignature: true })).status).toBe(401);
    expect((await h.client.post(xml, { receiveId: 'wwSomeoneElse' })).status).toBe(401);
    expect((await h.client.post(xml, { rawBody: '<xml><Encrypt>' })).status).toBe(400);
    expect(
      (await h.client.post(xml, { rawBody: `<xml><Encrypt><![CDATA[${'A'.repeat(1_100_000)}]]></Encrypt></xml>` }))
        .status,
    ).toBe(413);
    const image = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[zhangwei]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[image]]></MsgType><MsgId>9</MsgId></xml>`;
    expect((await h.client.post(image)).status).toBe(200);
    await h.settle();
    expect(h.api.calls.filter((c) => c.path.startsWith('/cgi-bin/message'))).toHaveLength(0);
    expect(await h.db.select().from(outbox)).toHaveLength(0);
  });

  it('refuses a correctly signed callback outside the hour around now: a replay after its id is forgotten does nothing', async () => {
    const seconds = (ms: number) => String(Math.floor((Date.now() + ms) / 1000));
    const xml = text('zhangwei', '帮助', '61');
    for (const skew of [-8 * 24 * 3600_000, -2 * 3600_000, 2 * 3600_000]) {
      expect((await h.client.post(xml, { timestamp: seconds(skew) })).status).toBe(401);
    }
    await h.settle();
    expect(h.api.calls.filter((c) => c.path.startsWith('/cgi-bin/message'))).toHaveLength(0);
    expect(await h.db.select().from(outbox)).toHaveLength(0);
    expect((await h.client.post(xml, { timestamp: seconds(-10 * 60_000) })).status).toBe(200);
  });

  it('sends a card body too long for WeCom (1,000 characters) as a message just before the card', async () => {
    await h.client.post(text('zhangwei', '长卡片', '78'));
    await h.settle();
    const inbox = h.api.inbox('zhangwei');
    const card = inbox.at(-1)?.body.template_card as { sub_title_text: string; button_list: unknown[] };
    expect(card.sub_title_text).toBe('内容见上一条消息。');
    expect(card.button_list).toHaveLength(1);
    const before = inbox
      .slice(0, -1)
      .map((m) => (m.body.markdown as { content: string }).content)
      .join('');
    expect(before).toMatch(/^\*\*长卡片\*\*\n开头(很长的正文。){200}结尾$/);
  });

  it('serves a teacher who is not in the roster with help and Q&A', async () => {
    await h.client.post(text('visitor01', '帮助', '77'));
    await h.settle();
    const send = h.api.calls.find((c) => c.path === '/cgi-bin/message/send');
    expect((send?.body as { touser: string } | undefined)?.touser).toBe('visitor01');
  });
});

describe('crash safety', () => {
  it('does the work of callbacks answered just before a crash once, when the queue is taken up again', async () => {
    const crashed = await wecomHarness({ dropDeferred: true });
    try {
      const xml = text('zhangwei', '帮助', '900');
      expect((await crashed.client.post(xml)).status).toBe(200);
      expect((await crashed.client.post(xml)).status).toBe(200); // WeCom's retry, recognised
      await crashed.settle();
      expect(crashed.api.inbox('zhangwei')).toHaveLength(0);
      // What a restarted process does first: take up the accepted work.
      await crashed.bot.inbound.kick();
      await crashed.settle();
      expect(crashed.api.inbox('zhangwei')).toHaveLength(1);
      await crashed.bot.inbound.kick();
      await crashed.settle();
      expect(crashed.api.inbox('zhangwei')).toHaveLength(1);
    } finally {
      await crashed.close();
    }
  });
});

describe('WeCom cards', () => {
  it("updates the clicked card in place with the click's ResponseCode", async () => {
    await h.client.post(text('zhangwei', '计数', '100'));
    await h.settle();
    const sent = h.api.inbox('zhangwei')[0];
    const taskId = (sent?.body.template_card as { task_id: string } | undefined)?.task_id ?? '';
    const code = h.api.issueClickCode(taskId, 'zhangwei');
    await h.client.post(
      cardEventXml({
        corpId: CORP_ID,
        from: 'zhangwei',
        taskId,
        eventKey: 'b0',
        responseCode: code,
        agentId: AGENT_ID,
      }),
    );
    await h.settle();
    const update = h.api.calls.find((c) => c.path === '/cgi-bin/message/update_template_card');
    expect(update?.body).toMatchObject({ response_code: code, userids: ['zhangwei'] });
    expect(h.api.cards.get(taskId)?.updates).toBe(1);
    const shown = h.api.cards.get(taskId)?.byUser.get('zhangwei')?.card as { main_title: { desc: string } };
    expect(shown.main_title.desc).toBe('1 次');
  });

  it('answers a click on a help-card button', async () => {
    await h.client.post(text('wangjianguo', '帮助', '200'));
    await h.settle();
    const taskId =
      (h.api.inbox('wangjianguo')[0]?.body.template_card as { task_id: string } | undefined)?.task_id ?? '';
    const code = h.api.issueClickCode(taskId, 'wangjianguo');
    await h.client.post(
      cardEventXml({
        corpId: CORP_ID,
        from: 'wangjianguo',
        taskId,
        eventKey: 'b0',
        responseCode: code,
        agentId: AGENT_ID,
      }),
    );
    await h.settle();
    const reply = h.api.inbox('wangjianguo')[1];
    expect((reply?.body.text as { content: string } | undefined)?.content).toMatch(
      /^【计数】测试用计数卡片\n用法：计数$/,
    );
  });
});

describe('WeCom sending', () => {
  it('delivers exactly once when the API fails twice and then succeeds', async () => {
    h.api.failNext(2, { status: 503 });
    await h.client.post(text('zhangwei', '帮助', '300'));
    await h.settle();
    expect(h.api.inbox('zhangwei')).toHaveLength(0);
    for (let i = 0; i < 3; i++) {
      h.advance(60_000);
      await h.settle();
    }
    expect(h.api.inbox('zhangwei')).toHaveLength(1);
    const [row] = await h.db.select().from(outbox);
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('renews an expired token once and sends', async () => {
    await h.client.post(text('zhangwei', '帮助', '400'));
    await h.settle();
    h.api.expireToken(42001);
    await h.client.post(text('zhangwei', '我的信息', '401'));
    await h.settle();
    expect(h.api.inbox('zhangwei')).toHaveLength(2);
    expect(h.api.tokenCalls()).toBe(2);
  });

  it('sends a long answer as ordered parts of at most 2,048 bytes', async () => {
    await h.bot.send('wecom', { kind: 'direct', id: 'zhangwei' }, 'long', [
      { type: 'text', text: `开头${'党建工作'.repeat(400)}结尾` },
    ]);
    await h.settle();
    const parts = h.api.inbox('zhangwei').map((d) => (d.body.text as { content: string }).content);
    expect(parts.length).toBe(3);
    expect(parts.every((p) => new TextEncoder().encode(p).length <= 2048)).toBe(true);
    expect(parts.join('')).toBe(`开头${'党建工作'.repeat(400)}结尾`);
  });

  it('paces a person under 30 messages a minute instead of letting WeCom drop them', async () => {
    for (let i = 0; i < 35; i++)
      await h.bot.send('wecom', { kind: 'direct', id: 'zhangwei' }, `n${i}`, [{ type: 'text', text: `第${i}条` }]);
    await h.settle();
    expect(h.api.inbox('zhangwei')).toHaveLength(30);
    h.advance(61_000);
    await h.settle();
    expect(h.api.inbox('zhangwei')).toHaveLength(35);
    expect(h.api.dropped).toHaveLength(0);
  });
});
