// 自查 forms: definitions as data, the grading sheet's scoring, and the whole loop on the
// simulator — a branch fills the 27-item sheet through cards, submits, the superior reviews,
// both get the grade, the branch gets a pre-filled 整改表.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadFormsDir } from '../bot/cli/rule-files';
import { drainOutbox } from '../bot/core/delivery';
import { silentLogger } from '../bot/core/log';
import type { SimCard, SimOutput } from '../bot/sim/cards';
import { simSender } from '../bot/sim/sender';
import type { PlatformId } from '../cards/message';
import { runReminders } from '../cron/reminders';
import { checkOpens, type Duty } from '../domain/duties';
import { itemsOf } from '../domain/forms';
import { finalOf, gradeOf, scoreOf, vetoesOf } from '../domain/scoring';
import { selfcheckWorkbook } from '../handlers/selfcheck/workbook';
import { latestEntries } from '../storage/form-entries';
import { outbox } from '../storage/schema';
import { cardsIn, presetDuties, testBot, textsIn } from './helpers/bot';

const FORMS = loadFormsDir('data/forms');
const GRADING = FORMS.find((f) => f.id === 'grading');
if (!GRADING?.scoring) throw new Error('the grading sheet is not shipped');
const SCORING = GRADING.scoring;
/** The 自评得分 column as filled in attachment 1 (item 27: 18 of 20 points, a 90% rate). */
const EXAMPLE = JSON.parse(readFileSync('tests/fixtures/附件1-自评得分.json', 'utf8')) as Record<string, string>;
const example = Object.fromEntries(Object.entries(EXAMPLE).map(([k, v]) => [k, String(v)]));

describe('form definitions', () => {
  it('ships attachment 1 as 5 sections of 27 items worth 100 points, item 27 as 20 × 满意率', () => {
    const scored = GRADING.sections.filter((s) => s.max !== undefined);
    expect(scored.map((s) => `${s.title} ${s.max}`)).toEqual([
      '领导班子好 20',
      '党员队伍好 15',
      '工作机制好 20',
      '工作业绩好 25',
      '群众反映好 20',
    ]);
    const items = scored.flatMap((s) => s.items);
    expect(items).toHaveLength(27);
    expect(items.reduce((sum, i) => sum + (i.max ?? 0), 0)).toBe(100);
    expect(items[26]).toMatchObject({ type: 'rate', max: 20 });
    expect(items[17]?.text).toBe('18．党支部活动经费、时间、场所、设施有保障，经费列入学校预算，实行专项列支。');
    expect(FORMS.map((f) => f.id).sort()).toEqual(['grading', 'rectification', 'survey']);
  });

  it('refuses a malformed form file naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-forms-'));
    const bad = structuredClone(GRADING) as { sections: { items: { max?: number }[] }[] };
    (bad.sections[0]?.items[0] as { max?: number }).max = 2; // the section still says 20
    writeFileSync(join(dir, 'mine.json'), JSON.stringify(bad));
    expect(() => loadFormsDir(dir)).toThrow(`表单文件 ${join(dir, 'mine.json')}：字段 sections.0.max：各题分值合计 19`);
    writeFileSync(
      join(dir, 'mine.json'),
      JSON.stringify({
        ...GRADING,
        sections: [{ id: 'a', title: 'x', items: [{ id: 'q', text: 'y', type: 'score' }] }],
      }),
    );
    expect(() => loadFormsDir(dir)).toThrow('字段 sections.0.items.0.max：分值题（score / rate）需要 max');
    writeFileSync(join(dir, 'mine.json'), '{');
    expect(() => loadFormsDir(dir)).toThrow('不是有效的 JSON');
    // Two files, one id; and a duty that opens a form nobody has (both runtimes check these).
    writeFileSync(join(dir, 'mine.json'), JSON.stringify(GRADING));
    writeFileSync(join(dir, 'yours.json'), JSON.stringify(GRADING));
    expect(() => loadFormsDir(dir)).toThrow(`表单文件夹 ${dir}：表单 id "grading" 定义了两次`);
    const opensNothing = presetDuties().map((d) => (d.opens ? { ...d, opens: 'nope' } : d));
    expect(
      checkOpens(
        opensNothing,
        FORMS.map((f) => f.id),
      ),
    ).toMatch(/字段 opens：没有 id 为 "nope" 的自查表/);
    expect(
      checkOpens(
        presetDuties(),
        FORMS.map((f) => f.id),
      ),
    ).toBeNull();
  });

  it('takes a deployment’s own form from a file, with no code change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-forms-'));
    const ledger = {
      id: 'ledger',
      title: '党建工作台账自查',
      basis: { doc: '000_f2ea2df98cfd2a4c.txt', quote: '年初建账、年中查账、年底交账' },
      sections: [
        {
          id: 'a',
          title: '建账',
          items: [{ id: 'plan', text: '年初是否建立台账', type: 'choice', options: ['是', '否'] }],
        },
      ],
    };
    writeFileSync(join(dir, 'ledger.json'), JSON.stringify(ledger));
    expect(loadFormsDir(dir).map((f) => f.title)).toEqual(['党建工作台账自查']);
  });
});

describe('scoring by the sheet’s rules', () => {
  it('computes attachment 1’s own example: 89 (the document’s summary says 86; the bot never copies a total)', () => {
    const scored = scoreOf(GRADING, example);
    expect(scored.sections.map((s) => s.points)).toEqual([20, 14, 15, 22, 18]);
    expect(scored.total).toBe(89);
    expect(gradeOf(SCORING, scored.total, vetoesOf(SCORING, example, scored.sections)).grade).toBe('较好');
  });

  it('rounds to whole points before grading: 90 and 89.6 先进, 89.4 and 74.5 较好, 74.4 一般, 59.4 后进', () => {
    const grade = (n: number) => gradeOf(SCORING, n, []).grade;
    expect([90, 89.6, 89.5, 89.4, 75, 74.5, 74.4, 60, 59.5, 59.4].map(grade)).toEqual([
      '先进',
      '先进',
      '先进',
      '较好',
      '较好',
      '较好',
      '一般',
      '一般',
      '一般',
      '后进',
    ]);
    expect(finalOf(SCORING, 86, 80)).toBe(82.4);
    expect(finalOf(SCORING, 90, 90)).toBe(90);
    expect(finalOf(SCORING, 89, 90)).toBe(89.6);
  });

  it('makes any veto 后进 whatever the score, and 群众反映好 below 12 (a 55% rate is 11 points) is one', () => {
    const full = Object.fromEntries(
      itemsOf(GRADING).map((i) => [i.id, i.type === 'rate' ? '100' : String(i.max ?? '否')]),
    );
    for (const veto of ['punished', 'disunited', 'inactive']) {
      const answers = { ...full, punished: '否', disunited: '否', inactive: '否', [veto]: '是' };
      const scored = scoreOf(GRADING, answers);
      expect(scored.total).toBe(100);
      const v = vetoesOf(SCORING, answers, scored.sections);
      expect(gradeOf(SCORING, 100, v)).toMatchObject({ grade: '后进', why: expect.stringContaining('直接定为后进') });
    }
    const low = { ...full, punished: '否', disunited: '否', inactive: '否', i27: '55' };
    const scored = scoreOf(GRADING, low);
    expect(scored.sections[4]?.points).toBe(11);
    expect(vetoesOf(SCORING, low, scored.sections)).toEqual(['“群众反映好”得分低于12分']);
    const sixty = { ...low, i27: '60' };
    expect(vetoesOf(SCORING, sixty, scoreOf(GRADING, sixty).sections)).toEqual([]);
  });
});

/** A bot whose notifications land in the simulator inboxes. */
async function simBot(dbPath?: string, links?: { baseUrl: string; secret: string }, channels: PlatformId[] = ['sim']) {
  let clock = Date.parse('2026-11-25T10:00+08:00');
  const t = await testBot({
    channels,
    now: () => new Date(clock),
    ...(dbPath ? { dbPath } : {}),
    ...(links ? { links } : {}),
  });
  /** What a member received one to one since the last look. */
  const seen = new Map<string, number>();
  async function inbox(member: string): Promise<SimOutput[]> {
    await drainOutbox(t.db, { sim: simSender(t.db) }, () => clock, silentLogger);
    const res = await t.app.request(`/sim/api/inbox?member=${encodeURIComponent(member)}`);
    const all = ((await res.json()) as { messages: SimOutput[] }).messages;
    const from = seen.get(member) ?? 0;
    seen.set(member, all.length);
    return all.slice(from);
  }
  const press = (who: string, card: SimCard | undefined, label: string, values: Record<string, unknown> = {}) => {
    const action = card?.actions.find((a) => a.label === label)?.id;
    if (!card || !action) throw new Error(`no “${label}” on ${card?.title}`);
    return t.click(who, card.id, action, values);
  };
  /** Fills each page from `answers` with 下一步 until the 提交 page; returns that page's card. */
  async function fillAll(who: string, first: SimCard, answers: Record<string, string>): Promise<SimCard> {
    let card = first;
    for (let guard = 0; guard < 40; guard++) {
      const values = Object.fromEntries(
        card.inputs.filter((i) => answers[i.name] !== undefined).map((i) => [i.name, answers[i.name]]),
      );
      if (card.actions.some((a) => a.label === '提交' || a.label === '提交考评'))
        return { ...card, inputs: card.inputs.map((i) => ({ ...i, value: values[i.name] })) } as SimCard;
      const next = cardsIn(await press(who, card, '下一步', values)).find((c) => c.inputs.length > 0);
      if (!next) throw new Error(`下一步 gave no page after ${card.title}`);
      card = next;
    }
    throw new Error('too many pages');
  }
  return {
    ...t,
    inbox,
    press,
    fillAll,
    set: (iso: string) => {
      clock = Date.parse(iso);
    },
  };
}

const valuesOn = (card: SimCard, answers: Record<string, string>) =>
  Object.fromEntries(card.inputs.filter((i) => answers[i.name] !== undefined).map((i) => [i.name, answers[i.name]]));

describe('filling the grading sheet through cards (simulator)', () => {
  it('goes section by section, refuses bad scores, submits, is reviewed, and grades both sides', async () => {
    const t = await simBot();
    expect(textsIn(await t.say('张伟', 'direct', '自查'))[0]).toContain('书记');
    const [menu] = cardsIn(await t.say('王建国', 'direct', '自查'));
    expect(menu?.body).toContain('中小学校党支部分类定级评分（2026）：未开始');
    const [first] = cardsIn(await t.press('王建国', menu, '分类定级评分'));
    expect(first?.title).toBe('自查 · 领导班子好（20分）');
    expect(first?.status).toBe('第 1/6 部分 · 已填 0/30 项');
    expect(first?.inputs).toHaveLength(7);
    // Each input by the item's words to the first pause, and its points.
    expect(first?.inputs.slice(0, 2).map((i) => i.label)).toEqual([
      '领导班子健全（3分）',
      '党支部书记具有中级（含）以上教师职称（3分）',
    ]);

    // Nothing chosen: 下一步 says what is missing; someone else cannot touch the card.
    expect(textsIn(await t.press('王建国', first, '下一步'))[0]).toMatch(
      /^请先填写：领导班子健全（3分）、党支部书记具有中级（含）以上教师职称（3分）、/,
    );
    expect(textsIn(await t.press('张伟', first, '暂存', { i1: '3' }))[0]).toBe(
      '只有本支部的书记（或支委委员代填）可以填写中小学校党支部分类定级评分。',
    );
    const second = cardsIn(await t.press('王建国', first, '下一步', valuesOn(first as SimCard, example)))[0];
    expect(second?.title).toBe('自查 · 党员队伍好（15分）');
    expect(second?.status).toBe('第 2/6 部分 · 已填 7/30 项');
    // 上一步 keeps what was chosen.
    const back = cardsIn(await t.press('王建国', second, '上一步'))[0];
    expect(back?.inputs[0]).toMatchObject({ name: 'i1', value: '3' });

    const last = await t.fillAll('王建国', back as SimCard, example);
    expect(last.title).toBe('自查 · 直接定为后进的情形');
    // The veto questions, whole.
    expect(last.inputs.map((i) => i.label)).toEqual([
      '所管理的党员近一年受到刑事处罚、行政处罚、校纪校规处分',
      '领导班子不团结',
      '一年以上没有开展活动',
    ]);
    // Back on the 群众反映好 page: a rate is a percentage, 0–100.
    const massPage = cardsIn(await t.press('王建国', last, '上一步'))[0];
    const rate = '在教师、学生、家长满意度测评中满意率较高（满意率 %）';
    expect(massPage?.inputs[0]).toMatchObject({ kind: 'text', label: rate, value: '90' });
    expect(textsIn(await t.press('王建国', massPage, '下一步', { i27: '120' }))[0]).toBe(
      `“${rate}”是百分比，最多 100。`,
    );
    expect(textsIn(await t.press('王建国', massPage, '下一步', { i27: '-5' }))[0]).toBe(`“${rate}”不能是负数。`);
    // 0.8 may be 80% or 0.8%: asked back, and nothing is kept.
    expect(textsIn(await t.press('王建国', massPage, '下一步', { i27: '0.8' }))).toEqual([
      `“${rate}”填的是 0.8：是 80% 吗？是的话请填 80；如果确实只有 0.8%，请填 0.8%。`,
    ]);
    expect((await latestEntries(t.db, 'grading', '2026'))[0]?.answers.i27).toBe('90');
    const vetoPage = cardsIn(await t.press('王建国', massPage, '下一步', { i27: '九成' }))[0] as SimCard;
    expect((await latestEntries(t.db, 'grading', '2026'))[0]?.answers.i27).toBe('90');

    const submitted = await t.press('王建国', vetoPage, '提交', { punished: '否', disunited: '否', inactive: '否' });
    const result = cardsIn(submitted).find((c) => c.title.includes('（2026）'));
    expect(result?.body).toContain('**自评总分：89分**');
    expect(result?.body).toContain('按自评初定：较好（75—89分为较好）');
    expect(result?.status).toBe('待考评 · 第 1 版');
    expect(textsIn(submitted)).toContain('已送周红考评。');
    // Submitted is locked.
    expect(
      textsIn(await t.press('王建国', vetoPage, '提交', { punished: '否', disunited: '否', inactive: '否' }))[0],
    ).toBe('这张卡片已关闭：已提交。');

    // The review: 工委 has no 书记, so its admin 周红 reviews; 吴刚 may not.
    const [intro, reviewCard] = await t.inbox('周红');
    expect(intro).toMatchObject({
      type: 'text',
      text: expect.stringContaining('兰陵小学党支部提交了中小学校党支部分类定级评分（自评 89 分）'),
    });
    const review = (reviewCard as { card: SimCard }).card;
    expect(review.title).toBe('考评 · 领导班子好（20分）');
    expect(review.body).toContain('自评：3分');
    expect(review.actions.map((a) => a.label)).toEqual(['下一步', '暂存', '全部采纳自评', '按部分打分']);
    expect(textsIn(await t.press('吴刚', review, '全部采纳自评'))[0]).toBe(
      '只有上级党组织的书记（或管理员）可以考评。',
    );
    // 周红 lowers items 1 and 2 and closes the card with 暂存; 考评 or 自查情况 bring her back to it.
    await t.press('周红', review, '暂存', { i1: '2', i2: '2' });
    const [waiting] = cardsIn(await t.say('周红', 'direct', '考评'));
    expect(waiting?.body).toMatch(
      /^- 兰陵小学党支部：中小学校党支部分类定级评分（2026，第 1 版），自评 89 分，2026-11-25 提交，已考评一部分$/,
    );
    const [board] = cardsIn(await t.say('周红', 'direct', '自查情况'));
    expect(board?.actions.map((a) => a.label)).toEqual(['考评 兰陵小学党支部']);
    expect(textsIn(await t.say('吴刚', 'direct', '考评'))[0]).toMatch(/^“考评”仅限书记或管理员使用/);
    expect(textsIn(await t.say('王建国', 'direct', '考评'))[0]).toMatch(/^没有等您考评的自查表/);
    const [reopened] = cardsIn(await t.press('周红', waiting, '考评 兰陵小学党支部'));
    expect(reopened?.title).toBe('考评 · 领导班子好（20分）');
    expect(reopened?.inputs.slice(0, 3).map((i) => i.value)).toEqual(['2', '2', '3']);
    const next = cardsIn(await t.press('周红', reopened, '下一步'))[0] as SimCard;
    let page = next;
    while (!page.actions.some((a) => a.label === '提交考评'))
      page = cardsIn(await t.press('周红', page, '下一步'))[0] as SimCard;
    const reviewed = await t.press('周红', page, '提交考评');
    const final = cardsIn(reviewed).find((c) => c.title.includes('（2026）'));
    expect(final?.body).toContain('**考评总分：87分**');
    expect(final?.body).toContain('**最后得分 = 89 × 40% + 87 × 60% = 87.8分，定为“较好”**');
    const toBranch = await t.inbox('王建国');
    expect(cardsIn(toBranch)[0]?.body).toContain('最后得分 = 89 × 40% + 87 × 60% = 87.8分');

    // The 整改表, pre-filled with the items that lost points.
    expect(textsIn(toBranch)[0]).toContain('已为您预填整改表');
    const plan = cardsIn(toBranch)[1] as SimCard;
    const problems = plan.inputs.find((i) => i.name === 'problems')?.value as string;
    expect(problems.split('；')).toHaveLength(9);
    expect(problems).toMatch(
      /^领导班子健全，团结协作，能充分发挥政治核心作用，保证监督党的路线方针政策和国家法律法规在学校的贯彻执行（第1项，得2分，满分3分）；党支部书记具有中级/,
    );
    expect(problems).toMatch(/；在教师、学生、家长满意度测评中满意率较高（第27项，得18分，满分20分）$/);
    expect(plan.inputs.find((i) => i.name === 'contact')?.value).toBe('周红'); // 兰陵小学 is her 联系点
    expect(
      textsIn(await t.press('王建国', plan, '提交', { measures: '健全民主评议制度', deadline: '2026-10' }))[0],
    ).toBe('“完成整改时间” 2026-10 已经过去了。');
    const filed = await t.press('王建国', plan, '提交', { measures: '健全民主评议制度', deadline: '2027年3月' });
    expect(textsIn(filed)).toEqual(['整改表已提交，到期前会提醒您确认完成情况。']);

    // The deadline month's first workday (2027-03-01, a Monday), then the first after it.
    t.set('2027-02-26T10:00+08:00');
    expect(await runReminders(t.bot, [], new Date('2027-02-26T10:00+08:00'))).toBe(0);
    expect(await runReminders(t.bot, [], new Date('2027-03-01T09:00+08:00'))).toBe(1);
    expect(await runReminders(t.bot, [], new Date('2027-03-02T09:00+08:00'))).toBe(0);
    const [due] = cardsIn(await t.inbox('王建国'));
    expect(due?.title).toBe('整改提醒：本月到期');
    expect(due?.body).toContain('健全民主评议制度');
    expect(due?.status).toBe('定点联系人：周红');
    t.set('2027-03-02T10:00+08:00');
    expect(textsIn(await t.press('王建国', due, '已完成整改'))).toEqual(['已记录整改完成。']);
    expect(await runReminders(t.bot, [], new Date('2027-04-01T09:00+08:00'))).toBe(0);

    t.set('2026-11-26T10:00+08:00');
    const [after] = cardsIn(await t.say('周红', 'direct', '自查情况'));
    expect(after?.body).toBe('- 兰陵小学党支部：已定级，最后得分 87.8，较好\n- 延陵小学党支部：未开始');
    const [sheet] = cardsIn(await t.press('周红', after, '查看 兰陵小学党支部'));
    expect(sheet?.body).toContain('最后得分 = 89 × 40% + 87 × 60% = 87.8分');
    expect(textsIn(await t.say('周红', 'direct', '考评'))[0]).toMatch(/^没有等您考评的自查表/);

    // The yearly reminder (a duty that opens the form) goes only to branches that have not submitted.
    const preset = presetDuties().find((d) => d.id === 'grading-selfcheck') as Duty;
    expect(preset.opens).toBe('grading');
    const late: Duty = { ...preset, stages: [{ name: 'late', on: '11-20', lead: '分类定级自查尚未提交' }] };
    expect(await runReminders(t.bot, [late], new Date('2026-11-26T10:00+08:00'))).toBe(1);
    const [nudge] = cardsIn(await t.inbox('刘洋'));
    expect(nudge?.body).toContain('连同附件1、2、3送至局组织科');
    const [opened] = cardsIn(await t.press('刘洋', nudge, '开始自查'));
    expect(opened?.title).toBe('自查 · 领导班子好（20分）');

    // The export, laid out like attachments 1 and 3.
    const book = await selfcheckWorkbook(
      t.db,
      GRADING,
      FORMS.find((f) => f.id === 'rectification'),
      '2026',
    );
    const file = join(mkdtempSync(join(tmpdir(), 'zhibu-export-')), 'selfcheck.xlsx');
    await book.xlsx.writeFile(file);
    const read = new ExcelJS.Workbook();
    await read.xlsx.readFile(file);
    const row = (sheet: string, n: number) =>
      ((read.getWorksheet(sheet)?.getRow(n).values ?? []) as unknown[]).slice(1);
    expect(read.worksheets.map((w) => w.name)).toEqual(['汇总', '兰陵小学党支部', '延陵小学党支部']);
    expect(row('汇总', 3)).toEqual(['兰陵小学党支部', '已定级', 89, 87, 87.8, '较好', '', '已完成']);
    expect(row('汇总', 4)).toEqual(['延陵小学党支部', '填写中', '', '', '', '', '', '']);
    expect(row('兰陵小学党支部', 2)).toEqual(['项目', '具体内容', '分值', '自评得分', '考评得分']);
    expect(row('兰陵小学党支部', 3)).toEqual(['领导班子好\n20分', GRADING.sections[0]?.items[0]?.text, '3分', 3, 2]);
    expect(row('兰陵小学党支部', 29)).toEqual(['群众反映好\n20分', expect.stringMatching(/^27．/), '20分', 18, 18]);
    expect(row('兰陵小学党支部', 33)).toEqual(['合计', '', '100分', 89, 87]);
    const rest = read.getWorksheet('兰陵小学党支部')?.getSheetValues().slice(35) as unknown[][];
    expect(rest.map((r) => r.slice(1, 3))).toContainEqual(['主要整改措施', '健全民主评议制度']);
    t.close();
  });

  it('takes a review as one score per section, and a low 群众反映好 makes the grade 后进', async () => {
    const t = await simBot();
    const [menu] = cardsIn(await t.say('刘洋', 'direct', '自查'));
    const [first] = cardsIn(await t.press('刘洋', menu, '分类定级评分'));
    const last = await t.fillAll('刘洋', first as SimCard, example);
    await t.press('刘洋', last, '提交', { punished: '否', disunited: '否', inactive: '否' });
    const review = cardsIn(await t.inbox('周红'))[0] as SimCard;
    const [bySection] = cardsIn(await t.press('周红', review, '按部分打分'));
    expect(bySection?.inputs.map((i) => `${i.label}=${i.value}`)).toEqual([
      '领导班子好（20分）=20',
      '党员队伍好（15分）=14',
      '工作机制好（20分）=15',
      '工作业绩好（25分）=22',
      '群众反映好（20分）=18',
    ]);
    const values = Object.fromEntries((bySection?.inputs ?? []).map((i) => [i.name, String(i.value)]));
    expect(textsIn(await t.press('周红', bySection, '提交考评', { ...values, s_leadership: '21' }))[0]).toBe(
      '“领导班子好”最多 20 分，不能填 21。',
    );
    const done = await t.press('周红', bySection, '提交考评', { ...values, s_mass: '11' });
    const final = cardsIn(done).find((c) => c.title.includes('（2026）'));
    expect(final?.body).toContain('**最后得分 = 89 × 40% + 82 × 60% = 84.8分，定为“后进”**');
    expect(final?.body).toContain('直接定为后进：“群众反映好”得分低于12分');
    const plan = cardsIn(await t.inbox('刘洋')).find((c) => c.inputs.some((i) => i.name === 'problems'));
    expect(plan?.inputs.find((i) => i.name === 'problems')?.value).toContain('群众反映好（考评 11分，低于自评）');
    t.close();
  });

  it('builds the review card for the platform it goes to: 3 items a card for a reviewer on WeCom', async () => {
    const t = await simBot(undefined, undefined, ['wecom', 'sim']);
    const [menu] = cardsIn(await t.say('刘洋', 'direct', '自查'));
    const [first] = cardsIn(await t.press('刘洋', menu, '分类定级评分'));
    expect(first?.inputs).toHaveLength(7); // the simulator takes a section a card
    const last = await t.fillAll('刘洋', first as SimCard, example);
    await t.press('刘洋', last, '提交', { punished: '否', disunited: '否', inactive: '否' });
    const [row] = (await t.db.select().from(outbox)).filter(
      (r) => r.key.startsWith('selfcheck-review:') && r.key.endsWith('#1'),
    );
    expect(row).toMatchObject({ platform: 'wecom', targetId: 'zhouhong' });
    const card = (row?.payload as { card?: { inputs: unknown[]; status: string } } | undefined)?.card;
    expect(card?.inputs).toHaveLength(3);
    expect(card?.status).toBe('第 1/6 部分 · 已填 30/30 项');
    t.close();
  });

  it('keeps a draft across a restart and lets a submitted version be corrected as a new one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhibu-selfcheck-')), 'bot.db');
    const a = await simBot(file);
    const [menu] = cardsIn(await a.say('刘洋', 'direct', '自查'));
    const [first] = cardsIn(await a.press('刘洋', menu, '分类定级评分'));
    await a.press('刘洋', first, '下一步', valuesOn(first as SimCard, example));
    a.close();

    const b = await simBot(file);
    const [again] = cardsIn(await b.say('刘洋', 'direct', '自查'));
    expect(again?.body).toContain('中小学校党支部分类定级评分（2026）：填写中');
    const [resumed] = cardsIn(await b.press('刘洋', again, '分类定级评分'));
    expect(resumed?.title).toBe('自查 · 党员队伍好（15分）');
    expect(resumed?.status).toBe('第 2/6 部分 · 已填 7/30 项');
    const last = await b.fillAll('刘洋', resumed as SimCard, example);
    await b.press('刘洋', last, '提交', { punished: '否', disunited: '否', inactive: '是' });
    const [menu2] = cardsIn(await b.say('刘洋', 'direct', '自查'));
    const [locked] = cardsIn(await b.press('刘洋', menu2, '分类定级评分'));
    expect(locked?.body).toContain('按自评初定：后进（直接定为后进：一年以上没有开展活动）');
    const amended = await b.press('刘洋', locked, '更正（新版本）');
    expect(textsIn(amended)[0]).toBe('第 2 版可以修改了（第 1 版保留不变），改好后重新提交。');
    const [v2] = cardsIn(amended);
    expect(v2?.status).toBe('第 1/6 部分 · 已填 30/30 项');
    // Version 1 is replaced: its review card no longer takes a review.
    const review = cardsIn(await b.inbox('周红'))[0] as SimCard;
    expect(textsIn(await b.press('周红', review, '全部采纳自评'))[0]).toBe(
      '这份中小学校党支部分类定级评分已更正为新版本，请使用新版本的考评卡片。',
    );
    b.close();
  });

  it('offers the whole form as a web page that shares the draft with the cards', async () => {
    const t = await simBot(undefined, { baseUrl: 'http://bot.test', secret: 'web-form-secret' });
    const [menu] = cardsIn(await t.say('刘洋', 'direct', '自查'));
    const opened = await t.press('刘洋', menu, '分类定级评分');
    const url = textsIn(opened)[0]?.match(/http:\/\/bot\.test\S+/)?.[0] ?? '';
    expect(url).toContain('/forms/fill?');
    const path = url.replace('http://bot.test', '');
    const html = await (await t.app.request(path)).text();
    expect(html.match(/<select /g)).toHaveLength(29); // 26 scores, 3 veto questions; item 27 is a text field
    expect(html).toContain('【领导班子好 20分】1．领导班子健全');
    const post = async (fields: Record<string, string>, button: number) => {
      const body = new URLSearchParams({ ...fields, button: String(button) });
      const res = await t.app.request(path, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      return res.text();
    };
    // A forged score is refused and nothing is kept.
    expect(await post({ i1: '9' }, 1)).toContain('没有“9”这个选项');
    expect((await latestEntries(t.db, 'grading', '2026'))[0]?.answers).toEqual({});
    // 暂存 on the page, then the chat card carries on from the same draft.
    const firstTwoSections = Object.fromEntries(Object.entries(example).filter(([k]) => Number(k.slice(1)) <= 14));
    expect(await post(firstTwoSections, 1)).toContain('已暂存');
    const [again] = cardsIn(await t.say('刘洋', 'direct', '自查'));
    const [resumed] = cardsIn(await t.press('刘洋', again, '分类定级评分'));
    expect(resumed?.title).toBe('自查 · 工作机制好（20分）');
    // Back on the page: everything, and 提交.
    const done = await post({ ...example, punished: '否', disunited: '否', inactive: '否' }, 0);
    expect(done).toContain('自评总分：89分');
    expect(done).not.toContain('<form');
    // Forged or expired links open nothing.
    expect((await t.app.request(path.replace(/sig=\w+/, 'sig=00'))).status).toBe(403);
    t.set('2026-11-25T12:01+08:00');
    expect((await t.app.request(path)).status).toBe(403);
    t.close();
  });
});
