// The 台账 console in-process, through the same app the server runs: what each role sees, what a
// post needs, what the browser is told to keep, and what Workers (no .docx reader) refuse.
import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../bot/core/delivery';
import { silentLogger } from '../bot/core/log';
import { DingtalkApi } from '../bot/dingtalk/api';
import { dingtalkSignIn } from '../bot/dingtalk/sign-in';
import type { SimOutput } from '../bot/sim/cards';
import { simSender } from '../bot/sim/sender';
import { CONSOLE_ENTER_PATH } from '../handlers/console';
import { signedLink } from '../handlers/links';
import { orgsNamed } from '../storage/orgs';
import { auditLog } from '../storage/schema';
import { DINGTALK_CLIENT } from './fakes/accounts';
import { startFakeOpenApi } from './fakes/dingtalk-openapi';
import { cardsIn, type TestBotOptions, testBot, textsIn } from './helpers/bot';

const links = { baseUrl: 'https://bot.test', secret: 'console-test-secret-0123456789' };
const NOW = Date.parse('2026-11-20T03:00:00Z');

async function consoleBot(opts: TestBotOptions = {}) {
  const t = await testBot({ links, now: () => new Date(NOW), ...opts });
  /** Signs in as a member the way the chat's link does; returns their cookie and the CSRF token. */
  const signIn = async (member: string) => {
    const text = textsIn(await t.say(member, 'direct', '管理后台')).join();
    const url = new URL(text.match(/https:\/\/\S+/)?.[0] ?? '');
    const res = await t.app.request(url.toString());
    const setCookie = res.headers.get('set-cookie') ?? '';
    const cookie = setCookie.split(';')[0] ?? '';
    const page = await (await t.app.request('/admin/kb', { headers: { cookie } })).text();
    return { res, setCookie, cookie, csrf: page.match(/name="_csrf" value="([0-9a-f]+)"/)?.[1] ?? '' };
  };
  const get = (path: string, cookie: string) => t.app.request(path, { headers: { cookie } });
  const post = (path: string, cookie: string, form: FormData) =>
    t.app.request(path, { method: 'POST', headers: { cookie }, body: form });
  return { ...t, signIn, get, post };
}

const form = (fields: Record<string, string | File>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

describe('console sessions', () => {
  it('starts an 8-hour HttpOnly, SameSite, Secure (on https) session under /admin, into the audit log', async () => {
    const t = await consoleBot();
    const { res, setCookie } = await t.signIn('周红');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/admin');
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/Max-Age=28800/);
    expect(setCookie).toMatch(/Path=\/admin/);
    const actions = (await t.db.select().from(auditLog)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['console.link', 'console.enter']));
  });

  it('sends a strict CSP (the app’s own style sheet only) and no-store with every page, and no script at all', async () => {
    const t = await consoleBot();
    const { cookie } = await t.signIn('周红');
    const res = await t.get('/admin', cookie);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).not.toContain('<script');
  });

  it('refuses a post without the session’s CSRF token, and changes nothing', async () => {
    const t = await consoleBot();
    const { cookie, csrf } = await t.signIn('周红');
    const file = new File(['关于测试的通知\n一、要求\n测试文件每年检查一次，由管理员负责组织实施。'], '测试.txt');
    const forged = await t.post('/admin/kb/upload', cookie, form({ file }));
    expect(forged.status).toBe(403);
    expect(await (await t.get('/admin/kb', cookie)).text()).not.toContain('测试.txt');
    const ok = await t.post('/admin/kb/upload', cookie, form({ _csrf: csrf, file }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('已加入：《关于测试的通知》');
  });

  it('lets in through DingTalk only the member the link was made for (免登)', async () => {
    const api = await startFakeOpenApi({ ...DINGTALK_CLIENT, users: ['dt-liuyang', 'dt-zhaolei'] });
    const dingtalk = new DingtalkApi({ ...DINGTALK_CLIENT, apiBase: api.url, oapiBase: api.url });
    const t = await consoleBot({ signIn: { dingtalk: dingtalkSignIn('dingcorp123', dingtalk) } });
    const link = new URL(await signedLink(links, CONSOLE_ENTER_PATH, { p: 'dingtalk', u: 'dt-liuyang' }, NOW + 60_000));
    const path = link.pathname + link.search;
    const first = await t.app.request(path);
    expect(await first.text()).toContain('dd.runtime.permission.requestAuthCode');
    expect(first.headers.get('content-security-policy')).toContain('https://g.alicdn.com');
    const other = await t.app.request(`${path}&code=${api.issueAuthCode('dt-zhaolei')}`);
    expect(other.status).toBe(403);
    expect(other.headers.get('set-cookie')).toBeNull();
    const mine = await t.app.request(`${path}&code=${api.issueAuthCode('dt-liuyang')}`);
    expect(mine.status).toBe(302);
    const cookie = (mine.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(await (await t.get('/admin', cookie)).text()).toContain('延陵小学党支部');
    await api.close();
  });
});

describe('console rights', () => {
  it('shows a 班子成员 the branches of their 联系点 and nothing else', async () => {
    const t = await consoleBot();
    const { cookie } = await t.signIn('吴刚');
    const page = await (await t.get('/admin', cookie)).text();
    expect(page).toContain('data-org="延陵小学党支部"');
    expect(page).not.toContain('data-org="兰陵小学党支部"');
    const [lanling] = await orgsNamed(t.db, '兰陵小学党支部');
    expect((await t.get(`/admin/org/${lanling?.id}`, cookie)).status).toBe(403);
    expect((await t.get('/admin/kb', cookie)).status).toBe(403);
  });

  it('exports a 书记 their branch’s meetings, and the district’s 台账 to admins only', async () => {
    const t = await consoleBot();
    const [lanling] = await orgsNamed(t.db, '兰陵小学党支部');
    const [yanling] = await orgsNamed(t.db, '延陵小学党支部');
    const wang = await t.signIn('王建国');
    const own = await t.get(`/admin/exports/meetings?org=${lanling?.id}&p=2026`, wang.cookie);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toContain('spreadsheetml');
    expect((await t.get(`/admin/exports/meetings?org=${yanling?.id}&p=2026`, wang.cookie)).status).toBe(403);
    expect((await t.get('/admin/exports/ideology?p=2026-11', wang.cookie)).status).toBe(403);
    const zhou = await t.signIn('周红');
    const district = await t.get('/admin/exports/ideology?p=2026-11', zhou.cookie);
    expect(district.status).toBe(200);
    expect(decodeURIComponent(district.headers.get('content-disposition') ?? '')).toContain('意识形态研判台账-2026-11');
  });

  it('ends a session at once when the member loses the role', async () => {
    const t = await consoleBot();
    const { cookie } = await t.signIn('王建国');
    expect((await t.get('/admin', cookie)).status).toBe(200);
    const roster = await (await t.get('/admin/roster/export.csv', (await t.signIn('周红')).cookie)).text();
    const demoted = roster.replace('王建国,书记、党员', '王建国,党员');
    expect(demoted).not.toBe(roster);
    const zhou = await t.signIn('周红');
    const file = new File([demoted], '名册.csv');
    const checked = await t.post('/admin/roster/check', zhou.cookie, form({ _csrf: zhou.csrf, file }));
    const table = (await checked.text()).match(/name="table" value="([^"]+)"/)?.[1] ?? '';
    const fromHtml = (s: string) =>
      s
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>');
    const imported = await t.post(
      '/admin/roster/import',
      zhou.cookie,
      form({ _csrf: zhou.csrf, table: fromHtml(table) }),
    );
    expect(await imported.text()).toContain('名册已导入');
    expect((await t.get('/admin', cookie)).status).toBe(401);
  });
});

describe('console branch detail', () => {
  it('shows a risk 研判 with its risk, its measures and what the superior did with it', async () => {
    const t = await consoleBot({ channels: ['sim'] });
    const [card] = cardsIn(await t.say('王建国', 'direct', '上报研判'));
    await t.click('王建国', card?.id ?? '', card?.actions[0]?.id ?? '', {
      situation: '存在风险',
      risks: '家长群传播不实信息',
      measures: '约谈说明情况',
    });
    await drainOutbox(t.db, { sim: simSender(t.db) }, () => NOW + 60_000, silentLogger);
    const inbox = (await (await t.app.request('/sim/api/inbox?member=周红')).json()) as { messages: SimOutput[] };
    const [risk] = cardsIn(inbox.messages);
    await t.click('周红', risk?.id ?? '', risk?.actions.find((a) => a.label === '已阅')?.id ?? '');
    const [lanling] = await orgsNamed(t.db, '兰陵小学党支部');
    const { cookie } = await t.signIn('王建国');
    const page = await (await t.get(`/admin/org/${lanling?.id}?p=2026-11`, cookie)).text();
    const ideology = page.slice(page.indexOf('id="ideology"'), page.indexOf('id="selfcheck"'));
    expect(ideology).toContain('<span class="risk">存在风险</span>');
    expect(ideology).toContain('家长群传播不实信息');
    expect(ideology).toContain('约谈说明情况');
    expect(ideology).toContain('<th>上级处理</th>');
    expect(ideology).toMatch(/周红 11月20日 \d\d:\d\d 已阅/);
  });
});

describe('console 党小组', () => {
  it("takes the 党小组 from an uploaded roster, and lists a 党小组会 with its group's 应到", async () => {
    const t = await consoleBot({ channels: ['sim'] });
    const zhou = await t.signIn('周红');
    const csv = await (await t.get('/admin/roster/export.csv', zhou.cookie)).text();
    const lines = csv.split('\r\n');
    const column = lines[0]?.split(',').indexOf('党小组') ?? -1;
    expect(column).toBeGreaterThan(0);
    const grouped = lines.map((line) => {
      const cells = line.split(',');
      if (cells[2] === '王建国' || cells[2] === '张伟') cells[column] = '第一党小组';
      return cells.join(',');
    });
    const file = new File([grouped.join('\r\n')], '名册.csv');
    const checked = await (await t.post('/admin/roster/check', zhou.cookie, form({ _csrf: zhou.csrf, file }))).text();
    const table = (checked.match(/name="table" value="([^"]+)"/)?.[1] ?? '').replace(/&quot;/g, '"');
    const imported = await t.post('/admin/roster/import', zhou.cookie, form({ _csrf: zhou.csrf, table }));
    expect(await imported.text()).toContain('名册已导入');

    // A 组长 whose row names no 党小组 is refused with the row's error, and nothing is written.
    const leaderless = grouped.map((line) => line.replace(',陈静,党员、教师,', ',陈静,组长、党员,'));
    expect(leaderless).not.toEqual(grouped);
    const upload = new File([leaderless.join('\r\n')], '名册.csv');
    const refused = await t.post('/admin/roster/check', zhou.cookie, form({ _csrf: zhou.csrf, file: upload }));
    expect(refused.status).toBe(400);
    const row = 1 + leaderless.findIndex((line) => line.includes(',陈静,'));
    expect(await refused.text()).toContain(
      `<tr><td>第 ${row} 行</td><td>党小组</td><td>党小组长要写明所在的党小组（在“党小组”列填写，如 第一党小组）</td></tr>`,
    );

    await t.say('王建国', 'sim-lanling', '签到 党小组会 学习党章');
    await t.say('张伟', 'sim-lanling', '签到');
    await t.say('王建国', 'sim-lanling', '结束签到');
    const [lanling] = await orgsNamed(t.db, '兰陵小学党支部');
    const page = await (await t.get(`/admin/org/${lanling?.id}?p=2026-11`, zhou.cookie)).text();
    const meetings = page.slice(page.indexOf('id="meetings"'), page.indexOf('</table>', page.indexOf('id="meetings"')));
    expect(meetings).toContain('党小组会（第一党小组）');
    // 应到 2 (the group), 实到 1, 请假 0, 到会率 50%.
    expect(meetings).toMatch(/<td>2<\/td><td>1<\/td><td>0<\/td><td>50%<\/td>/);
  });
});

describe('console knowledge base', () => {
  it('lists what teachers asked that found nothing or was voted 没用, grouped, the most asked first', async () => {
    const t = await consoleBot({ corpus: true });
    // Nothing in the documents: asked twice, written two ways.
    for (const q of ['校车司机的驾龄要求是多少年？', '校车司机的驾龄要求是多少年']) await t.say('张伟', 'direct', q);
    // Answered with related rules, but voted 没用; and one answered that nobody minded.
    const [related] = cardsIn(await t.say('张伟', 'direct', '学校食堂的招标流程是什么？'));
    await t.click('张伟', related?.id ?? '', related?.actions.find((a) => a.label === '没用')?.id ?? '');
    await t.say('张伟', 'direct', '退休教师的党组织关系放哪里？');
    const { cookie } = await t.signIn('周红');
    const page = await (await t.get('/admin/kb', cookie)).text();
    const asked = page.slice(page.indexOf('id="asked"'));
    expect(asked).toMatch(/校车司机的驾龄要求是多少年[?？]<\/td><td>2<\/td><td>2<\/td><td>0</);
    expect(asked).toMatch(/学校食堂的招标流程是什么[?？]<\/td><td>1<\/td><td>0<\/td><td>1</);
    expect(asked.indexOf('校车司机')).toBeLessThan(asked.indexOf('学校食堂'));
    expect(asked).not.toContain('退休教师');
  });

  it('refuses an upload over 20 MB with a page that says so', async () => {
    const t = await consoleBot();
    const { cookie, csrf } = await t.signIn('周红');
    const big = new File([new Uint8Array(21 * 1024 * 1024)], '大文件.txt');
    const res = await t.post('/admin/kb/upload', cookie, form({ _csrf: csrf, file: big }));
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('不能超过 20 MB');
  });

  it('removes a document only once asked again, into the audit log', async () => {
    const t = await consoleBot({ corpus: true });
    const { cookie, csrf } = await t.signIn('周红');
    const listed = async () =>
      (await (await t.get('/admin/kb', cookie)).text()).match(/name="id" value="([^"]+)"/g) ?? [];
    const before = await listed();
    const id = before[0]?.match(/value="([^"]+)"/)?.[1] ?? '';
    const asked = await t.post('/admin/kb/remove', cookie, form({ _csrf: csrf, id }));
    expect(await asked.text()).toContain('确认删除');
    expect(await listed()).toHaveLength(before.length);
    const done = await t.post('/admin/kb/remove', cookie, form({ _csrf: csrf, id, confirm: '1' }));
    expect(await done.text()).toContain('已删除');
    expect(await listed()).toHaveLength(before.length - 1);
    expect((await t.db.select().from(auditLog)).map((a) => a.action)).toContain('kb.remove');
  });

  it('refuses a .docx where no reader exists (Workers) with the reason, and offers .txt and .md only', async () => {
    const t = await consoleBot({ richReader: null });
    const { cookie, csrf } = await t.signIn('周红');
    const docx = new File([new Uint8Array([0x50, 0x4b, 3, 4])], '通知.docx');
    const refused = await t.post('/admin/kb/upload', cookie, form({ _csrf: csrf, file: docx }));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('不能读取 .docx');
    const page = await (await t.get('/admin/kb', cookie)).text();
    expect(page).toContain('accept=".txt,.md"');
  });
});
