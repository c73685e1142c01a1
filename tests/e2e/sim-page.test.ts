// The README's start command (`npm start`: build, then the compiled server), used as a person
// would: start the bot, open the simulator page in headless Chromium, type 帮助, see the help
// card, click one of its buttons, see the answer; a group's chat seen alike by every member,
// reminders from `npm run jobs` in a member's own chat, and the forms' checkboxes and text areas.
// Waits are for elements, never for time.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, simulatorAddress } from '../helpers/e2e';

let server: ChildProcess;
let browser: Browser;
let simUrl: string;
let dbPath: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-e2e-'));
  dbPath = join(dir, 'zhibu.db');
  // A process group of its own: npm and the server it starts stop together.
  server = spawn('npm', ['start'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ZHIBU_DB: dbPath },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  simUrl = await simulatorAddress(server);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server?.pid && server.exitCode === null) {
    const exited = once(server, 'exit');
    process.kill(-server.pid, 'SIGTERM');
    await exited;
  }
});

/** A page on the simulator as `member` (by name), in `chat` (a group's id; the one-to-one chat by default). */
async function open(member: string, chat = 'direct'): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(simUrl);
  await as(page, member);
  await page.selectOption('#chat', chat);
  return page;
}

async function as(page: Page, member: string): Promise<void> {
  const option = page.locator('#member option', { hasText: member });
  await option.waitFor({ state: 'attached' });
  await page.selectOption('#member', (await option.getAttribute('value')) ?? '');
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

/** The last card on the page whose title is exactly `title`. */
const cardTitled = (page: Page, title: string) =>
  page
    .locator('.card')
    .filter({ has: page.locator('h3').getByText(title, { exact: true }) })
    .last();

/** `npm run jobs -- run --at …` against the running bot's database, as an operator runs it. */
const runJobs = (at: string) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'bot/cli/jobs.ts', 'run', '--at', at], {
    env: { ...process.env, ZHIBU_DB: dbPath },
  });

describe('simulator page', () => {
  it('shows the help card for a demo member and answers a click on its button', async () => {
    const page = await browser.newPage();
    await page.goto(simUrl);
    await page.locator('#member option', { hasText: '王建国' }).waitFor({ state: 'attached' });
    const wang = await page.locator('#member option', { hasText: '王建国' }).getAttribute('value');
    await page.selectOption('#member', wang ?? '');
    await page.fill('#text', '帮助');
    await page.press('#text', 'Enter');

    const card = page.locator('.card', { hasText: '支部助手 · 我能做什么' });
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
    expect(await card.locator('.body').textContent()).toContain('王建国（书记、党员）您好');

    await card.locator('button', { hasText: '绑定' }).click();
    const answer = page.locator('.bubble', { hasText: '用法：绑定 <支部名>' });
    await expect.poll(() => answer.count(), { timeout: 15_000 }).toBe(1);
    await page.screenshot({ path: join(tmpdir(), 'zhibu-sim.png'), fullPage: true });
  });

  it('lists members in roster order, grouped by organisation', async () => {
    const page = await open('王建国');
    const groups = await page.locator('#member optgroup').evaluateAll((els) => els.map((e) => e.getAttribute('label')));
    expect(groups).toEqual(['天宁区教育工委', '兰陵小学党支部', '延陵小学党支部']);
    const names = await page.locator('#member option').allTextContents();
    expect(names.slice(0, 4)).toEqual([
      '周红（管理员、班子成员、党员）',
      '吴刚（班子成员、党员）',
      '王建国（书记、党员）',
      '李敏（支委委员、党员、教师）',
    ]);
    await page.close();
  }, 90_000);

  it("keeps a group's chat for the group: after switching member, and on another member's page", async () => {
    const page = await open('王建国', 'sim-lanling');
    await say(page, '签到 支部党员大会 学习党章 30分钟');
    const card = cardTitled(page, '支部党员大会 · 签到');
    await card.waitFor();
    // Switching member no longer clears the chat: 张伟 sees the card and taps 签到 on it.
    await as(page, '张伟');
    await card.getByRole('button', { name: '签到', exact: true }).click();
    await card.locator('.status', { hasText: '已签到 1' }).waitFor();
    // 陈静, on her own page, opens the group and sees the same card, who tapped it, and taps too.
    const other = await open('陈静', 'sim-lanling');
    const hers = cardTitled(other, '支部党员大会 · 签到');
    await hers.locator('.status', { hasText: '已签到 1' }).waitFor();
    await other.locator('.note', { hasText: '张伟 点了「签到」' }).waitFor();
    await other.locator('.note', { hasText: '王建国' }).first().waitFor(); // who started it, above his message
    await hers.getByRole('button', { name: '签到', exact: true }).click();
    // The first page follows without a reload.
    await card.locator('.status', { hasText: '已签到 2' }).waitFor();
    await page.close();
    await other.close();
  }, 90_000);

  it("shows in a member's own chat the reminders `npm run jobs` sent before the page was opened, and new ones as they come", async () => {
    await runJobs('2026-11-20T09:00+08:00');
    const page = await open('刘洋');
    await cardTitled(page, '意识形态研判提醒').locator('.body', { hasText: '本月研判提醒' }).waitFor();
    await runJobs('2026-11-25T09:00+08:00');
    await cardTitled(page, '意识形态研判提醒').locator('.body', { hasText: '本月研判尚未上报' }).waitFor();
    await page.close();
  }, 90_000);

  it('fills a form with checkboxes and a text area, and the superior answers the risk it reports', async () => {
    const page = await open('王建国');
    await say(page, '上报研判');
    const form = cardTitled(page, '意识形态研判');
    await form.waitFor();
    await form.locator('select[name=situation]').selectOption('存在风险');
    await form.getByLabel('网络舆情').check();
    await form.getByLabel('课堂与教材').check();
    const risks = form.locator('textarea[name=risks]');
    await risks.fill('家长群传播不实信息；\n个别课堂用语不当');
    await form.getByRole('button', { name: '提交研判' }).click();
    await page.locator('.bubble', { hasText: '已转报天宁区教育工委：周红。' }).waitFor();
    // 周红 (the superior) finds it in her own chat, with both areas and both lines.
    await as(page, '周红');
    const risk = cardTitled(page, '意识形态研判 · 存在风险');
    await risk.locator('.body', { hasText: '研判范围：网络舆情、课堂与教材' }).waitFor();
    expect(await risk.locator('.body').textContent()).toContain('个别课堂用语不当');
    await risk.locator('textarea[name=reply]').fill('请本周内约谈相关家长');
    await risk.getByRole('button', { name: '回复' }).click();
    await page.locator('.bubble', { hasText: '已告知王建国：周红回复您上报的' }).waitFor();
    await risk.locator('.body', { hasText: '回复：请本周内约谈相关家长' }).waitFor();
    await page.close();
  }, 90_000);
});
