// The README's start command, used as a person would: start the bot, open the simulator page in
// headless Chromium, type 帮助, see the help card, click one of its buttons, see the answer.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let server: ChildProcess;
let browser: Browser;
let simUrl: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-e2e-'));
  server = spawn(process.execPath, ['--import', 'tsx', 'bot/node.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ZHIBU_DB: join(dir, 'zhibu.db') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  simUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/模拟器：(http:\/\/\S+)/);
      if (m?.[1]) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`the bot exited with ${code}: ${out}`)));
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
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
});
