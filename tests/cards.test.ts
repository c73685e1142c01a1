import { describe, expect, it } from 'vitest';
import { type Card, cardProblems, checkValues, parseAction } from '../cards/model';

const form: Card = {
  title: '请假',
  inputs: [
    { kind: 'text', name: 'reason', label: '请假原因', required: true, maxLength: 10 },
    {
      kind: 'select',
      name: 'did',
      label: '做了什么',
      multiple: true,
      options: [
        { value: 'research', label: '调查研究' },
        { value: 'lecture', label: '讲党课' },
      ],
    },
    { kind: 'select', name: 'mood', label: '形势', options: [{ value: 'calm', label: '平稳' }] },
  ],
  buttons: [{ action: 'checkin.leave', label: '提交' }],
};

describe('card model', () => {
  it('accepts a well-formed card', () => {
    expect(cardProblems(form)).toEqual([]);
  });

  it('names what is wrong with a badly built card', () => {
    const problems = cardProblems({
      title: ' ',
      buttons: [
        { action: 'no-dot', label: 'A' },
        { action: 'x.y', label: 'B' },
        { action: 'x.y', label: 'C' },
      ],
      inputs: [{ kind: 'select', name: 'a', label: 'A', options: [] }],
    });
    expect(problems).toEqual([
      'title is empty',
      'button "A": bad action id "no-dot"',
      'button "C": action "x.y" repeated',
      'select "a" has no options',
    ]);
  });

  it('splits an action id into feature, verb and argument', () => {
    expect(parseAction('help.topic:绑定')).toEqual({ feature: 'help', verb: 'topic', arg: '绑定' });
    expect(parseAction('checkin.in')).toEqual({ feature: 'checkin', verb: 'in', arg: undefined });
  });

  it('keeps only values the card offered, trimmed', () => {
    const r = checkValues(form, { reason: ' 出差 ', did: ['lecture', 'lecture'], mood: 'calm', forged: 'x' });
    expect(r).toEqual({ ok: true, values: { reason: '出差', did: ['lecture'], mood: 'calm' } });
  });

  it('refuses in words the member understands', () => {
    expect(checkValues(form, {})).toEqual({ ok: false, message: '请填写“请假原因”。' });
    expect(checkValues(form, { reason: '一二三四五六七八九十一' })).toEqual({
      ok: false,
      message: '“请假原因”最多 10 个字。',
    });
    expect(checkValues(form, { reason: '病假', did: ['sleep'] })).toEqual({
      ok: false,
      message: '“做了什么”没有“sleep”这个选项，请重新选择。',
    });
    expect(checkValues(form, { reason: '病假', mood: ['calm', 'calm2'] })).toMatchObject({ ok: false });
  });
});
