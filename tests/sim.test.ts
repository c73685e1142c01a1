// The simulator channel end to end through its HTTP API: the same router, handlers and storage
// as the platforms.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainOutbox } from '../bot/core/delivery';
import { silentLogger } from '../bot/core/log';
import type { SimCard } from '../bot/sim/cards';
import { simSender } from '../bot/sim/sender';
import { runReminders } from '../cron/reminders';
import { auditLog } from '../storage/schema';
import { MIGRATIONS } from '../storage/sqlite';
import { readMigrations } from '../storage/sqlite-migrate';
import { cardsIn, presetDuties, testBot, textsIn } from './helpers/bot';

let t: Awaited<ReturnType<typeof testBot>>;

interface HistoryEntry {
  seq: number;
  type: string;
  author: { name: string } | null;
  text?: string;
  label?: string;
  card?: SimCard;
}
async function history(query: string): Promise<HistoryEntry[]> {
  const res = await t.app.request(`/sim/api/history?${query}`);
  return ((await res.json()) as { messages: HistoryEntry[] }).messages;
}
beforeEach(async () => {
  t = await testBot();
});
afterEach(() => t.close());

describe('help', () => {
  it('shows a member the help card listing what their roles allow, with a button per command', async () => {
    const [card] = cardsIn(await t.say('王建国', 'direct', '帮助'));
    expect(card?.title).toBe('支部助手 · 我能做什么');
    expect(card?.body).toContain('王建国（书记、党员）');
    expect(card?.body).toContain('绑定 <支部名>');
    expect(card?.actions.map((a) => a.label)).toEqual(['绑定', '我的信息', '发起签到', '上报研判', '自查', '问']);

    const [plain] = cardsIn(await t.say('张伟', 'direct', '帮助'));
    expect(plain?.body).not.toContain('绑定 <支部名>');
  });

  it("answers a button click on the help card with that command's usage", async () => {
    const [card] = cardsIn(await t.say('王建国', 'direct', '帮助'));
    const out = await t.click('王建国', card?.id ?? '', 'help.topic:绑定');
    expect(textsIn(out)).toEqual([
      '【绑定】把本群绑定到您的党支部（书记使用）（在绑定的群聊中 @我 使用）\n用法：绑定 <支部名>',
    ]);
  });

  it('answers unknown words and full-width input with the help card', async () => {
    const [card] = cardsIn(await t.say('张伟', 'direct', '哈哈'));
    expect(card?.status).toBe('没有听懂“哈哈”，以下是我能做的事。');
    const [again] = cardsIn(await t.say('张伟', 'direct', '？'));
    expect(again?.status).toBeNull();
  });

  it('serves a teacher who is not in the roster, and says what needs the roster', async () => {
    const [card] = cardsIn(await t.say('guest:路老师', 'direct', '帮助'));
    expect(card?.body).toContain('老师您好');
    expect(card?.body).toContain('您还不在党组织名册中');
    expect(card?.actions.map((a) => a.label)).toEqual(['我的信息', '签到', '问']);
  });
});

describe('binding a group to a branch', () => {
  it('lets a 书记 bind a group to their own branch and confirms', async () => {
    const out = await t.say('王建国', 'sim-teachers', '绑定 兰陵小学党支部');
    expect(textsIn(out)).toEqual(['已将本群绑定到“兰陵小学党支部”。今后在本群发起的签到、提醒都记在该支部名下。']);
    const chats = (await (await t.app.request('/sim/api/chats')).json()) as {
      chats: { id: string; organisation: { name: string } | null }[];
    };
    expect(chats.chats.find((c) => c.id === 'sim-teachers')?.organisation?.name).toBe('兰陵小学党支部');
    const [info] = cardsIn(await t.say('张伟', 'sim-teachers', '我的信息'));
    expect(info?.fields).toContainEqual({ label: '本群绑定', value: '兰陵小学党支部' });
    const audits = await t.db.select().from(auditLog);
    expect(audits.filter((a) => a.action === 'chat.bind')).toHaveLength(1);
  });

  it('accepts the school name for the branch', async () => {
    const out = await t.say('王建国', 'sim-teachers', '绑定 兰陵小学');
    expect(textsIn(out)[0]).toContain('已将本群绑定到“兰陵小学党支部”');
  });

  it('refuses a 书记 binding another branch, and a plain member binding at all', async () => {
    expect(textsIn(await t.say('王建国', 'sim-teachers', '绑定 延陵小学党支部'))).toEqual([
      '您是“兰陵小学党支部”的书记，只能把群绑定到本支部。',
    ]);
    expect(textsIn(await t.say('张伟', 'sim-teachers', '绑定 兰陵小学党支部'))).toEqual([
      '“绑定”仅限书记或管理员使用。您在名册中的身份是：党员、教师。',
    ]);
    const chats = (await (await t.app.request('/sim/api/chats')).json()) as {
      chats: { id: string; organisation: unknown }[];
    };
    expect(chats.chats.find((c) => c.id === 'sim-teachers')?.organisation).toBeNull();
  });

  it('tells someone outside the roster politely whom to ask', async () => {
    const [text] = textsIn(await t.say('guest:路老师', 'sim-teachers', '绑定 兰陵小学党支部'));
    expect(text).toContain('您还不在党组织名册中');
    expect(text).toContain('请联系管理员（周红）把您加入名册');
  });

  it('lets an admin bind any branch, and says when a group is moved', async () => {
    await t.say('王建国', 'sim-teachers', '绑定 兰陵小学党支部');
    const out = await t.say('周红', 'sim-teachers', '绑定 延陵小学党支部');
    expect(textsIn(out)).toEqual([
      '已将本群绑定到“延陵小学党支部”（原绑定：兰陵小学党支部）。今后在本群发起的签到、提醒都记在该支部名下。',
    ]);
  });

  it('only works in a group, and names unknown branches', async () => {
    expect(textsIn(await t.say('王建国', 'direct', '绑定 兰陵小学党支部'))[0]).toContain('请在群聊中（@我）使用');
    expect(textsIn(await t.say('王建国', 'sim-teachers', '绑定 火星小学'))[0]).toBe(
      '没有找到名为“火星小学”的党组织。您所在的组织是“兰陵小学党支部”。',
    );
  });
});

describe('the simulator channel', () => {
  it('processes a retried message once', async () => {
    const first = await t.say('王建国', 'sim-teachers', '绑定 兰陵小学党支部', 'msg-1');
    const retry = await t.say('王建国', 'sim-teachers', '绑定 兰陵小学党支部', 'msg-1');
    expect(first).toHaveLength(1);
    expect(retry).toEqual([]);
  });

  it('refuses a click naming an action the card does not have, or a card that does not exist', async () => {
    const [card] = cardsIn(await t.say('张伟', 'direct', '帮助'));
    expect(textsIn(await t.click('张伟', card?.id ?? '', 'bind.force:延陵'))).toEqual([
      '这个按钮已失效，请使用最新的卡片。',
    ]);
    expect(textsIn(await t.click('张伟', 'c_nothing', 'help.topic:绑定'))).toEqual(['这张卡片已失效，请重新发起。']);
  });

  it('lists members with roles and organisations, and chats with their branches', async () => {
    const { members } = (await (await t.app.request('/sim/api/members')).json()) as {
      members: { name: string; roles: string[]; organisation: string }[];
    };
    // Roster order: the committee, then each branch; in each, by role (管理员, 书记, 支委委员, 党小组长…, 党员), then name.
    expect(members.map((m) => m.name)).toEqual([
      '周红',
      '吴刚',
      '王建国',
      '李敏',
      '陈静',
      '张伟',
      '刘洋',
      '赵磊',
      '孙丽',
    ]);
    expect(members.find((m) => m.name === '刘洋')).toMatchObject({
      roles: ['书记', '党员'],
      organisation: '天宁区教育工委/延陵小学党支部',
    });
    const { chats } = (await (await t.app.request('/sim/api/chats')).json()) as {
      chats: { id: string; organisation: { name: string } | null }[];
    };
    expect(chats.map((c) => [c.id, c.organisation?.name ?? null]).sort()).toEqual([
      ['sim-lanling', '兰陵小学党支部'],
      ['sim-teachers', null],
      ['sim-yanling', '延陵小学党支部'],
    ]);
  });

  it('shows in the inbox what the bot sent a member on its own initiative, once per key', async () => {
    const { members } = (await (await t.app.request('/sim/api/members')).json()) as {
      members: { id: string; name: string }[];
    };
    const id = members.find((m) => m.name === '张伟')?.id ?? '';
    const note = { type: 'text' as const, text: '请于本月 25 日前提交意识形态研判。' };
    expect(await t.bot.send('sim', { kind: 'direct', id }, 'test-reminder:2026-11', [note])).toBe(1);
    expect(await t.bot.send('sim', { kind: 'direct', id }, 'test-reminder:2026-11', [note])).toBe(0);
    const before = (await (await t.app.request(`/sim/api/inbox?member=${id}`)).json()) as { messages: unknown[] };
    expect(before.messages).toEqual([]);
    await drainOutbox(t.db, { sim: simSender(t.db) }, Date.now, silentLogger);
    const after = (await (await t.app.request('/sim/api/inbox?member=张伟')).json()) as {
      messages: { type: string; text: string }[];
    };
    expect(after.messages.map((m) => m.text)).toEqual([note.text]);
  });

  it("keeps a group's history for the group: every member who opens it sees the check-in card and who tapped it", async () => {
    const [card] = cardsIn(await t.say('王建国', 'sim-lanling', '签到 支部党员大会 学习二十大精神 30分钟'));
    await t.click('张伟', card?.id ?? '', card?.actions.find((a) => a.label === '签到')?.id ?? '');
    const seen = async (member: string) =>
      (await history(`chat=sim-lanling&member=${encodeURIComponent(member)}`)).map((m) =>
        m.type === 'said'
          ? `${m.author?.name}：${m.text}`
          : m.type === 'clicked'
            ? `${m.author?.name} 点了 ${m.label}`
            : m.type === 'text'
              ? `助手：${m.text}`
              : `${m.type} ${m.card?.title} ${m.card?.status}`,
      );
    const expected = [
      '王建国：签到 支部党员大会 学习二十大精神 30分钟',
      'card 支部党员大会 · 签到 应到 4 · 已签到 0 · 请假 0 · 未签到 4',
      '张伟 点了 签到',
      'card-update 支部党员大会 · 签到 应到 4 · 已签到 1 · 请假 0 · 未签到 3',
      '助手：张伟已签到。',
    ];
    expect(await seen('陈静')).toEqual(expected);
    expect(await seen('李敏')).toEqual(expected);
    expect(await history('chat=sim-yanling')).toEqual([]);
    // Polling with the last seq seen gives only what came since.
    const last = (await history('chat=sim-lanling')).at(-1)?.seq ?? 0;
    expect(await history(`chat=sim-lanling&after=${last}`)).toEqual([]);
    await t.say('陈静', 'sim-lanling', '我的信息');
    expect((await history(`chat=sim-lanling&after=${last}`)).map((m) => m.type)).toEqual(['said', 'card']);
  });

  it("shows in a member's one-to-one chat what the bot sent before the page was opened, and keeps the last 200", async () => {
    t.close();
    t = await testBot({ channels: ['sim'] }); // the simulator-only demo: reminders reach the simulator
    await t.say('王建国', 'direct', '帮助');
    // A reminder from the scheduled job (npm run jobs), delivered: it joins the chat after the help card.
    const ideology = presetDuties().filter((d) => d.id === 'ideology');
    expect(await runReminders(t.bot, ideology, new Date('2026-11-20T09:00+08:00'))).toBe(2);
    await drainOutbox(t.db, { sim: simSender(t.db) }, Date.now, silentLogger);
    const chat = await history('chat=direct&member=王建国');
    expect(chat.map((m) => (m.type === 'said' ? m.text : m.card?.title))).toEqual([
      '帮助',
      '支部助手 · 我能做什么',
      '意识形态研判提醒',
    ]);
    expect(await history('chat=direct&member=刘洋')).toHaveLength(1); // his reminder, nothing of 王建国's
    for (let i = 0; i < 100; i++) await t.say('张伟', 'direct', `第${i}问`);
    const kept = await history('chat=direct&member=张伟');
    expect(kept).toHaveLength(200);
    expect(kept[0]).toMatchObject({ type: 'said', text: '第0问' });
    await t.say('张伟', 'direct', '第100问');
    expect((await history('chat=direct&member=张伟'))[0]).toMatchObject({ type: 'said', text: '第1问' });
    expect((await t.app.request('/sim/api/history?chat=direct&member=张伟&after=-1')).status).toBe(400);
  });

  it('gives clear errors for bad requests', async () => {
    expect((await t.post('/sim/api/message', { member: '不存在', chat: 'direct', text: '帮助' })).body.error).toBe(
      '名册中没有成员“不存在”（不在名册的人请写 guest:姓名）',
    );
    expect((await t.post('/sim/api/message', { member: '张伟', chat: 'a b', text: 'x' })).status).toBe(400);
    expect((await t.post('/sim/api/message', { chat: 'direct' })).status).toBe(400);
    const headers = { 'content-type': 'application/json' };
    const res = await t.app.request('/sim/api/message', { method: 'POST', headers, body: 'not json' });
    expect(res.status).toBe(400);
  });

  it('answers loopback clients only, and never through a proxy', async () => {
    const remote = await testBot({ clientAddress: '10.1.2.3' });
    expect((await remote.app.request('/sim/api/members')).status).toBe(403);
    remote.close();
    const proxied = await t.app.request('/sim/api/members', { headers: { 'x-forwarded-for': '1.2.3.4' } });
    expect(proxied.status).toBe(403);
  });

  it('reports health with the database status', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    const schema = readMigrations(MIGRATIONS).at(-1)?.tag;
    expect(await res.json()).toEqual({ status: 'ok', version: 'test', schema, database: 'ok' });
  });
});
