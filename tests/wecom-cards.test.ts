// The neutral card on WeCom: the template card types, WeCom's limits, and what happens beyond them.
import { describe, expect, it } from 'vitest';
import { valuesFromReply } from '../bot/core/text-replies';
import { splitUtf8 } from '../bot/wecom/api';
import { cardIdOfTask, readWecomClick, renderWecomCard } from '../bot/wecom/cards';
import type { Card, CardValues } from '../cards/model';
import { cardsIn, testBot, textsIn } from './helpers/bot';

/** A click on a WeCom card as its callback reports it: the button key, the option ids by question. */
const clickOn = (card: Card, button: string, values: CardValues = {}) =>
  readWecomClick(card, { platform: 'wecom', sender: 'limin', cardId: card.id ?? '', button, values });

const base = {
  id: 'c_0123456789abcdef',
  title: '支部党员大会 · 签到',
  body: '**主题**：学习二十大精神',
  status: '应到 9 · 已签到 3',
};
const buttons = (n: number) => Array.from({ length: n }, (_, i) => ({ action: `x.b${i}`, label: `按钮${i + 1}` }));

describe('WeCom card rendering', () => {
  it('renders buttons as button_interaction, with index keys and the status as the title description', () => {
    const r = renderWecomCard({ ...base, buttons: buttons(2), fields: [{ label: '应到', value: '9' }] });
    expect(r).toEqual({
      kind: 'cards',
      cards: [
        {
          card_type: 'button_interaction',
          task_id: 'c_0123456789abcdef',
          main_title: { title: '支部党员大会 · 签到', desc: '应到 9 · 已签到 3' },
          sub_title_text: '主题：学习二十大精神',
          horizontal_content_list: [{ keyname: '应到', value: '9' }],
          button_list: [
            { text: '按钮1', style: 2, key: 'b0' },
            { text: '按钮2', style: 2, key: 'b1' },
          ],
        },
      ],
    });
  });

  it('splits more than six buttons into steps, each a card of its own task id', () => {
    const r = renderWecomCard({ ...base, buttons: buttons(8) });
    if (r.kind !== 'cards') throw new Error('expected cards');
    expect(r.cards.map((c) => c.task_id)).toEqual(['c_0123456789abcdef', 'c_0123456789abcdef@1']);
    expect(r.cards.map((c) => (c.button_list as unknown[]).length)).toEqual([6, 2]);
    expect((r.cards[1]?.main_title as { title: string } | undefined)?.title).toBe('支部党员大会 · 签到（2/2）');
    expect(r.cards.map((c) => cardIdOfTask(c.task_id as string))).toEqual([base.id, base.id]);
    expect(clickOn({ ...base, buttons: buttons(8) }, 'b7')?.action).toBe('x.b7');
  });

  it('renders one select and one button as a vote card, several single selects as a multiple card', () => {
    const select = (name: string, multiple = false) => ({
      kind: 'select' as const,
      name,
      label: name,
      multiple,
      options: [
        { value: 'a', label: '调查研究' },
        { value: 'b', label: '讲党课' },
      ],
    });
    const vote = renderWecomCard({ ...base, inputs: [select('did', true)], buttons: buttons(1) });
    expect(vote.kind === 'cards' && vote.cards[0]?.card_type).toBe('vote_interaction');
    const multi = renderWecomCard({ ...base, inputs: [select('a'), select('b'), select('c')], buttons: buttons(1) });
    expect(multi.kind === 'cards' && multi.cards[0]?.card_type).toBe('multiple_interaction');
    const card: Card = { ...base, inputs: [select('did', true)], buttons: buttons(1) };
    expect(clickOn(card, 'b0', { did: ['o1', 'o0'] })).toEqual({
      action: 'x.b0',
      values: { did: ['b', 'a'] },
    });
  });

  it('degrades what a WeCom card cannot hold (a text input, four selects) to text with numbered replies', () => {
    const r = renderWecomCard({
      ...base,
      inputs: [{ kind: 'text', name: 'reason', label: '请假原因', required: true }],
      buttons: [
        { action: 'checkin.in', label: '签到' },
        { action: 'checkin.leave', label: '请假' },
      ],
    });
    expect(r.kind).toBe('text');
    if (r.kind !== 'text') return;
    expect(r.markdown).toContain('需要填写：请假原因');
    expect(r.markdown).toContain('回复 **1** 签到 后接填写内容，用空格分开');
    expect(r.markdown).toContain('回复 **2** 请假');
  });

  it('splits long text on UTF-8 character boundaries within 2,048 bytes', () => {
    const text = '党'.repeat(1000); // 3 bytes each
    const parts = splitUtf8(text, 2048);
    expect(parts.map((p) => new TextEncoder().encode(p).length)).toEqual([2046, 954]);
    expect(parts.join('')).toBe(text);
  });
});

describe('numbered replies to a card shown as text', () => {
  it("fill the card's inputs from the rest of the reply, and explain an option number that does not exist", () => {
    const card: Card = {
      title: '请假',
      inputs: [
        {
          kind: 'select',
          name: 'kind',
          label: '类型',
          options: [
            { value: 'sick', label: '病假' },
            { value: 'work', label: '公假' },
          ],
        },
        { kind: 'text', name: 'reason', label: '原因' },
      ],
      buttons: [{ action: 'x.leave', label: '提交' }],
    };
    expect(valuesFromReply(card, '2 出差 开会')).toEqual({ ok: true, values: { kind: 'work', reason: '出差 开会' } });
    expect(valuesFromReply(card, '病假 发烧')).toEqual({ ok: true, values: { kind: 'sick', reason: '发烧' } });
    expect(valuesFromReply(card, '5 发烧')).toEqual({ ok: false, message: '“类型”请填选项的编号：1.病假 2.公假' });
  });

  it('turn a reply "1" into a click on the card last shown as text in that chat', async () => {
    const t = await testBot();
    try {
      const [help] = cardsIn(await t.say('王建国', 'sim-lanling', '帮助'));
      await t.bot.showAsText('sim', { kind: 'group', id: 'sim-lanling' }, help?.id ?? '');
      expect(textsIn(await t.say('王建国', 'sim-lanling', '1'))[0]).toContain('【绑定】');
      expect(textsIn(await t.say('王建国', 'sim-lanling', '2'))[0]).toContain('【我的信息】');
      // A number no button has is an ordinary message.
      expect(cardsIn(await t.say('王建国', 'sim-lanling', '9'))[0]?.title).toBe('支部助手 · 我能做什么');
    } finally {
      t.close();
    }
  });
});
