// The simulator acts as anyone on the roster, admins included: no web page (cross-site form, DNS
// rebinding, another local app) and nobody behind a reverse proxy may drive it, and it takes a
// bounded JSON body. Each refusal leaves the database as it was.
import { type AddressInfo, connect } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBot } from './helpers/bot';
import { writesSoFar } from './helpers/writes';

let t: Awaited<ReturnType<typeof testBot>>;
beforeEach(async () => {
  t = await testBot();
});
afterEach(() => t.close());

/** A message that writes (it binds a group to a branch) as 王建国, with the given headers and body. */
const bind = (headers: Record<string, string>, body = JSON.stringify({ member: '王建国', chat: 'g1', text: '绑定' })) =>
  t.app.request('/sim/api/message', { method: 'POST', headers, body });

describe('who may drive the simulator', () => {
  it('takes JSON from the page on this machine', async () => {
    const res = await bind({ 'content-type': 'application/json', origin: 'http://localhost' });
    expect(res.status).toBe(200);
    expect((await t.app.request('/sim')).status).toBe(200);
  });

  it('refuses a cross-site form post, a page on another origin, DNS rebinding and proxies, writing nothing', async () => {
    const before = await writesSoFar(t.db);
    const json = { 'content-type': 'application/json' };
    const refused = [
      // A form on any web page can post text/plain without asking first.
      [{ 'content-type': 'text/plain' }, 415],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 415],
      [{ ...json, origin: 'https://evil.example' }, 403],
      [{ ...json, origin: 'http://localhost:3000' }, 403], // another app on this machine
      [{ ...json, origin: 'null' }, 403],
      [{ ...json, referer: 'https://evil.example/page' }, 403],
      [{ ...json, 'x-forwarded-host': 'bot.school.cn' }, 403],
      [{ ...json, via: '1.1 nginx' }, 403],
      [{ ...json, forwarded: 'for=1.2.3.4' }, 403],
    ] as const;
    for (const [headers, status] of refused) expect([headers, (await bind(headers)).status]).toEqual([headers, status]);
    // DNS rebinding: the page's own name resolves to 127.0.0.1, the Host header still names it.
    const rebound = await t.app.request('http://evil.example/sim/api/members');
    expect(rebound.status).toBe(403);
    const big = JSON.stringify({ member: '王建国', chat: 'g1', text: 'x'.repeat(70 * 1024) });
    expect((await bind(json, big)).status).toBe(413);
    expect(await writesSoFar(t.db)).toBe(before);
  });

  it("refuses nginx's default proxy_pass: loopback Host, no forwarding header, HTTP/1.0", async () => {
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => server.once('listening', () => r()));
    const port = (server.address() as AddressInfo).port;
    /** The status a raw request of this HTTP version gets, as a proxy would send it. */
    const statusOf = (version: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write(`GET /sim/api/members HTTP/${version}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
        );
        let answer = '';
        socket.on('data', (chunk) => {
          answer += chunk;
        });
        socket.on('end', () => resolve(answer.split('\r\n')[0]?.split(' ')[1] ?? ''));
        socket.on('error', reject);
      });
    try {
      expect(await statusOf('1.1')).toBe('200');
      expect(await statusOf('1.0')).toBe('403');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
