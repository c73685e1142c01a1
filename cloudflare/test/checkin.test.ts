// A check-in burst through the Worker on D1: members tap 签到 at once, several twice; every
// member is counted once (conditional writes and unique keys, no read-modify-write).

import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_COLUMNS } from '../../bot/platforms';
import type { SimCard, SimOutput } from '../../bot/sim/cards';
import { seedDemo } from '../../storage/demo';
import { exportRoster, importRoster } from '../../storage/roster';
import { call, db } from './helpers';

beforeAll(async () => {
  await seedDemo(db, Date.now(), ACCOUNT_COLUMNS);
});

const post = async (path: string, body: unknown) =>
  (await (
    await call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  ).json()) as { outputs: SimOutput[] };
const cardOf = (outputs: SimOutput[]) => outputs.find((o) => o.type !== 'text')?.card as SimCard | undefined;

describe('check-in on Workers', () => {
  it('counts a burst of taps exactly', async () => {
    const started = await post('/sim/api/message', {
      member: '王建国',
      chat: 'sim-lanling',
      text: '签到 支部党员大会 学习二十大精神 30分钟',
    });
    const card = cardOf(started.outputs) as SimCard;
    const tap = card.actions.find((a) => a.label === '签到')?.id ?? '';
    const members = ['王建国', '李敏', '张伟', '陈静'];
    const burst = await Promise.all(
      [...members, ...members, '张伟'].map((member) =>
        post('/sim/api/action', { member, card: card.id, action: tap, values: {} }),
      ),
    );
    expect(burst.every((r) => r.outputs.length > 0)).toBe(true);
    const last = await post('/sim/api/action', { member: '李敏', card: card.id, action: tap, values: {} });
    expect(cardOf(last.outputs)?.status).toBe('应到 4 · 已签到 4 · 请假 0 · 未签到 0');
    await post('/sim/api/message', { member: '王建国', chat: 'sim-lanling', text: '结束签到' });
  });

  it("holds a 党小组会 for the starter's 党小组, from the roster's 党小组 column in D1", async () => {
    const [header = [], ...rows] = await exportRoster(db, ACCOUNT_COLUMNS);
    const [name, column] = [header.indexOf('姓名'), header.indexOf('党小组')];
    const grouped = rows.map((r) =>
      r.map((c, i) => (i === column && ['王建国', '陈静'].includes(r[name] ?? '') ? '第一党小组' : c)),
    );
    expect((await importRoster(db, [header, ...grouped], Date.now(), 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
    const started = await post('/sim/api/message', {
      member: '王建国',
      chat: 'sim-lanling',
      text: '签到 党小组会 学习党章',
    });
    const card = cardOf(started.outputs);
    expect(card?.fields).toContainEqual({ label: '应到', value: '第一党小组全体党员' });
    expect(card?.status).toBe('应到 2 · 已签到 0 · 请假 0 · 未签到 2');
    await post('/sim/api/message', { member: '王建国', chat: 'sim-lanling', text: '结束签到' });
  });

  it("lets a 党小组长 from the roster in D1 hold their group's 党小组会, and no 支部党员大会", async () => {
    const [header = [], ...rows] = await exportRoster(db, ACCOUNT_COLUMNS);
    const [name, column, role] = [header.indexOf('姓名'), header.indexOf('党小组'), header.indexOf('角色')];
    const groups: Record<string, string> = { 王建国: '第一党小组', 陈静: '第二党小组', 张伟: '第二党小组' };
    const led = rows.map((r) =>
      r.map((c, i) =>
        i === column ? (groups[r[name] ?? ''] ?? c) : i === role && r[name] === '陈静' ? '组长、党员、教师' : c,
      ),
    );
    expect((await importRoster(db, [header, ...led], Date.now(), 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
    const say = (text: string) => post('/sim/api/message', { member: '陈静', chat: 'sim-lanling', text });
    const refused = await say('签到 支部党员大会 学习二十大精神');
    expect(refused.outputs).toEqual([
      expect.objectContaining({ text: expect.stringContaining('支部党员大会的签到由书记、副书记或支委委员负责') }),
    ]);
    const card = cardOf((await say('签到 党小组会 学习党章')).outputs);
    expect(card?.fields).toContainEqual({ label: '应到', value: '第二党小组全体党员' });
    expect(card?.status).toBe('应到 2 · 已签到 0 · 请假 0 · 未签到 2');
    const ended = await say('结束签到');
    expect(ended.outputs.some((o) => o.type === 'text' && o.text.includes('【签到结束】党小组会（第二党小组）'))).toBe(
      true,
    );
  });
});
