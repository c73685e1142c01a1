// Meeting check-in through the simulator: the same router, handlers and storage as the platforms.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { meetingsWorkbook } from '../bot/cli/meetings-workbook';
import { Bot } from '../bot/core/bot';
import { silentLogger } from '../bot/core/log';
import type { SimCard } from '../cards/render/sim';
import { closeDueMeetings } from '../cron/meetings';
import { buildFeatures } from '../handlers';
import { bindChatQuery, rememberChat } from '../storage/chats';
import { seedDemo } from '../storage/demo';
import { orgsNamed } from '../storage/orgs';
import { membersNamed } from '../storage/people';
import { importRoster } from '../storage/roster';
import { attendance, outbox } from '../storage/schema';
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

describe('starting a check-in', () => {
  it('posts the card with type, topic, times, buttons and the live line', async () => {
    const card = await begin();
    expect(card.title).toBe('支部党员大会 · 签到');
    expect(card.fields).toEqual([
      { label: '会议', value: '支部党员大会' },
      { label: '主题', value: '学习二十大精神' },
      { label: '开始', value: '11月25日 14:00' },
      { label: '截止', value: '14:30' },
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
    expect(textsIn(await t.say('张伟', 'sim-lanling', '签到 党课 讲党史'))[0]).toMatch(/^发起签到仅限/);
    expect(textsIn(await t.say('王建国', 'sim-lanling', '签到 党课 讲党史'))[0]).toContain('本群已有进行中的签到');
    expect(textsIn(await t.say('王建国', 'sim-teachers', '签到 党课 讲党史'))[0]).toContain('本群还没有绑定支部');
    expect(textsIn(await t.say('王建国', 'sim-lanling', '签到 例会 学习'))[0]).toContain('会议类型“例会”不对');
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

  it("lets only the branch's 书记/支委委员 remind and end; a reminder @-mentions who is missing", async () => {
    const card = await begin();
    expect(textsIn(await t.click('张伟', card.id, action(card, '结束签到')))[0]).toContain('仅限');
    const res = await t.post('/sim/api/action', { member: '李敏', card: card.id, action: action(card, '提醒未签到') });
    const [reminder] = res.body.outputs;
    expect(reminder?.type === 'text' && reminder.text).toBe('请以下同志尽快签到：@张伟 @李敏 @王建国 @陈静');
    expect(reminder?.type === 'text' && reminder.mentions).toHaveLength(4);
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
      '这个按钮已失效，请使用最新的卡片。',
    ]);
    expect(textsIn(await t.say('王建国', 'sim-lanling', '会议记录'))[0]).toContain(
      '支部党员大会“学习二十大精神” 实到 2/4，请假 1',
    );
  });

  it('closes at the deadline once, posting the summary to the group, also after a restart', async () => {
    clock = Date.parse('2026-11-25T06:00:00Z');
    const file = join(mkdtempSync(join(tmpdir(), 'zhibu-checkin-')), 'bot.db');
    const before = openSqlite(file);
    await seedDemo(before.db, clock);
    const [wang] = await membersNamed(before.db, '王建国');
    const bot1 = new Bot({
      db: before.db,
      features: buildFeatures(before.db),
      log: silentLogger,
      now: () => new Date(clock),
    });
    const say = (bot: Bot, text: string, id: string) =>
      bot.onMessage({
        platform: 'sim',
        chat: { kind: 'group', id: 'sim-lanling' },
        sender: wang?.id ?? '',
        text,
        mentions: [],
        messageId: id,
      });
    await say(bot1, '签到 党课 讲好党史故事 30分钟', 'm1');
    before.close(); // the process stops during the meeting

    clock += 45 * 60_000; // it comes back after the deadline
    const after = openSqlite(file);
    const bot2 = new Bot({
      db: after.db,
      features: buildFeatures(after.db),
      log: silentLogger,
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
    expect((await importRoster(t.db, rows, clock, 'test')).ok).toBe(true);
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
      '25%',
    ]);
    const people = rows('出勤').slice(1);
    expect(people.map((p) => [p[3], p[4], p[6]])).toEqual([
      ['张伟', '出席', ''],
      ['李敏', '缺席', ''],
      ['王建国', '缺席', ''],
      ['陈静', '请假', '外出培训'],
    ]);
  });
});
