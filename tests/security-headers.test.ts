// What every response tells the browser: no sniffing, no framing, no Referer to other sites, a
// content security policy that lets the two pages run only their own inline script and style;
// no caching of personal data; the form page's cookie only over https when the bot is served so.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { dingtalkSignIn } from '../bot/dingtalk/sign-in';
import { simPage } from '../bot/sim/page';
import { formPagePath, testBot } from './helpers/bot';

const links = { baseUrl: 'https://bot.test', secret: 'security-headers-secret' };
let t: Awaited<ReturnType<typeof testBot>> | undefined;
afterEach(() => t?.close());

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const inline = (html: string, tag: 'script' | 'style') =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] ?? '');

describe('security headers', () => {
  it('forbid sniffing and framing, and allow nothing by default, on every response', async () => {
    t = await testBot({ links });
    for (const path of ['/healthz', '/sim/api/members', '/no-such-page']) {
      const h = (await t.app.request(path)).headers;
      expect([path, h.get('x-content-type-options'), h.get('x-frame-options'), h.get('referrer-policy')]).toEqual([
        path,
        'nosniff',
        'DENY',
        'same-origin',
      ]);
      expect(h.get('content-security-policy')).toContain("default-src 'none'");
      expect(h.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('let the simulator page run its own inline script and style, by hash, and nothing injected', async () => {
    t = await testBot();
    const res = await t.app.request('/sim');
    const csp = res.headers.get('content-security-policy') ?? '';
    const html = await res.text();
    for (const script of inline(html, 'script')) expect(csp).toContain(sha(script));
    for (const style of inline(html, 'style')) expect(csp).toContain(sha(style));
    expect(inline(simPage, 'script').length).toBeGreaterThan(0);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("connect-src 'self'");
    expect((await t.app.request('/sim/api/members')).headers.get('cache-control')).toBe('no-store');
  });

  it('keep the form page, its sign-in page and its cookie to this site, uncached, Secure when served over https', async () => {
    const api = { userIdByAuthCode: async (code: string) => (code === 'good' ? 'dt-liuyang' : null) };
    t = await testBot({ links, signIn: { dingtalk: dingtalkSignIn('dingcorp123', api) }, secureCookie: true });
    const path = await formPagePath(t.db, links, '延陵小学党支部', 'dingtalk', 'dt-liuyang');
    const signIn = await t.app.request(path);
    const csp = signIn.headers.get('content-security-policy') ?? '';
    for (const script of inline(await signIn.text(), 'script').filter(Boolean)) expect(csp).toContain(sha(script));
    expect(csp).toContain('https://g.alicdn.com');
    expect(signIn.headers.get('cache-control')).toBe('no-store');
    const back = await t.app.request(`${path}&code=good`);
    const cookie = back.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    const page = await t.app.request(back.headers.get('location') ?? '', {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    const html = await page.text();
    expect(html).toContain('【领导班子好 20分】');
    for (const style of inline(html, 'style'))
      expect(page.headers.get('content-security-policy')).toContain(sha(style));
    expect(page.headers.get('cache-control')).toBe('no-store');
    // The page posts to itself by a relative address: a proxy in front cannot make it post elsewhere.
    expect(html).toContain(`action="${path.replace(/&/g, '&amp;')}"`);
  });

  it('keep downloads uncached', async () => {
    t = await testBot({ links: { baseUrl: 'http://127.0.0.1:8787', secret: 'a-test-secret-of-length' } });
    await t.say('王建国', 'sim-lanling', '签到 支部党员大会 学习 30分钟');
    await t.say('王建国', 'sim-lanling', '结束签到');
    const text = JSON.stringify(await t.say('王建国', 'sim-lanling', '导出会议记录 30天'));
    const url = new URL(text.match(/http:\/\/127\.0\.0\.1:8787[^\s"\\]+/)?.[0] ?? '');
    const res = await t.app.request(`${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
