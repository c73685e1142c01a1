// The demo organisation beside a real platform on Workers, as Node refuses to start with it: a
// Worker with WeCom configured and the demo's members still in D1 serves nobody (its 管理员
// zhouhong included) and runs no job, saying why in the log and the response, until
// `remove-demo` takes them out; the simulator alone keeps the demo.

import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { ACCOUNT_COLUMNS } from '../../bot/platforms';
import { CRONS } from '../../bot/worker';
import { removeDemo, seedDemo } from '../../storage/demo';
import { outbox } from '../../storage/schema';
import { AGENT_ID, CORP_ID, KEYS, wecomAppEnv } from '../../tests/fakes/accounts';
import { textMessageXml, WecomCallbackClient } from '../../tests/fakes/wecom-callback';
import { call, callWith, db, fakeWindow, fire } from './helpers';

const vars = () => wecomAppEnv(inject('fakes').wecomApi);
const client = new WecomCallbackClient({ url: 'http://bot.test/wecom/callback', ...KEYS });
const fromAdmin = (msgId: string) =>
  client.envelope(textMessageXml({ corpId: CORP_ID, from: 'zhouhong', content: '管理后台', msgId, agentId: AGENT_ID }));

/** What the Worker logged as errors, as text. */
function watchErrors(): () => string {
  const spy = vi.spyOn(console, 'error');
  return () => JSON.stringify(spy.mock.calls);
}

beforeAll(async () => {
  expect(await seedDemo(db, Date.parse('2026-03-01T00:00:00Z'), ACCOUNT_COLUMNS)).toBe(true);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the demo organisation on Workers', () => {
  it('is served while the simulator is the only channel', async () => {
    expect((await call('/healthz')).status).toBe(200);
  });

  it('refuses every request beside WeCom, the demo admin’s included, saying how to remove it', async () => {
    const errors = watchErrors();
    const envelope = fromAdmin('9001');
    const res = await callWith(vars(), `/wecom/callback?${envelope.query}`, { method: 'POST', body: envelope.body });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('remove-demo');
    expect((await callWith(vars(), '/healthz')).status).toBe(503);
    expect(await fakeWindow<unknown[]>('/wecom/inbox?user=zhouhong')).toEqual([]);
    expect(errors()).toContain('npm run roster --prefix cloudflare -- remove-demo --remote');
  });

  it('runs no job beside WeCom while the demo is there', async () => {
    const errors = watchErrors();
    // 2026-04-01 10:00 Shanghai: Q2's first reminders would be due to the demo's people.
    await fire(CRONS.duties, Date.parse('2026-04-01T02:00:00Z'), vars());
    expect(await db.select().from(outbox)).toEqual([]);
    expect(errors()).toContain('remove-demo');
  });

  it('serves again once the demo is removed', async () => {
    await removeDemo(db, Date.now(), 'test');
    expect((await callWith(vars(), '/healthz')).status).toBe(200);
  });
});
