// Runs in Node before the workerd tests: the fake WeCom API and DingTalk OpenAPI on loopback (the
// Worker under test calls them like the real ones), and a small window onto what they received.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import {
  AGENT_ID,
  CORP_ID,
  DINGTALK_CLIENT,
  DINGTALK_USERS,
  WECOM_SECRET,
  WECOM_USERS,
} from '../../tests/fakes/accounts';
import { startFakeOpenApi } from '../../tests/fakes/dingtalk-openapi';
import { startFakeWecomApi } from '../../tests/fakes/wecom-api';

export default async function setup(project: TestProject) {
  const wecom = await startFakeWecomApi({
    corpId: CORP_ID,
    secret: WECOM_SECRET,
    agentId: AGENT_ID,
    users: WECOM_USERS,
  });
  const dingtalk = await startFakeOpenApi({ ...DINGTALK_CLIENT, users: DINGTALK_USERS });
  // GET /wecom/inbox?user=, /dingtalk/webhook?cid= (a fresh session webhook), /dingtalk/posts?cid=
  const window = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = (k: string) => url.searchParams.get(k) ?? '';
    const body =
      url.pathname === '/wecom/inbox'
        ? wecom.inbox(q('user'))
        : url.pathname === '/dingtalk/webhook'
          ? dingtalk.sessionWebhook(q('cid'))
          : url.pathname === '/dingtalk/posts'
            ? dingtalk.webhookPosts(q('cid'))
            : null;
    res.writeHead(body === null ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => window.listen(0, '127.0.0.1', r));
  project.provide('fakes', {
    wecomApi: wecom.url,
    dingtalkApi: dingtalk.url,
    window: `http://127.0.0.1:${(window.address() as AddressInfo).port}`,
  });
  return async () => {
    window.close();
    await wecom.close();
    await dingtalk.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    fakes: { wecomApi: string; dingtalkApi: string; window: string };
  }
}
