// Meeting check-in through the simulator: the same router, handlers and storage as the platforms.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { Assistant } from '../bot/core/assistant';
import { silentLogger } from '../bot/core/log';
import { ACCOUNT_COLUMNS, PLATFORMS } from '../bot/platforms';
import type { SimCard } from '../bot/sim/cards';
import { closeDueMeetings } from '../cron/meetings';
import { buildFeatures } from '../handlers';
import { meetingsWorkbook } from '../handlers/checkin/workbook';
import { bindChatQuery, rememberChat } from '../storage/chats';
import { seedDemo } from '../storage/demo';
import { orgsNamed } from '../storage/orgs';
import { membersNamed } from '../storage/people';
import { exportRoster, importRoster } from '../storage/roster';
import { attendance, auditLog, meetings, outbox } from '../storage/schema';
import { openSqlite } from '../storage/sqlite';
import { cardsIn, testBot, textsIn } from './helpers/bot';

let clock = Date.parse('2026-11-25T06:00:00Z'); // 14:00 in Shanghai
let t: Awaited<ReturnType<typeof testBot>>;
afterEach(() => t?.close());

async function begin() {
  clock = Date.parse('2026-11-25T06:00:00Z');
  t = await testBot({ now: () => new Date(clock) });
  const [card] = cardsIn(await t.say('王建国', 'sim-lanling', '签到 支部党员大会 学习二十大精神 30分钟'));
  if (!card) throw new Error('no check-in card');
  return card;
}
const action = (card: SimCard, label: string) => card.actions.find((a) => a.label === label)?.id ?? '';
const membersIn = async (names: string[]) => (await Promise.all(names.map((n) => membersNamed(t.db, n)))).flat();

describe('starting a check-in', () => {
  it('posts the card with type, topic, times, buttons and the live line', async () => {
    const card = await begin();
    expect(card.title).toBe('支部党员大会 · 签到');
    expect(card.fields).toEqual([
      { label: '会议', value: '支部党员大会' },
      { label: '主题', value: '学习二十大精神' },
      { label: '开始', value: '11月25日 14:00' },
      { label: '截止', value: '14:30' },
      { label: '应到', value: '全体党员' },
    ]);
    expect(card.actions.map((a) => a.label)).toEqual(['签到', '请假', '未签到名单', '提醒未签到', '结束签到']);
    expect(card.status).toBe('应到 4 · 已签到 0 · 请假 0 · 未签到 4');
  });

  it('offers a form for 发起签到, and starts from it', async () => {
    t = await testBot({ now: () => new Date(clock) });
    const [form] = cardsIn(await t.say('李敏', 'sim-lanling', '发起签到'));
    expect(form?.inputs.map((i) => i.name)).toEqual(['type', 'topic', 'minutes']);
    const out = await t.click('李敏', form?.id ?? '', 'checkin.start', {
      type: '主题党日',
      topic: '重温入党誓词',
      minutes: '45',
    });
    expect(cardsIn(out)[0]?.fields).toContainEqual({ label: '主题', value: '重温入党誓词' });
  });

  it('refuses a plain member, asks to end an open one first, and asks an unbound group to bind', async () => {
    await begin();
    expect(textsIn(await t.say('张伟', 'sim-lanling', '签到 党课 讲党史'))[0]).toMatch(/^“发起签到”仅限/);
    expect(textsIn(await t.say('王建国', 'sim-lanling', '签到 党课 讲党史'))[0]).toContain('本群已有进行中的签到');
    expect(textsIn(await t.say('王建国', 'sim-teachers', '签到 党课 讲党史'))[0]).toContain('本群还没有绑定支部');
    expect(textsIn(await t.say('王建国', 'sim-lanling', '签到 例会 学习'))[0]).toContain(
      '没有“例会”这种会议类型。可选：支部党员大会（党员大会）、支委会（支部委员会）',
    );
  });
});

describe('checking in', () => {
  it('records each member once, lets leave turn into presence, counts guests apart', async () => {
    const card = await begin();
    const tap = async (who: string, label: string, values = {}) => t.click(who, card.id, action(card, label), values);

    let out = await tap('张伟', '签到');
    expect(cardsIn(out)[0]?.status).toBe('应到 4 · 已签到 1 · 请假 0 · 未签到 3');
    expect(textsIn(out)).toEqual(['张伟已签到。']);
    out = await tap('张伟', '签到');
    expect(textsIn(out)).toEqual(['张伟已经签到或请过假了，无需重复。']);

    const [form] = cardsIn(await tap('陈静', '请假'));
    out = await t.click('陈静', form?.id ?? '', form?.actions[0]?.id ?? '', { reason: '外出培训' });
    expect(textsIn(out)).toEqual(['陈静已请假：外出培训']);
    expect(cardsIn(out).find((c) => c.id === card.id)?.status).toBe('应到 4 · 已签到 1 · 请假 1 · 未签到 2');
    out = await tap('陈静', '签到');
    expect(textsIn(out)).toEqual(['陈静已由请假改为签到。']);

    out = await tap('guest:路老师', '签到');
    expect(cardsIn(out)[0]?.status).toBe('应到 4 · 已签到 2 · 请假 0 · 未签到 2 · 列席 1');
    out = await tap('赵磊', '签到'); // a member of another branch is a guest here
    expect(textsIn(out)).toEqual(['赵磊已签到（列席）。']);
  });

  it('asks for a reason for leave, and says who is missing', async () => {
    const card = await begin();
    expect(textsIn(await t.say('陈静', 'sim-lanling', '请假'))).toEqual(['请写上请假原因，例如：请假 外出培训']);
    await t.say('陈静', 'sim-lanling', '请假 家中有事');
    await t.say('张伟', 'sim-lanling', '签到');
    expect(textsIn(await t.click('张伟', card.id, action(card, '未签到名单')))).toEqual([
      '“学习二十大精神”还有 2 人未签到：李敏、王建国',
    ]);
  });

  it("lets only the branch's 书记/支委委员 remind and end; a reminder @-mentions who is missing but the sender", async () => {
    const card = await begin();
    expect(textsIn(await t.click('张伟', card.id, action(card, '结束签到')))[0]).toBe(
      '“结束签到”仅限书记、副书记、支委委员、党小组长或管理员使用。您在名册中的身份是：党员、教师。',
    );
    expect(textsIn(await t.say('张伟', 'sim-lanling', '提醒未签到'))[0]).toBe(
      '“提醒未签到”仅限书记、副书记、支委委员、党小组长或管理员使用。您在名册中的身份是：党员、教师。',
    );
    const res = await t.post('/sim/api/action', { member: '李敏', card: card.id, action: action(card, '提醒未签到') });
    const [reminder] = res.body.outputs;
    expect(reminder?.type === 'text' && reminder.text).toBe(
      '请以下同志尽快签到：@张伟 @王建国 @陈静（您本人也还没有签到，别忘了点“签到”。）',
    );
    expect(reminder?.type === 'text' && reminder.mentions).toEqual(
      (await membersIn(['张伟', '王建国', '陈静'])).map((m) => m.id),
    );
    await t.say('李敏', 'sim-lanling', '签到');
    expect(textsIn(await t.say('李敏', 'sim-lanling', '提醒未签到'))).toEqual([
      '请以下同志尽快签到：@张伟 @王建国 @陈静',
    ]);
  });
});

describe('closing', () => {
  it('closes by 结束签到 with a summary: present, leave with reasons, absent, rate, late arrivals', async () => {
    const card = await begin();
    await t.click('张伟', card.id, action(card, '签到'));
    clock += 15 * 60_000; // 14:15, later than 10 minutes after the start
    await t.say('李敏', 'sim-lanling', '签到');
    await t.say('陈静', 'sim-lanling', '请假 外出培训');
    const out = await t.say('王建国', 'sim-lanling', '结束签到');
    expect(cardsIn(out)[0]?.status).toBe('签到已结束 · 应到 4 · 已签到 2 · 请假 1 · 未签到 1');
    expect(textsIn(out)[0]).toBe(
      [
        '【签到结束】支部党员大会 · 学习二十大精神',
        '时间：11月25日 14:00—14:15',
        '应到 4 人，实到 2 人，请假 1 人，缺席 1 人，到会率 50%',
        '请假：陈静（外出培训）',
        '缺席：王建国',
        '迟到（开始 10 分钟后签到）：李敏（14:15）',
      ].join('\n'),
    );
    expect(textsIn(await t.click('张伟', card.id, action(card, '签到')))).toEqual([
      '这张卡片已关闭：签到已结束 · 应到 4 · 已签到 2 · 请假 1 · 未签到 1。',
    ]);
    expect(textsIn(await t.say('王建国', 'sim-lanling', '会议记录'))[0]).toContain(
      '支部党员大会“学习二十大精神” 实到 2/4，请假 1',
    );
  });

  it('closes at the deadline once, posting the summary to the group, also after a restart', async () => {
    clock = Date.parse('2026-11-25T06:00:00Z');
    const file = join(mkdtempSync(join(tmpdir(), 'zhibu-checkin-')), 'bot.db');
    const before = openSqlite(file);
    await seedDemo(before.db, clock, ACCOUNT_COLUMNS);
    const [wang] = await membersNamed(before.db, '王建国');
    const bot1 = new Assistant({
      db: before.db,
      features: buildFeatures(before.db),
      log: silentLogger,
      platforms: PLATFORMS,
      now: () => new Date(clock),
    });
    const say = (bot: Assistant, text: string, id: string) =>
      bot.answer(
        {
          key: `msg:${id}`,
          message: {
            platform: 'sim',
            chat: { kind: 'group', id: 'sim-lanling' },
            sender: wang?.id ?? '',
            text,
            mentions: [],
            messageId: id,
          },
        },
        (outputs) => ({ body: outputs }),
      );
    await say(bot1, '签到 党课 讲好党史故事 30分钟', 'm1');
    before.close(); // the process stops during the meeting

    clock += 45 * 60_000; // it comes back after the deadline
    const after = openSqlite(file);
    const bot2 = new Assistant({
      db: after.db,
      features: buildFeatures(after.db),
      log: silentLogger,
      platforms: PLATFORMS,
      now: () => new Date(clock),
    });
    expect(await closeDueMeetings(bot2, new Date(clock))).toBe(1);
    expect(await closeDueMeetings(bot2, new Date(clock))).toBe(0);
    const sent = await after.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.platform, 'sim'), eq(outbox.targetId, 'sim-lanling')));
    expect(sent.map((r) => (r.payload as { type: string }).type)).toEqual(['card-update', 'text']);
    expect((sent[1]?.payload as { text: string } | undefined)?.text).toContain('时间：11月25日 14:00—14:30');
    const late = await say(bot2, '签到', 'm2');
    expect(late).toEqual([{ type: 'text', text: '本群现在没有进行中的签到。' }]);
    after.close();
  });
});

describe('starting in one line, as secretaries write it', () => {
  const startWith = async (text: string) => {
    t = await testBot({ now: () => new Date(clock) });
    return t.say('王建国', 'sim-lanling', text);
  };
  const field = (card: SimCard | undefined, label: string) => card?.fields.find((f) => f.label === label)?.value;

  it.each([
    ['签到 党课 学习党章 1小时', '15:00'],
    ['签到 党课 学习党章 二十分钟', '14:20'],
    ['签到 党课 学习党章 半小时', '14:30'],
    ['签到 党课 学习党章 30min', '14:30'],
    ['签到 党课 学习党章 1.5小时', '15:30'],
    ['签到 党课 学习党章 45 分钟', '14:45'],
    ['签到 党课 学习党章一个半小时', '15:30'],
    ['签到 党课 学习党章', '14:30'],
  ])('%s ends at %s, the topic without the duration', async (text, ends) => {
    clock = Date.parse('2026-11-25T06:00:00Z');
    const [card] = cardsIn(await startWith(text));
    expect(field(card, '主题')).toBe('学习党章');
    expect(field(card, '截止')).toBe(ends);
  });

  it.each(['9999分钟', '-5分钟', '0分钟', '3分钟', '11小时'])(
    'refuses %s with the 5–600 minutes rule and starts nothing',
    async (d) => {
      const out = await startWith(`签到 党课 学习党章 ${d}`);
      expect(cardsIn(out)).toEqual([]);
      expect(textsIn(out)[0]).toMatch(/^签到时长请在 5 到 600 分钟之间（您写的是 -?\d+ 分钟）/);
      expect(textsIn(await t.say('张伟', 'sim-lanling', '签到'))).toEqual(['本群现在没有进行中的签到。']);
    },
  );

  it.each([
    ['支部委员会', '支委会'],
    ['支委会', '支委会'],
    ['党员大会', '支部党员大会'],
    ['支部大会', '支部党员大会'],
    ['党小组会议', '党小组会'],
    ['主题党日活动', '主题党日'],
    ['党日', '主题党日'],
    ['专题党课', '党课'],
  ])('knows %s as %s', async (name, type) => {
    const [card] = cardsIn(await startWith(`签到 ${name} 学习党章`));
    expect(card?.title).toBe(`${type} · 签到`);
  });

  it('answers a type without a topic, or a duration alone, with the form to start, preset with what was said', async () => {
    let out = await startWith('签到 支部党员大会');
    let [form] = cardsIn(out);
    expect(form?.title).toBe('发起签到');
    expect(form?.body).toContain('请填写会议主题，点“开始签到”');
    expect(form?.inputs.find((i) => i.name === 'type')?.value).toBe('支部党员大会');
    out = await t.say('王建国', 'sim-lanling', '签到 25分钟');
    [form] = cardsIn(out);
    expect(form?.body).toContain('请选择会议类型、填写主题');
    expect(form?.inputs.find((i) => i.name === 'minutes')?.value).toBe('25');
    const started = await t.click('王建国', form?.id ?? '', 'checkin.start', {
      type: '支委会',
      topic: '研究发展党员',
      minutes: '25',
    });
    expect(field(cardsIn(started)[0], '截止')).toBe('14:25');
  });
});

describe('who is expected, and who sits in', () => {
  it('expects the 支委 at a 支委会; a party member who comes sits in, by name; a 党小组会 says how it counts', async () => {
    t = await testBot({ now: () => new Date(clock) });
    const [card] = cardsIn(await t.say('王建国', 'sim-lanling', '签到 支部委员会 研究发展党员'));
    expect(card?.status).toBe('应到 2 · 已签到 0 · 请假 0 · 未签到 2');
    expect(card?.fields).toContainEqual({ label: '应到', value: '支委（书记、副书记、支委委员）' });
    expect(textsIn(await t.click('张伟', card?.id ?? '', action(card as SimCard, '签到')))).toEqual([
      '张伟已签到（列席）。',
    ]);
    expect(textsIn(await t.say('陈静', 'sim-lanling', '请假 外出'))[0]).toContain('陈静不在这次支委会的应到名单中');
    const out = await t.say('王建国', 'sim-lanling', '结束签到');
    expect(cardsIn(out)[0]?.status).toBe('签到已结束 · 应到 2 · 已签到 0 · 请假 0 · 未签到 2 · 列席 1');
    expect(textsIn(out)[0]).toContain('列席：张伟');

    const [group] = cardsIn(await t.say('王建国', 'sim-lanling', '签到 党小组会 学习党章'));
    expect(group?.fields).toContainEqual({ label: '应到', value: '全体党员（名册未分党小组）' });
    expect(group?.status).toBe('应到 4 · 已签到 0 · 请假 0 · 未签到 4');
  });

  /** The branch divided into 党小组 as an operator does it: the roster exported, its 党小组 column filled in, imported. */
  async function divide(groups: Record<string, string>, roles: Record<string, string> = {}) {
    const [header = [], ...rows] = await exportRoster(t.db, ACCOUNT_COLUMNS);
    const [name, column, role] = [header.indexOf('姓名'), header.indexOf('党小组'), header.indexOf('角色')];
    const edited = rows.map((r) =>
      r.map((c, i) => (i === column ? groups[r[name] ?? ''] : i === role ? roles[r[name] ?? ''] : undefined) ?? c),
    );
    expect((await importRoster(t.db, [header, ...edited], clock, 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
  }

  it("holds a 党小组会 for the starter's 党小组 or a named one, expecting that group; an undivided branch as a whole", async () => {
    t = await testBot({ now: () => new Date(clock) });
    // 延陵小学党支部 is left undivided (the demo divides it).
    await divide(
      { 王建国: '第一党小组', 张伟: '第一党小组', 陈静: '第二党小组', 刘洋: '', 赵磊: '', 孙丽: '' },
      { 赵磊: '党员、教师' },
    );

    const [own] = cardsIn(await t.say('王建国', 'sim-lanling', '签到 党小组会 学习党章'));
    expect(own?.fields).toContainEqual({ label: '会议', value: '党小组会（第一党小组）' });
    expect(own?.fields).toContainEqual({ label: '应到', value: '第一党小组全体党员' });
    expect(own?.status).toBe('应到 2 · 已签到 0 · 请假 0 · 未签到 2');
    expect(textsIn(await t.say('陈静', 'sim-lanling', '签到'))).toEqual(['陈静已签到（列席）。']);
    expect(textsIn(await t.say('王建国', 'sim-lanling', '未签到'))).toEqual([
      '“学习党章”还有 2 人未签到：张伟、王建国',
    ]);
    await t.say('王建国', 'sim-lanling', '结束签到');

    const [named] = cardsIn(await t.say('王建国', 'sim-lanling', '签到 党小组会 第二党小组 交流学习体会'));
    expect(named?.fields).toContainEqual({ label: '主题', value: '交流学习体会' });
    expect(named?.status).toBe('应到 1 · 已签到 0 · 请假 0 · 未签到 1');
    await t.say('陈静', 'sim-lanling', '签到');
    const summary = textsIn(await t.say('王建国', 'sim-lanling', '结束签到'))[0];
    expect(summary).toContain('【签到结束】党小组会（第二党小组） · 交流学习体会');
    expect(summary).toContain('应到 1 人，实到 1 人');

    // Named without a topic: the form's 党小组 picker lists the branch's groups, the named one chosen.
    const [form] = cardsIn(await t.say('王建国', 'sim-lanling', '签到 党小组会 第二党小组'));
    const picker = form?.inputs.find((i) => i.name === 'partyGroup');
    expect(picker).toMatchObject({ label: '党小组（党小组会）', value: '第二党小组' });
    expect(picker?.kind === 'select' && picker.options.map((o) => o.value)).toEqual(['第一党小组', '第二党小组']);
    const fromForm = await t.click('王建国', form?.id ?? '', form?.actions[0]?.id ?? '', {
      type: '党小组会',
      topic: '学习党章',
      minutes: '30',
      partyGroup: picker?.value ?? '',
    });
    expect(cardsIn(fromForm)[0]?.fields).toContainEqual({ label: '应到', value: '第二党小组全体党员' });
    await t.say('王建国', 'sim-lanling', '取消签到');

    expect(textsIn(await t.say('王建国', 'sim-lanling', '签到 党小组会 第三党小组 学习'))).toEqual([
      '本支部没有“第三党小组”。本支部的党小组：第一党小组、第二党小组。例如：签到 党小组会 第一党小组 学习党章',
    ]);
    // 李敏 is in no 党小组: which group's meeting it is must be said.
    expect(textsIn(await t.say('李敏', 'sim-lanling', '签到 党小组会 学习党章'))).toEqual([
      '本支部分了党小组（第一党小组、第二党小组），请写明是哪个党小组的会。例如：签到 党小组会 第一党小组 学习党章',
    ]);
    // 延陵小学党支部 is not divided: its 党小组会 is the whole branch's, as before.
    const [whole] = cardsIn(await t.say('刘洋', 'sim-yanling', '签到 党小组会 第一党小组 学习党章'));
    expect(whole?.fields).toContainEqual({ label: '应到', value: '全体党员（名册未分党小组）' });
    expect(whole?.fields).toContainEqual({ label: '主题', value: '第一党小组 学习党章' });
    expect(whole?.status).toBe('应到 3 · 已签到 0 · 请假 0 · 未签到 3');
  });

  it("lets the demo's 党小组长 try the story in the simulator: 赵磊 holds 延陵小学's 第一党小组 meeting", async () => {
    t = await testBot({ now: () => new Date(clock) });
    const [me] = cardsIn(await t.say('赵磊', 'sim-yanling', '我的信息'));
    expect(me?.fields).toContainEqual({ label: '党小组', value: '第一党小组' });
    // The secretary's form asks whose 党小组会 it is in the divided branch only.
    const [divided] = cardsIn(await t.say('刘洋', 'sim-yanling', '发起签到'));
    expect(divided?.inputs.find((i) => i.name === 'partyGroup')).toMatchObject({ value: '第一党小组' });
    const [whole] = cardsIn(await t.say('王建国', 'sim-lanling', '发起签到'));
    expect(whole?.inputs.map((i) => i.name)).toEqual(['type', 'topic', 'minutes']);
    expect(textsIn(await t.say('赵磊', 'sim-yanling', '签到 支部党员大会 学习党章'))[0]).toContain(
      '您是第一党小组的党小组长',
    );
    const [card] = cardsIn(await t.say('赵磊', 'sim-yanling', '签到 党小组会 学习党章'));
    expect(card?.fields).toContainEqual({ label: '会议', value: '党小组会（第一党小组）' });
    expect(card?.status).toBe('应到 3 · 已签到 0 · 请假 0 · 未签到 3');
  });

  it("lets a 党小组长 hold their own 党小组's meeting, and says what they may start when they ask for another", async () => {
    t = await testBot({ now: () => new Date(clock) });
    // 组长 next to a 党小组 in the roster's 角色 column: 张伟 leads 第一党小组.
    await divide({ 王建国: '第一党小组', 张伟: '第一党小组', 陈静: '第二党小组' }, { 张伟: '组长、党员、教师' });
    const [me] = cardsIn(await t.say('张伟', 'sim-lanling', '我的信息'));
    expect(me?.fields).toContainEqual({ label: '身份', value: '党小组长、党员、教师' });
    expect(me?.fields).toContainEqual({ label: '党小组', value: '第一党小组' });
    const [help] = cardsIn(await t.say('张伟', 'sim-lanling', '帮助'));
    expect(help?.body).toContain(
      '**发起签到**：在支部群里发起会议签到（书记、支委委员；党小组长：本党小组的党小组会）',
    );
    expect(help?.body).toContain('**结束签到**');
    expect(help?.body).not.toContain('导出会议记录');

    const can =
      '您是第一党小组的党小组长，可以发起、结束或取消第一党小组党小组会的签到，例如：签到 党小组会 学习党章 30分钟';
    expect(textsIn(await t.say('张伟', 'sim-lanling', '签到 支部党员大会 学习二十大精神'))).toEqual([
      `支部党员大会的签到由书记、副书记或支委委员负责。${can}`,
    ]);
    expect(textsIn(await t.say('张伟', 'sim-lanling', '签到 支委会'))).toEqual([
      `支委会的签到由书记、副书记或支委委员负责。${can}`,
    ]);
    expect(textsIn(await t.say('张伟', 'sim-lanling', '签到 党小组会 第二党小组 学习'))).toEqual([
      `第二党小组的党小组会由第二党小组的党小组长或书记、副书记或支委委员负责。${can}`,
    ]);
    const [form] = cardsIn(await t.say('张伟', 'sim-lanling', '发起签到'));
    expect(form?.inputs[0]).toMatchObject({ name: 'type', value: '党小组会' });
    expect(form?.body).toContain('您是第一党小组的党小组长，可以发起第一党小组党小组会的签到');
    expect(
      textsIn(await t.click('张伟', form?.id ?? '', 'checkin.start', { type: '主题党日', topic: '重温入党誓词' })),
    ).toEqual([`主题党日的签到由书记、副书记或支委委员负责。${can}`]);
    expect(await t.db.select().from(meetings)).toEqual([]);

    const [own] = cardsIn(await t.say('张伟', 'sim-lanling', '签到 党小组会 学习党章'));
    expect(own?.fields).toContainEqual({ label: '会议', value: '党小组会（第一党小组）' });
    expect(own?.fields).toContainEqual({ label: '应到', value: '第一党小组全体党员' });
    expect(own?.status).toBe('应到 2 · 已签到 0 · 请假 0 · 未签到 2');
    await t.say('张伟', 'sim-lanling', '签到');
    expect(textsIn(await t.say('张伟', 'sim-lanling', '提醒未签到'))).toEqual(['请以下同志尽快签到：@王建国']);
    const summary = textsIn(await t.say('张伟', 'sim-lanling', '结束签到'))[0];
    expect(summary).toContain('【签到结束】党小组会（第一党小组） · 学习党章');
    expect(summary).toContain('应到 2 人，实到 1 人');
    await t.say('张伟', 'sim-lanling', '签到 党小组会 学习党章');
    expect(textsIn(await t.say('张伟', 'sim-lanling', '取消签到'))).toEqual([
      '已取消党小组会“学习党章”的签到，不计入会议记录。需要时请重新发起。',
    ]);

    // The 书记's meeting is not theirs to end or cancel; another group's is not either.
    await t.say('王建国', 'sim-lanling', '签到 支部党员大会 学习二十大精神');
    expect(textsIn(await t.say('张伟', 'sim-lanling', '结束签到'))).toEqual([
      `支部党员大会的签到由书记、副书记或支委委员负责。${can}`,
    ]);
    await t.say('王建国', 'sim-lanling', '取消签到');
    await t.say('王建国', 'sim-lanling', '签到 党小组会 第二党小组 交流学习体会');
    expect(textsIn(await t.say('张伟', 'sim-lanling', '取消签到'))).toEqual([
      `第二党小组的党小组会由第二党小组的党小组长或书记、副书记或支委委员负责。${can}`,
    ]);
  });

  it('shows a guest by name on the card, in the summary and in the workbook', async () => {
    const card = await begin();
    const out = await t.click('guest:王老师', card.id, action(card, '签到'));
    expect(textsIn(out)).toEqual(['王老师已签到（列席）。']);
    const summary = textsIn(await t.say('王建国', 'sim-lanling', '结束签到'))[0];
    expect(summary).toContain('列席：王老师');
    expect(summary).not.toContain('guest:');
    const [org] = await orgsNamed(t.db, '兰陵小学党支部');
    const book = await meetingsWorkbook(t.db, org?.id ?? '', '兰陵小学党支部', 0, clock + 1);
    const guestRow = book.getWorksheet('出勤')?.getRow(6);
    expect([guestRow?.getCell(4).value, guestRow?.getCell(5).value, guestRow?.getCell(9).value]).toEqual([
      '王老师',
      '出席',
      '是',
    ]);
  });

  it('clears the leave reason in the workbook when someone on leave turns up', async () => {
    await begin();
    await t.say('陈静', 'sim-lanling', '请假 外出培训');
    await t.say('陈静', 'sim-lanling', '签到');
    await t.say('王建国', 'sim-lanling', '结束签到');
    const [org] = await orgsNamed(t.db, '兰陵小学党支部');
    const book = await meetingsWorkbook(t.db, org?.id ?? '', '兰陵小学党支部', 0, clock + 1);
    const row = book.getWorksheet('出勤')?.getRow(5);
    expect([row?.getCell(4).value, row?.getCell(5).value, row?.getCell(7).value]).toEqual(['陈静', '出席', '']);
  });
});

describe('cancelling a check-in started by mistake', () => {
  it('cancels at once while nobody has answered; it leaves the record, and a new one can start', async () => {
    const card = await begin();
    expect(textsIn(await t.say('张伟', 'sim-lanling', '取消签到'))[0]).toMatch(/^“取消签到”仅限/);
    const out = await t.say('王建国', 'sim-lanling', '取消签到');
    expect(textsIn(out)).toEqual(['已取消支部党员大会“学习二十大精神”的签到，不计入会议记录。需要时请重新发起。']);
    expect(cardsIn(out)[0]).toMatchObject({ id: card.id, title: '支部党员大会 · 签到（已取消）', actions: [] });
    expect(textsIn(await t.click('张伟', card.id, action(card, '签到')))).toEqual(['这张卡片已关闭：签到已取消。']);
    expect(textsIn(await t.say('王建国', 'sim-lanling', '会议记录'))).toEqual(['本支部还没有会议记录。']);
    const [org] = await orgsNamed(t.db, '兰陵小学党支部');
    const book = await meetingsWorkbook(t.db, org?.id ?? '', '兰陵小学党支部', 0, clock + 1);
    expect(book.getWorksheet('会议')?.rowCount).toBe(2); // title and header only
    const logged = await t.db.select().from(auditLog).where(eq(auditLog.action, 'meeting.cancel'));
    expect(logged.map((l) => l.detail)).toEqual([
      { type: '支部党员大会', topic: '学习二十大精神', startsAt: clock, answered: 0 },
    ]);
    expect(cardsIn(await t.say('王建国', 'sim-lanling', '签到 支部党员大会 学习二十大精神 40分钟'))).toHaveLength(1);
  });

  it('asks to confirm once people have answered; only a 书记 or 支委委员 may confirm', async () => {
    const card = await begin();
    await t.click('张伟', card.id, action(card, '签到'));
    const [confirm] = cardsIn(await t.say('李敏', 'sim-lanling', '取消签到'));
    expect(confirm?.body).toContain('已有 1 人签到或请假');
    const yes = action(confirm as SimCard, '确定取消');
    expect(textsIn(await t.click('张伟', confirm?.id ?? '', yes))[0]).toMatch(/^“取消签到”仅限/);
    const out = await t.click('李敏', confirm?.id ?? '', yes);
    expect(textsIn(out)).toEqual(['已取消支部党员大会“学习二十大精神”的签到，不计入会议记录。需要时请重新发起。']);
    expect(await t.db.select().from(attendance)).toEqual([]);
    expect(textsIn(await t.say('王建国', 'sim-lanling', '取消签到'))).toEqual(['本群现在没有进行中的签到。']);
  });

  it('cannot cancel a meeting that has ended: it is the record', async () => {
    await begin();
    await t.say('王建国', 'sim-lanling', '结束签到');
    expect(textsIn(await t.say('王建国', 'sim-lanling', '取消签到'))).toEqual(['本群现在没有进行中的签到。']);
    expect(textsIn(await t.say('王建国', 'sim-lanling', '会议记录'))[0]).toContain('学习二十大精神');
  });
});

describe('a burst', () => {
  it('records 300 members tapping within seconds, some twice, exactly once each, with the right counts', async () => {
    t = await testBot({ now: () => new Date(clock) });
    const rows = [['组织', '学校', '姓名', '角色']];
    for (let i = 0; i < 300; i++)
      rows.push([
        '天宁区教育工委/大校党支部',
        '大校',
        `党员${String(i).padStart(3, '0')}`,
        i === 0 ? '书记、党员' : '党员',
      ]);
    expect((await importRoster(t.db, rows, clock, 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
    const [org] = await orgsNamed(t.db, '大校党支部');
    await rememberChat(t.db, 'sim', 'sim-big', '大校群', clock);
    await bindChatQuery(t.db, 'sim', 'sim-big', org?.id ?? '', 'test', clock);
    const [card] = cardsIn(await t.say('党员000', 'sim-big', '签到 支部党员大会 年终总结 30分钟'));
    const taps = [];
    for (let i = 0; i < 300; i++) {
      taps.push(t.click(`党员${String(i).padStart(3, '0')}`, card?.id ?? '', action(card as SimCard, '签到')));
      if (i % 3 === 0)
        taps.push(t.click(`党员${String(i).padStart(3, '0')}`, card?.id ?? '', action(card as SimCard, '签到')));
    }
    await Promise.all(taps);
    const records = await t.db.select().from(attendance);
    expect(records).toHaveLength(300);
    expect(new Set(records.map((r) => r.who)).size).toBe(300);
    const out = await t.say('党员000', 'sim-big', '结束签到');
    expect(cardsIn(out)[0]?.status).toBe('签到已结束 · 应到 300 · 已签到 300 · 请假 0 · 未签到 0');
  });
});

describe('the record', () => {
  it('sends a short-lived download link to the record in chat, refusing tampered or expired links', async () => {
    clock = Date.parse('2026-11-25T06:00:00Z');
    t = await testBot({
      now: () => new Date(clock),
      links: { baseUrl: 'http://127.0.0.1:8787', secret: 'a-test-secret-of-length' },
    });
    await t.say('王建国', 'sim-lanling', '签到 支部党员大会 学习二十大精神 30分钟');
    await t.say('王建国', 'sim-lanling', '结束签到');
    expect(textsIn(await t.say('张伟', 'sim-lanling', '导出会议记录'))[0]).toContain('仅限');
    const [reply] = textsIn(await t.say('王建国', 'sim-lanling', '导出会议记录 30天'));
    const url = new URL(reply?.split('\n')[1] ?? '');
    expect(url.pathname).toBe('/files/meetings.xlsx');
    const res = await t.app.request(`${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.getWorksheet('会议')?.getRow(3).getCell(5).text).toBe('学习二十大精神');
    const forged = url.search.replace(/org=[^&]+/, 'org=o_other');
    expect((await t.app.request(`${url.pathname}${forged}`)).status).toBe(403);
    clock += 16 * 60_000;
    expect((await t.app.request(`${url.pathname}${url.search}`)).status).toBe(403);
  });

  it('exports the meetings and the attendance as a workbook', async () => {
    const card = await begin();
    await t.click('张伟', card.id, action(card, '签到'));
    await t.say('陈静', 'sim-lanling', '请假 外出培训');
    await t.say('王建国', 'sim-lanling', '结束签到');
    const [org] = await orgsNamed(t.db, '兰陵小学党支部');
    const book = await meetingsWorkbook(t.db, org?.id ?? '', '兰陵小学党支部', 0, clock + 1);
    const file = join(mkdtempSync(join(tmpdir(), 'zhibu-export-')), 'out.xlsx');
    await book.xlsx.writeFile(file);
    const read = new ExcelJS.Workbook();
    await read.xlsx.readFile(file);
    const rows = (name: string) =>
      (read.getWorksheet(name)?.getSheetValues() ?? []).filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows('会议')[1]).toEqual([
      '日期',
      '开始',
      '结束',
      '会议类型',
      '主题',
      '应到',
      '实到',
      '请假',
      '缺席',
      '到会率',
    ]);
    expect(rows('会议')[2]).toEqual([
      '2026-11-25',
      '14:00',
      '14:00',
      '支部党员大会',
      '学习二十大精神',
      4,
      1,
      1,
      2,
      0.25,
    ]);
    expect(read.getWorksheet('会议')?.getCell('J3').numFmt).toBe('0%');
    const people = rows('出勤').slice(1);
    expect(people.map((p) => [p[3], p[4], p[6]])).toEqual([
      ['张伟', '出席', ''],
      ['李敏', '缺席', ''],
      ['王建国', '缺席', ''],
      ['陈静', '请假', '外出培训'],
    ]);
  });
});
