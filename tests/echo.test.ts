// A platform added without touching the product: the test-only "echo" platform (tests/echo/) is
// registered here, beside the shipped ones, and used end to end through the one start-up: its
// settings in the configuration, its roster column, a message in, a card out, a click back read
// through its own button keys, its card limits in a self-check page, a send through its outbox.
import { afterEach, describe, expect, it } from 'vitest';
import { loadFormsDir } from '../bot/cli/rule-files';
import { ConfigError, loadConfig } from '../bot/config';
import { silentLogger } from '../bot/core/log';
import { accountColumns } from '../bot/core/platform';
import { PLATFORMS } from '../bot/platforms';
import { featuresFor, startBot } from '../bot/start';
import { membersNamed } from '../storage/people';
import { exportRoster, importRoster } from '../storage/roster';
import { openSqlite } from '../storage/sqlite';
import { delivered, echo } from './echo';
import { presetDuties } from './helpers/bot';
import { counter } from './helpers/features';

const PLATFORMS_WITH_ECHO = [...PLATFORMS, echo];
const TOKEN = 'echo-token-1';
const ROSTER = [
  ['组织', '姓名', '角色', '回声账号'],
  ['测试工委/第一支部', '王一', '书记、党员', 'e-wang'],
  ['测试工委/第一支部', '李二', '党员', 'e-li'],
];

let closeDb: (() => void) | undefined;
afterEach(() => closeDb?.());

async function echoBot() {
  const config = loadConfig({ ECHO_TOKEN: TOKEN }, PLATFORMS_WITH_ECHO);
  const { db, close } = openSqlite(':memory:');
  closeDb = close;
  expect((await importRoster(db, ROSTER, Date.now(), 'test', accountColumns(PLATFORMS_WITH_ECHO))).ok).toBe(true);
  const pending = new Set<Promise<unknown>>();
  const rules = { forms: loadFormsDir('data/forms'), duties: presetDuties() };
  const bot = startBot(config, {
    db,
    log: silentLogger,
    version: 'test',
    defer: (work) => {
      const running = work();
      pending.add(running);
      void running.finally(() => pending.delete(running));
    },
    clientAddress: () => '127.0.0.1',
    rules,
    features: [counter, ...featuresFor(config, db, rules)],
  });
  let n = 0;
  const post = async (path: string, body: Record<string, unknown>) => {
    const res = await bot.app.request(`/echo/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TOKEN, id: `e${++n}`, ...body }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: EchoReply[] }).replies;
  };
  const settle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  return { db, bot, post, settle };
}

interface EchoCard {
  id: string;
  title: string;
  status: string | null;
  fields: string[];
  inputs: string[];
  buttons: { key: string; label: string }[];
}
type EchoReply = { text?: string; card?: EchoCard; 'card-update'?: EchoCard };

describe('a platform added in its own folder', () => {
  it('takes its settings into the one configuration, checked with the rest', () => {
    expect(() => loadConfig({ ECHO_TOKEN: 'short' }, PLATFORMS_WITH_ECHO)).toThrow(ConfigError);
    expect(() => loadConfig({ ECHO_TOKEN: 'short' }, PLATFORMS_WITH_ECHO)).toThrow(
      '配置错误：ECHO_TOKEN 至少 8 个字符',
    );
    const config = loadConfig({ ECHO_TOKEN: TOKEN }, PLATFORMS_WITH_ECHO);
    // Real people reach the bot through it: the simulator, on only while no platform is, is off.
    expect(config.platforms.filter((p) => p.on).map((p) => p.adapter.id)).toEqual(['echo']);
  });

  it('answers a message with a card, and a click on the card back through its own button keys', async () => {
    const { post } = await echoBot();
    const [shown] = await post('message', { from: 'e-wang', text: '计数' });
    expect(shown?.card).toMatchObject({ title: '计数', status: '0 次', buttons: [{ key: '#0', label: '加一' }] });
    const replies = await post('click', { from: 'e-li', card: shown?.card?.id, key: '#0' });
    expect(replies).toEqual([{ 'card-update': expect.objectContaining({ id: shown?.card?.id, status: '1 次' }) }]);
    // A key the card does not have is refused like any stale button.
    expect(await post('click', { from: 'e-li', card: shown?.card?.id, key: '#7' })).toEqual([
      { text: '这个按钮已失效，请使用最新的卡片。' },
    ]);
  });

  it('knows its people by the roster column it brought', async () => {
    const { db, post } = await echoBot();
    const [me] = await post('message', { from: 'e-wang', text: '我的信息' });
    expect(me?.card?.fields).toContain('姓名：王一');
    expect((await exportRoster(db, accountColumns(PLATFORMS_WITH_ECHO)))[0]).toContain('回声账号');
  });

  it('builds self-check pages to the number of items its cards hold', async () => {
    const { post } = await echoBot();
    const [menu] = await post('message', { from: 'e-wang', text: '自查' });
    expect(menu?.card?.buttons.map((b) => b.label)).toEqual(['分类定级评分', '调查摸底表']);
    const [page] = await post('click', { from: 'e-wang', card: menu?.card?.id, key: '#0' });
    const shown = page?.card ?? page?.['card-update'];
    expect(shown?.inputs).toEqual(['i1', 'i2', 'i3', 'i4']);
  });

  it('delivers what the bot sends on its own through its sender, to the person’s account there', async () => {
    const { db, bot, settle } = await echoBot();
    const [li] = await membersNamed(db, '李二');
    expect(
      await bot.assistant.notify(li?.id ?? '', 'echo-notice', [{ type: 'text', text: '请按时参加组织生活。' }]),
    ).toBe(1);
    await settle();
    expect(delivered.get('e-li')).toEqual([{ text: '请按时参加组织生活。' }]);
  });
});
