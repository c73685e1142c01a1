// The WeCom smart bot over its long connection: the official SDK against the fake WebSocket server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher, drainOutbox } from '../bot/core/delivery';
import { silentLogger } from '../bot/core/log';
import { AibotConnection } from '../bot/wecom/aibot-ws';
import { WecomSender } from '../bot/wecom/sender';
import { type FakeWecomBot, startFakeWecomBot } from './fakes/wecom-bot-ws';
import { testBot } from './helpers/bot';
import { counter } from './helpers/features';
import { until } from './helpers/until';

let fake: FakeWecomBot;
let t: Awaited<ReturnType<typeof testBot>>;
let conn: AibotConnection;
let dispatcher: Dispatcher;

beforeEach(async () => {
  fake = await startFakeWecomBot({ botId: 'bot1', secret: 'bot-secret' });
  t = await testBot({ extraFeatures: [counter] });
  conn = new AibotConnection({ botId: 'bot1', secret: 'bot-secret', wsUrl: fake.url }, silentLogger, (chat, cardId) =>
    t.bot.showAsText('wecom', chat, cardId),
  );
  dispatcher = new Dispatcher(
    'outbox',
    () => drainOutbox(t.db, { wecom: new WecomSender(undefined, conn) }, Date.now, silentLogger),
    silentLogger,
  );
  conn.start(t.bot);
  await fake.subscribed();
});
afterEach(async () => {
  conn.stop();
  await fake.close();
  t.close();
});

const groupMsg = (msgid: string, text: string, from = 'wangjianguo') =>
  fake.pushMessage({ msgid, chattype: 'group', chatid: 'wrGroup1', from: { userid: from }, text });

describe('WeCom smart bot over the long connection', () => {
  it("answers an @-message in a group with the help card under the message's req_id", async () => {
    const req = groupMsg('m1', '@支部助手 帮助');
    const [reply] = await fake.waitReplies(req, 1);
    expect(reply?.cmd).toBe('aibot_respond_msg');
    expect(reply?.body.msgtype).toBe('template_card');
    expect(reply?.body.template_card.main_title.title).toBe('支部助手 · 我能做什么');
    expect(reply?.ack?.errcode).toBe(0);
  });

  it('answers text as a finished markdown stream, once per msgid', async () => {
    const req = groupMsg('m2', '@支部助手 绑定 兰陵小学党支部');
    const [reply] = await fake.waitReplies(req, 1);
    expect(reply?.body.msgtype).toBe('stream');
    expect(reply?.body.stream.finish).toBe(true);
    expect(reply?.body.stream.content).toContain('已将本群绑定到“兰陵小学党支部”');
    const again = groupMsg('m2', '@支部助手 绑定 兰陵小学党支部');
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.repliesTo(again)).toHaveLength(0);
  });

  it("updates a clicked card within the click's own reply", async () => {
    const req = groupMsg('m3', '@支部助手 计数');
    const [reply] = await fake.waitReplies(req, 1);
    const taskId = reply?.body.template_card.task_id as string;
    const click = fake.pushCardClick({ from: 'limin', chattype: 'group', chatid: 'wrGroup1', taskId, eventKey: 'b0' });
    const [update] = await fake.waitReplies(click, 1);
    expect(update?.cmd).toBe('aibot_respond_update_msg');
    expect(update?.body.template_card.main_title.desc).toBe('1 次');
    expect(update?.ack?.errcode).toBe(0);
  });

  it('sends what a click answers besides the card to the person who clicked', async () => {
    const req = groupMsg('m4', '@支部助手 帮助');
    const [reply] = await fake.waitReplies(req, 1);
    const taskId = reply?.body.template_card.task_id as string;
    fake.pushCardClick({ from: 'wangjianguo', chattype: 'group', chatid: 'wrGroup1', taskId, eventKey: 'b1' });
    await until(() => fake.sent().some((f) => f.body.chatid === 'wangjianguo'), { between: () => dispatcher.kick() });
    const sent = fake.sent();
    expect(sent.at(-1)?.body.chatid).toBe('wangjianguo');
    expect(sent.at(-1)?.body.markdown.content).toMatch(/^【/);
  });

  it("answers a handler's failure with an apology and goes on serving", async () => {
    const [sorry] = await fake.waitReplies(groupMsg('m6', '@支部助手 出错'), 1);
    expect(sorry?.body.stream.content).toContain('抱歉，处理您的消息时出错了');
    expect(await fake.waitReplies(groupMsg('m7', '@支部助手 帮助'), 1)).toHaveLength(1);
  });

  it('runs a check-in in a group: the card, and taps that update it for everyone', async () => {
    await fake.waitReplies(groupMsg('c1', '@支部助手 绑定 兰陵小学党支部'), 1);
    const [started] = await fake.waitReplies(groupMsg('c2', '@支部助手 签到 支部党员大会 学习二十大精神 30分钟'), 1);
    const card = started?.body.template_card;
    expect(card.card_type).toBe('button_interaction');
    expect(card.button_list.map((b: { text: string }) => b.text)).toEqual([
      '签到',
      '请假',
      '未签到名单',
      '提醒未签到',
      '结束签到',
    ]);
    expect(card.main_title.desc).toBe('应到 4 · 已签到 0 · 请假 0 · 未签到 4');
    for (const [i, who] of ['zhangwei', 'limin', 'zhangwei'].entries()) {
      const tap = fake.pushCardClick({
        from: who,
        chattype: 'group',
        chatid: 'wrGroup1',
        taskId: card.task_id,
        eventKey: 'b0',
      });
      const [update] = await fake.waitReplies(tap, 1);
      expect(update?.body.template_card.main_title.desc).toBe(
        `应到 4 · 已签到 ${Math.min(i + 1, 2)} · 请假 0 · 未签到 ${4 - Math.min(i + 1, 2)}`,
      );
      expect(update?.ack?.errcode).toBe(0);
    }
    // A reminder cannot @ people in a smart-bot reply: each of them gets it one to one.
    await fake.waitReplies(groupMsg('c3', '@支部助手 提醒未签到'), 1);
    await dispatcher.kick();
    const notified = fake
      .sent()
      .filter((f) => String(f.body.markdown?.content ?? '').startsWith('请以下同志尽快签到'))
      .map((f) => f.body.chatid)
      .sort();
    expect(notified).toEqual(['chenjing']); // not 王建国, who sent it
  });

  it('reconnects after the connection drops and goes on answering', async () => {
    fake.dropAll();
    await new Promise((r) => setTimeout(r, 50));
    await fake.subscribed();
    const req = groupMsg('m5', '@支部助手 帮助');
    expect(await fake.waitReplies(req, 1)).toHaveLength(1);
  });
});
