// The same Hono app as on Node, served by the Worker entry on D1.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_COLUMNS } from '../../bot/platforms';
import { seedDemo } from '../../storage/demo';
import { call, db } from './helpers';

describe('worker fetch', () => {
  it('GET /healthz reaches D1', async () => {
    const res = await call('/healthz');
    expect(res.status).toBe(200);
    // The newest migration wrangler applied (as `wrangler d1 migrations apply` records it).
    const schema = env.TEST_MIGRATIONS.at(-1)?.name.replace(/\.sql$/, '');
    expect(await res.json()).toEqual({ status: 'ok', version: '0.1.0', schema, database: 'ok' });
  });

  it('answers a simulator message through Bot, handlers and D1', async () => {
    await seedDemo(db, Date.now(), ACCOUNT_COLUMNS);
    const res = await call('/sim/api/message', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ member: '王建国', chat: 'direct', text: '帮助' }),
    });
    expect(res.status).toBe(200);
    const body = JSON.stringify(await res.json());
    expect(body).toContain('支部助手 · 我能做什么');
    expect(body).toContain('王建国（书记、党员）');
  });

  it('refuses the simulator to a non-loopback caller', async () => {
    const { exports } = await import('cloudflare:workers');
    const res = await exports.default.fetch(
      new Request('http://bot.test/sim/api/members', { headers: { 'cf-connecting-ip': '203.0.113.9' } }),
    );
    expect(res.status).toBe(403);
  });
});

describe('meeting workbook', () => {
  it('serves a signed link as an .xlsx made by exceljs', async () => {
    const { signedLink } = await import('../../handlers/links');
    const { MEETINGS_FILE_PATH } = await import('../../handlers/checkin');
    const { orgsNamed } = await import('../../storage/orgs');
    await seedDemo(db, Date.now(), ACCOUNT_COLUMNS);
    const [org] = await orgsNamed(db, '兰陵小学党支部');
    const now = Date.now();
    const link = await signedLink(
      { baseUrl: 'https://bot.test', secret: 'test-link-secret-0123456789' },
      MEETINGS_FILE_PATH,
      { org: org?.id ?? '', from: String(now - 86_400_000), to: String(now) },
      now + 60_000,
    );
    const res = await call(new URL(link).pathname + new URL(link).search);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]); // a zip: PK
    expect((await call(`${MEETINGS_FILE_PATH}?org=x&exp=9999999999999&sig=00`)).status).toBe(403);
  });
});
