// The self-check form page under its content security policy, in headless Chromium: it keeps its
// style, posts, and the browser reports no violation of the policy. (The simulator page under its
// policy is driven by sim-page.test.ts, against the real server.)
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formPagePath, testBot } from '../helpers/bot';

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

describe('the form page under its content security policy', () => {
  it('the form page keeps its style and saves a draft', async () => {
    const link = base + (await formPagePath(t.db, links, '兰陵小学党支部', 'wecom', 'wangjianguo'));
    const { page, violations } = await watchedPage();
    await page.goto(link);
    const submit = page.locator('button.primary');
    expect(await submit.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(200, 22, 29)');
    await page.locator('button', { hasText: '暂存' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('已暂存');
    expect(violations).toEqual([]);
  });
});
