// The 台账 console as its users meet it: 管理后台 asked for in the chat (the simulator's API),
// the link opened in headless Chromium, the overview read, a document and a roster uploaded.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDistrict } from '../../bench/generate-district';
import { loadFormsDir } from '../../bot/cli/rule-files';
import { toCsv } from '../../bot/files';
import { CONSOLE_ENTER_PATH } from '../../handlers/console';
import { signedLink } from '../../handlers/links';
import { membersWithRole } from '../../storage/people';
import { openSqlite } from '../../storage/sqlite';
import { docx } from '../helpers/documents';
import { launchChromium, startBot, stopBot } from '../helpers/e2e';

const SECRET = 'e2e-console-secret-0123456789';
let server: ChildProcess;
let browser: Browser;
let origin: string;

interface SimOut {
  type: string;
  text?: string;
  card?: { id: string; title: string; body?: string; actions: { id: string; label: string }[] };
}

async function sim(path: string, body: unknown): Promise<SimOut[]> {
  const res = await fetch(`${origin}/sim/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { outputs: SimOut[] }).outputs;
}
const say = (member: string, chat: string, text: string) => sim('message', { member, chat, text });

/** The link the bot sends a member who asks for 管理后台, on this server's address. */
async function consoleLink(member: string): Promise<string> {
  const text = (await say(member, 'direct', '管理后台')).map((o) => o.text ?? '').join('\n');
  const url = text.match(/https?:\/\/\S+/)?.[0];
  if (!url) throw new Error(`no link in: ${text}`);
  const u = new URL(url);
  return `${origin}${u.pathname}${u.search}`;
}

/** A fresh browser (its own cookies) signed in as `member`, on the overview. */
async function signedIn(member: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(await consoleLink(member));
  await page.locator('#matrix, main p').first().waitFor();
  return page;
}

const cell = (page: Page, org: string, col: string) =>
  page.locator(`tr[data-org="${org}"] td[data-col="${col}"] b`).textContent();

beforeAll(async () => {
  let simUrl: string;
  ({ server, simUrl } = await startBot({ ZHIBU_PUBLIC_URL: 'https://zhibu.example.org', ZHIBU_LINK_SECRET: SECRET }));
  origin = new URL(simUrl).origin;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stopBot(server);
});

describe('台账 console', () => {
  it('shows the admin both branches, counting a check-in and a visit made in the chat', async () => {
    const page = await signedIn('周红');
    expect(await page.locator('tr[data-org]').count()).toBe(2);
    // The style sheet came through the CSP: the header wears the party red.
    expect(await page.locator('header').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(181, 18, 27)');
    expect(await cell(page, '兰陵小学党支部', 'meeting:支部党员大会')).toBe('0');
    expect(await cell(page, '兰陵小学党支部', 'visit')).toBe('0');

    const [checkin] = await say('王建国', 'sim-lanling', '签到 支部党员大会 学习二十大精神 30分钟');
    const tap = checkin?.card?.actions.find((a) => a.label === '签到');
    await sim('action', { member: '张伟', card: checkin?.card?.id, action: tap?.id });
    const visit = (await say('周红', 'direct', '走访 兰陵')).find((o) => o.card)?.card;
    const confirm = visit?.actions.find((a) => a.label === '确认走访');
    const done = await sim('action', {
      member: '周红',
      card: visit?.id,
      action: confirm?.id,
      values: { where: '兰陵小学', did: ['调查研究'] },
    });
    expect(done.map((o) => o.text ?? '').join()).toContain('已记录');

    await page.reload();
    expect(await cell(page, '兰陵小学党支部', 'meeting:支部党员大会')).toBe('1');
    expect(await cell(page, '兰陵小学党支部', 'visit')).toBe('1');
    expect(await cell(page, '延陵小学党支部', 'meeting:支部党员大会')).toBe('0');
    expect(await cell(page, '延陵小学党支部', 'visit')).toBe('0');

    // The cell leads to the branch: the meeting with who came.
    await page.locator('tr[data-org="兰陵小学党支部"] td[data-col="meeting:支部党员大会"] a').click();
    await page.locator('#meetings').waitFor();
    const meetings = await page.locator('#meetings + .scroll').textContent();
    expect(meetings).toContain('学习二十大精神');
    expect(meetings).toContain('张伟');
    await page.context().close();
  });

  it('shows a 书记 their own branch only', async () => {
    const page = await signedIn('王建国');
    expect(await page.locator('tr[data-org]').count()).toBe(1);
    expect(await page.locator('tr[data-org="兰陵小学党支部"]').count()).toBe(1);
    expect(await page.locator('nav').textContent()).not.toContain('名册');
    const res = await page.goto(`${origin}/admin/roster`);
    expect(res?.status()).toBe(403);
    await page.context().close();
  });

  it("refuses a 党员's 管理后台, and a page without a session, a forged link or an expired one", async () => {
    const refused = (await say('张伟', 'direct', '管理后台')).map((o) => o.text ?? '').join();
    expect(refused).toContain('仅限');
    expect(refused).not.toContain('http');

    const page = await browser.newPage();
    const none = await page.goto(`${origin}/admin`);
    expect(none?.status()).toBe(401);
    expect(await page.locator('main').textContent()).toContain('管理后台');

    const link = await consoleLink('周红');
    const forged = await page.goto(link.replace(/sig=[0-9a-f]{4}/, 'sig=0000'));
    expect(forged?.status()).toBe(403);
    const members = (await (await fetch(`${origin}/sim/api/members`)).json()) as {
      members: { id: string; name: string }[];
    };
    const zhou = members.members.find((m) => m.name === '周红')?.id ?? '';
    const old = await signedLink(
      { baseUrl: origin, secret: SECRET },
      CONSOLE_ENTER_PATH,
      { p: 'sim', u: zhou },
      Date.now() - 1000,
    );
    const expired = await page.goto(old);
    expect(expired?.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('已过期');
    await page.close();
  });

  it('answers a question in the chat from a document uploaded a moment before', async () => {
    const question = '读书月活动在几月举行？';
    expect(JSON.stringify(await say('张伟', 'direct', question))).not.toContain('每年4月举行');
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-e2e-kb-'));
    const file = join(dir, '读书月活动通知.docx');
    writeFileSync(
      file,
      await docx([
        '关于开展教师读书月活动的通知',
        '一、活动安排',
        '读书月活动每年4月举行，每名党员教师至少精读2本理论书籍。',
      ]),
    );
    const page = await signedIn('周红');
    await page.goto(`${origin}/admin/kb`);
    await page.setInputFiles('input[type=file]', file);
    await page.locator('button', { hasText: '上传' }).click();
    await page.locator('.done').waitFor();
    expect(await page.locator('.done').textContent()).toContain('关于开展教师读书月活动的通知');
    expect(await page.locator('#documents').textContent()).toContain('读书月活动通知.docx');
    expect(JSON.stringify(await say('张伟', 'direct', question))).toContain('每年4月举行');
    await page.context().close();
  });

  it('writes nothing from a roster file with an error, and shows the row', async () => {
    const count = async () =>
      ((await (await fetch(`${origin}/sim/api/members`)).json()) as { members: unknown[] }).members.length;
    const before = await count();
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-e2e-roster-'));
    const file = join(dir, '名册.csv');
    writeFileSync(
      file,
      toCsv([
        ['组织', '学校', '姓名', '角色'],
        ['天宁区教育工委/兰陵小学党支部', '兰陵小学', '新同志', '党员'],
        ['天宁区教育工委/兰陵小学党支部', '兰陵小学', '错角色', '队长'],
      ]),
    );
    const page = await signedIn('周红');
    await page.goto(`${origin}/admin/roster`);
    await page.setInputFiles('input[type=file]', file);
    await page.locator('button', { hasText: '检查' }).click();
    await page.locator('#roster-errors').waitFor();
    const errors = await page.locator('#roster-errors').textContent();
    expect(errors).toContain('第 3 行');
    expect(errors).toContain('队长');
    expect(await count()).toBe(before);
    await page.context().close();
  });
});

// The README's pictures: a district of twelve branches with most of a year behind it (the bench's
// seeded generator), at a phone's width and a desktop's. ZHIBU_SCREENSHOTS=docs/images keeps them.
describe('台账 console screenshots', () => {
  let district: ChildProcess;
  let at: string;
  let admin: string;

  beforeAll(async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'zhibu-e2e-district-')), 'zhibu.db');
    const { db, close } = openSqlite(dbPath);
    await generateDistrict(db, {
      branches: 12,
      members: 12,
      seed: 18,
      now: Date.now(),
      forms: loadFormsDir('data/forms'),
    });
    admin = (await membersWithRole(db, '管理员'))[0]?.name ?? '';
    close();
    let simUrl: string;
    ({ server: district, simUrl } = await startBot({
      ZHIBU_DB: dbPath,
      ZHIBU_PUBLIC_URL: 'https://zhibu.example.org',
    }));
    at = new URL(simUrl).origin;
  }, 60_000);

  afterAll(() => stopBot(district));

  it('shows the overview and the attendance chart at phone and desktop widths', async () => {
    const out = process.env.ZHIBU_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'zhibu-shots-'));
    mkdirSync(out, { recursive: true });
    for (const [name, width] of [
      ['phone', 390],
      ['desktop', 1280],
    ] as const) {
      const res = await fetch(`${at}/sim/api/message`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ member: admin, chat: 'direct', text: '管理后台' }),
      });
      const link = new URL(JSON.stringify(await res.json()).match(/https?:\/\/[^\s"]+/)?.[0] ?? '');
      const context = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(`${at}${link.pathname}${link.search}`);
      expect(await page.locator('tr[data-org]').count()).toBe(12);
      await page.screenshot({ path: join(out, `console-overview-${name}.png`), fullPage: width > 600 });
      await page.goto(`${at}/admin/charts`);
      expect(await page.locator('#attendance svg text', { hasText: '12月' }).count()).toBe(1);
      await page.locator('#attendance').screenshot({ path: join(out, `console-chart-${name}.png`) });
      await context.close();
    }
  });
});
