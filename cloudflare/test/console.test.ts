// The 台账 console on Workers: the same pages on D1, an upload of .txt indexed through db.batch,
// a roster checked with csv-parse in workerd, and .docx refused (mammoth is Node-only) with the reason.

import { describe, expect, it } from 'vitest';
import { ACCOUNT_COLUMNS } from '../../bot/platforms';
import { seedDemo } from '../../storage/demo';
import { call, db } from './helpers';

async function signIn(member: string): Promise<{ cookie: string; csrf: string }> {
  const res = await call('/sim/api/message', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ member, chat: 'direct', text: '管理后台' }),
  });
  const link = new URL(JSON.stringify(await res.json()).match(/https:\/\/[^\s"]+/)?.[0] ?? '');
  const entered = await call(link.pathname + link.search, { redirect: 'manual' });
  expect(entered.status).toBe(302);
  const cookie = (entered.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const page = await (await call('/admin/kb', { headers: { cookie } })).text();
  return { cookie, csrf: page.match(/name="_csrf" value="([0-9a-f]+)"/)?.[1] ?? '' };
}

const upload = (path: string, cookie: string, csrf: string, file: File) => {
  const form = new FormData();
  form.append('_csrf', csrf);
  form.append('file', file);
  return call(path, { method: 'POST', headers: { cookie }, body: form });
};

describe('台账 console on Workers', () => {
  it('asks for a session, then shows the overview and the charts from D1', async () => {
    await seedDemo(db, Date.now(), ACCOUNT_COLUMNS);
    expect((await call('/admin')).status).toBe(401);
    const { cookie } = await signIn('周红');
    const overview = await (await call('/admin', { headers: { cookie } })).text();
    expect(overview).toContain('data-org="兰陵小学党支部"');
    expect(overview).toContain('data-org="延陵小学党支部"');
    const charts = await call('/admin/charts', { headers: { cookie } });
    expect(charts.status).toBe(200);
    expect(await charts.text()).toContain('到会率');
  });

  it('refuses a .docx with the reason and indexes a .txt', async () => {
    await seedDemo(db, Date.now(), ACCOUNT_COLUMNS);
    const { cookie, csrf } = await signIn('周红');
    const docx = await upload(
      '/admin/kb/upload',
      cookie,
      csrf,
      new File([new Uint8Array([0x50, 0x4b, 3, 4])], '通知.docx'),
    );
    expect(docx.status).toBe(400);
    expect(await docx.text()).toContain('不能读取 .docx');
    const text = '关于开展教师读书月活动的通知\n一、活动安排\n读书月活动每年4月举行，每名党员教师至少精读2本理论书籍。';
    const txt = await upload('/admin/kb/upload', cookie, csrf, new File([text], '读书月.txt'));
    expect(txt.status).toBe(200);
    expect(await txt.text()).toContain('已加入：《关于开展教师读书月活动的通知》');
  });

  it('shows a roster file’s bad row and writes nothing', async () => {
    await seedDemo(db, Date.now(), ACCOUNT_COLUMNS);
    const { cookie, csrf } = await signIn('周红');
    const csv = '组织,学校,姓名,角色\n天宁区教育工委/兰陵小学党支部,兰陵小学,错角色,队长\n';
    const res = await upload('/admin/roster/check', cookie, csrf, new File([csv], '名册.csv'));
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('第 2 行');
    expect(page).toContain('队长');
  });
});
