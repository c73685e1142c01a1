// The way of a message under load, through the fake WeCom: an answer goes out before the
// reminders queued ahead of it, and two identical answers both reach the person (WeCom's
// duplicate check only on a resend that may repeat what went out).
import { afterEach, describe, expect, it } from 'vitest';
import { textMessageXml } from './fakes/wecom-callback';
import { until } from './helpers/until';
import { AGENT_ID, CORP_ID, wecomHarness } from './helpers/wecom';

let h: Awaited<ReturnType<typeof wecomHarness>> | undefined;
afterEach(async () => h?.close());

const text = (from: string, content: string, msgId: string) =>
  textMessageXml({ corpId: CORP_ID, from, content, msgId, agentId: AGENT_ID });

const REMINDED = Array.from({ length: 3000 }, (_, i) => `r${i}`);
const NUDGE = '请按时完成本月意识形态研判。';

describe('the hot path', () => {
  it("answers a member's message before the reminders queued ahead of it drain", async () => {
    const harness = await wecomHarness({ users: REMINDED });
    h = harness;
    for (const [i, id] of REMINDED.entries())
      await harness.bot.send('wecom', { kind: 'direct', id }, `nudge:${i}`, [{ type: 'text', text: NUDGE }]);
    const sentTo = () =>
      harness.api.calls
        .filter((c) => c.path === '/cgi-bin/message/send')
        .map((c) => (c.body as { touser: string }).touser);

    const draining = harness.settle();
    await until(() => sentTo().length >= 100, { what: 'the reminders to start going out' });
    expect((await harness.client.post(text('zhangwei', '我的信息', '7001'))).status).toBe(200);
    await draining;
    await harness.settle();

    const order = sentTo();
    expect(order.filter((to) => to.startsWith('r'))).toHaveLength(REMINDED.length);
    const answered = order.indexOf('zhangwei');
    expect(answered).toBeGreaterThan(0);
    // Before the reminders that were waiting when it came (a batch in flight may finish first).
    expect(answered).toBeLessThan(order.length / 2);
    expect(harness.api.inbox('zhangwei')).toHaveLength(1);
  });

  it('delivers two identical answers to the same person, both', async () => {
    const harness = await wecomHarness();
    h = harness;
    for (const msgId of ['7101', '7102']) {
      await harness.client.post(text('zhangwei', '我的信息', msgId));
      await harness.settle();
    }
    const inbox = harness.api.inbox('zhangwei');
    expect(inbox).toHaveLength(2);
    expect(JSON.stringify(inbox[0]?.body.text ?? inbox[0]?.body.markdown)).toBe(
      JSON.stringify(inbox[1]?.body.text ?? inbox[1]?.body.markdown),
    );
    expect(harness.api.dropped).toEqual([]);
  });

  it('asks for the duplicate check only when resending what may have gone out', async () => {
    const harness = await wecomHarness();
    h = harness;
    const sends = () => harness.api.calls.filter((c) => c.path === '/cgi-bin/message/send');
    harness.api.failNext(1, { status: 502 }); // a gateway's error: WeCom may have taken it
    await harness.client.post(text('zhangwei', '我的信息', '7201'));
    await harness.settle();
    harness.advance(5 * 60_000);
    await harness.settle();
    expect(sends().map((c) => (c.body as { enable_duplicate_check?: number }).enable_duplicate_check)).toEqual([
      undefined,
      1,
    ]);
    expect(harness.api.inbox('zhangwei')).toHaveLength(1);
  });
});

describe('statements per message', () => {
  it('accepts a callback in one statement', async () => {
    const harness = await wecomHarness({ dropDeferred: true });
    h = harness;
    const before = harness.statements();
    expect((await harness.client.post(text('zhangwei', '我的信息', '7300'))).status).toBe(200);
    expect(harness.statements() - before).toBe(1);
  });

  it('stores the callbacks that come in one turn of the event loop in one statement, a retry among them once', async () => {
    const harness = await wecomHarness({ dropDeferred: true });
    h = harness;
    const event = (from: string, msgId: string) => ({
      key: msgId,
      message: {
        platform: 'wecom',
        chat: { kind: 'direct' as const, id: from },
        sender: from,
        text: '我的信息',
        mentions: [],
        messageId: msgId,
      },
    });
    const before = harness.statements();
    // As the HTTP server hands over the callbacks it read in one turn; 7400 comes twice (WeCom's retry).
    const accepted = await Promise.all(
      ['7400', '7401', '7402', '7400'].map((id, i) => harness.bot.queue(event(i % 2 ? 'limin' : 'zhangwei', id))),
    );
    expect(harness.statements() - before).toBe(1);
    // The retry is recognised as one: it is not worked a second time.
    expect(accepted).toEqual([true, true, true, false]);
  });

  it('answers a message, from the callback to the answer sent, in at most ten statements', async () => {
    const harness = await wecomHarness();
    h = harness;
    await harness.client.post(text('zhangwei', '我的信息', '7300'));
    await harness.settle();
    const before = harness.statements();
    for (let i = 1; i <= 10; i++) {
      await harness.client.post(text(i % 2 ? 'zhangwei' : 'limin', i % 3 ? '我的信息' : '帮助', `73${i}`));
      await harness.settle();
    }
    expect(harness.api.inbox('limin')).toHaveLength(5);
    // Accept; claim, answer (the member read once, what the feature reads, its cards), settle;
    // the send stored, claimed, settled. One at a time, as a quiet hour sees them: a burst shares the claims.
    expect((harness.statements() - before) / 10).toBeLessThanOrEqual(10);
  });
});
