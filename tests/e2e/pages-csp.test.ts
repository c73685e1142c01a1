// The two pages under their content security policy, in headless Chromium: the simulator's script
// runs and talks to its API, the form page keeps its style and posts, and the browser reports no
// violation of the policy.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formLink } from '../../handlers/selfcheck/web';
import { startDraft } from '../../storage/form-entries';
import { orgsNamed } from '../../storage/orgs';
import { testBot } from '../helpers/bot';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: Browser;
let t: Awaited<ReturnType<typeof testBot>>;
let server: ReturnType<typeof serve>;
let base: string;
const links = { baseUrl: 'http://bot.test', secret: 'csp-e2e-secret-value' };

beforeAll(async () => {
  t = await testBot({ links });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync', '--no-first-run'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  t?.close();
});

/** A page that records what the browser says about the content security policy. */
async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  page.on('pageerror', (err) => violations.push(err.message));
  return { page, violations };
}

describe('pages under their content security policy', () => {
  it('the simulator page runs its script and talks to its API', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(`${base}/sim`);
    await page.locator('#member option', { hasText: '王建国' }).waitFor({ state: 'attached' });
    const wang = await page.locator('#member option', { hasText: '王建国' }).getAttribute('value');
    await page.selectOption('#member', wang ?? '');
    await page.fill('#text', '帮助');
    await page.press('#text', 'Enter');
    const card = page.locator('.card', { hasText: '支部助手 · 我能做什么' });
    await expect.poll(() => card.count()).toBe(1);
    expect(violations).toEqual([]);
  });

  it('the form page keeps its style and saves a draft', async () => {
    const [org] = await orgsNamed(t.db, '兰陵小学党支部');
    const entry = await startDraft(t.db, {
      formId: 'grading',
      orgId: org?.id ?? '',
      period: '2026',
      answers: {},
      by: 't',
      now: Date.now(),
    });
    const link = (await formLink(links, entry, 'wecom', 'wangjianguo', Date.now())).replace('http://bot.test', base);
    const { page, violations } = await watchedPage();
    await page.goto(link);
    const submit = page.locator('button.primary');
    expect(await submit.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(200, 22, 29)');
    await page.locator('button', { hasText: '暂存' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('已暂存');
    expect(violations).toEqual([]);
  });
});
