// Runs in Node before the workerd tests: the fake WeCom API and DingTalk OpenAPI on loopback (the
// Worker under test calls them like the real ones), a second fake WeCom API that knows a generated
// district (district.ts), and a small window onto what they received.
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
import { districtUsers } from './district';

/** The district the tests fan out to: 2,000 members, 203 班子成员 and 100 书记. */
export const TEST_DISTRICT = 2_000;

/**
 * Starts the fakes and the window. `latencyMs` delays each message the district's WeCom takes
 * (two a member at most), as the real API's round trip would (the bench); the tests take them at
 * loopback speed.
 */
export async function startFakes(opts: { districtUsers: string[]; latencyMs?: number }) {
  const wecom = await startFakeWecomApi({
    corpId: CORP_ID,
    secret: WECOM_SECRET,
    agentId: AGENT_ID,
    users: WECOM_USERS,
  });
  const district = await startFakeWecomApi({
    corpId: CORP_ID,
    secret: WECOM_SECRET,
    agentId: AGENT_ID,
    users: opts.districtUsers,
  });
  if (opts.latencyMs) district.failNext(opts.districtUsers.length * 2, { delayMs: opts.latencyMs });
  const dingtalk = await startFakeOpenApi({ ...DINGTALK_CLIENT, users: DINGTALK_USERS });
  const users = opts.districtUsers;
  /** What the district's WeCom delivered: to whom, and the reminder's title (a card's, or a markdown card's first line). */
  const districtSends = () =>
    users.flatMap((user) =>
      district.inbox(user).map((m) => {
        const body = m.body as { template_card?: { main_title?: { title?: string } }; markdown?: { content?: string } };
        const title = body.template_card?.main_title?.title ?? body.markdown?.content?.match(/^\*\*(.+?)\*\*/)?.[1];
        return { to: user, title: title ?? '' };
      }),
    );
  // GET /wecom/inbox?user=, /dingtalk/webhook?cid= (a fresh session webhook), /dingtalk/posts?cid=,
  // /dingtalk/inbox?user= (1:1 sends), /dingtalk/tokens (accessToken calls),
  // /district/sends, /district/dropped, /district/tokens (gettoken calls), /district/expire-token (WeCom's 42001).
  const window = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = (k: string) => url.searchParams.get(k) ?? '';
    const routes: Record<string, () => unknown> = {
      '/wecom/inbox': () => wecom.inbox(q('user')),
      '/dingtalk/webhook': () => dingtalk.sessionWebhook(q('cid')),
      '/dingtalk/posts': () => dingtalk.webhookPosts(q('cid')),
      '/dingtalk/inbox': () => dingtalk.inbox(q('user')),
      '/dingtalk/tokens': () => dingtalk.tokenCalls(),
      '/district/sends': districtSends,
      // Messages WeCom accepted but did not show: a duplicate a send repeated would be one.
      '/district/dropped': () => district.dropped,
      '/district/tokens': () => district.tokenCalls(),
      '/district/expire-token': () => {
        district.expireToken(42001);
        return true;
      },
    };
    const route = routes[url.pathname];
    res.writeHead(route ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(route ? route() : null));
  });
  await new Promise<void>((r) => window.listen(0, '127.0.0.1', r));
  return {
    provided: {
      wecomApi: wecom.url,
      districtWecomApi: district.url,
      dingtalkApi: dingtalk.url,
      window: `http://127.0.0.1:${(window.address() as AddressInfo).port}`,
    },
    async close() {
      window.close();
      await wecom.close();
      await district.close();
      await dingtalk.close();
    },
  };
}

export default async function setup(project: TestProject) {
  const fakes = await startFakes({ districtUsers: districtUsers(TEST_DISTRICT) });
  project.provide('fakes', fakes.provided);
  return fakes.close;
}

declare module 'vitest' {
  export interface ProvidedContext {
    fakes: { wecomApi: string; districtWecomApi: string; dingtalkApi: string; window: string };
  }
}
