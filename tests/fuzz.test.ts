// Every route a platform, a browser or a script can reach, fed a few thousand mutated requests from
// a seeded generator (the same requests every run; FUZZ_SEED=n tries others): none may answer 5xx,
// and a request refused (4xx) may not have written a row. Mutations are made both to what is on
// the wire (signature, envelope, headers: unsigned input) and to what is inside a correct
// signature or encryption (signed-but-malformed input).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../bot/app';
import { loadFormsDir } from '../bot/cli/rule-files';
import { silentLogger } from '../bot/core/log';
import { dingtalk } from '../bot/dingtalk';
import { PLATFORMS } from '../bot/platforms';
import { sim } from '../bot/sim';
import { wecom as wecomPlatform } from '../bot/wecom';
import { MEETINGS_FILE_PATH } from '../handlers/checkin';
import { signedLink } from '../handlers/links';
import { orgsNamed } from '../storage/orgs';
import { CORP_ID, DINGTALK_CLIENT, KEYS } from './fakes/accounts';
import { dingtalkSign } from './fakes/dingtalk-sign';
import { cardEventXml, enterAgentXml, textMessageXml, WecomCallbackClient } from './fakes/wecom-callback';
import { formPagePath, testBot } from './helpers/bot';
import { writesSoFar } from './helpers/writes';

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
/** Mutated requests per route (the WeCom app's URL check adds a few): about 4,000 in all. */
const PER_ROUTE = 800;
const BOT_KEYS = { token: 'bot-token', encodingAesKey: KEYS.encodingAesKey, receiveId: '' };
const links = { baseUrl: 'http://bot.test', secret: 'fuzz-link-secret-value' };

/** mulberry32: a small seeded PRNG, enough to pick mutations reproducibly. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

/** Text a careless parser chokes on. */
const NASTY = [
  '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
  '<!ENTITY a "aaaaaaaaaa">',
  '&x;',
  ']]>',
  '<![CDATA[',
  '<xml>',
  '</xml>',
  '\u0000',
  '\uffff',
  '\ud800',
  "=cmd|' /C calc'!A0",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '{"a":',
  'null',
  '1e400',
  '-0',
  '管理员',
  'x'.repeat(5000),
];

function mutateText(rng: Rng, text: string): string {
  let s = text;
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const at = rng.int(s.length + 1);
    switch (rng.int(6)) {
      case 0:
        s = s.slice(0, at) + rng.pick(NASTY) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + rng.int(20));
        break;
      case 2:
        s = s.slice(0, at);
        break;
      case 3:
        s = s.slice(0, at) + String.fromCharCode(rng.int(0x3000)) + s.slice(at + 1);
        break;
      case 4:
        s = s.slice(0, at) + s.slice(rng.int(s.length), rng.int(s.length) + 30) + s.slice(at);
        break;
      default:
        s = rng.pick(NASTY) + s;
    }
  }
  return s;
}

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  '',
  ' ',
  'x'.repeat(3000),
  [],
  [null],
  [1, 'a', {}],
  {},
  { a: { b: { c: [null] } } },
  '<xml/>',
  '帮助',
  '1',
];

/** A copy of a JSON value with one to three places replaced, removed or added. */
function mutateJson(rng: Rng, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  const containers = (v: unknown, acc: (Record<string, unknown> | unknown[])[] = []) => {
    if (v && typeof v === 'object') {
      acc.push(v as Record<string, unknown>);
      for (const child of Object.values(v)) containers(child, acc);
    }
    return acc;
  };
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const all = containers(copy);
    if (all.length === 0) return structuredClone(rng.pick(ODD_VALUES));
    const target = rng.pick(all) as Record<string, unknown>;
    const keys = Object.keys(target);
    const key = keys.length > 0 && rng.int(5) > 0 ? rng.pick(keys) : `k${rng.int(3)}`;
    const current = target[key];
    const roll = rng.int(4);
    if (roll === 0) delete target[key];
    else if (roll === 1 && typeof current === 'string') target[key] = mutateText(rng, current);
    else target[key] = structuredClone(rng.pick(ODD_VALUES));
  }
  return copy;
}

/** What an HTTP header can carry (a client cannot send anything else). */
const headerText = (s: string) => s.replace(/[^\x20-\x7e]/g, '');

let t: Awaited<ReturnType<typeof testBot>>;
let app: ReturnType<typeof createApp>;
const pending = new Set<Promise<unknown>>();
const writes = () => writesSoFar(t.db);

beforeAll(async () => {
  const defer = (work: () => Promise<unknown>) => {
    const p = work().catch(() => undefined);
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  t = await testBot({ links, defer });
  const deps = {
    db: t.db,
    log: silentLogger,
    now: Date.now,
    clientAddress: () => '127.0.0.1',
    showAsText: async () => {},
  };
  // Every route the platforms serve, as their adapters open them (no page sign-in: the form page opens as is).
  const { pageSignIn: _wecomSignIn, ...wecomChannel } = wecomPlatform.open(
    wecomPlatform.settings.parse({
      WECOM_CORP_ID: CORP_ID,
      WECOM_AGENT_ID: '1000002',
      WECOM_SECRET: 'fuzz-secret',
      WECOM_TOKEN: KEYS.token,
      WECOM_ENCODING_AES_KEY: KEYS.encodingAesKey,
      WECOM_BOT_TOKEN: BOT_KEYS.token,
      WECOM_BOT_ENCODING_AES_KEY: BOT_KEYS.encodingAesKey,
    }),
    deps,
  );
  const dingtalkChannel = dingtalk.open(
    dingtalk.settings.parse({
      DINGTALK_CLIENT_ID: DINGTALK_CLIENT.clientId,
      DINGTALK_CLIENT_SECRET: DINGTALK_CLIENT.clientSecret,
      DINGTALK_MODE: 'http',
    }),
    deps,
  );
  app = createApp({
    assistant: t.bot,
    log: silentLogger,
    version: 'fuzz',
    channels: [
      { id: sim.id, channel: sim.open({}, deps) },
      { id: wecomPlatform.id, channel: wecomChannel },
      { id: dingtalk.id, channel: dingtalkChannel },
    ],
    platforms: PLATFORMS.map((p) => p.id),
    files: {
      secret: links.secret,
      meetingsWorkbook: async () => ({ name: 'x.xlsx', bytes: new ArrayBuffer(8) }),
    },
    formPage: { forms: loadFormsDir('data/forms'), secret: links.secret },
  });
});
afterAll(() => t.close());

interface Sent {
  what: string;
  path: string;
  init: RequestInit;
  /** What was inside the encryption, for the report. */
  plain?: string;
}

/** Sends one request and checks the rule: no 5xx, and a refusal writes nothing. */
async function check(req: Sent): Promise<number> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
  const before = await writes();
  const res = await app.request(req.path, req.init);
  await res.arrayBuffer();
  const refused = res.status >= 400;
  const wrote = refused ? (await writes()) - before : 0;
  const problem =
    res.status >= 500 ? `answered ${res.status}` : wrote > 0 ? `refused (${res.status}) yet wrote ${wrote} rows` : null;
  if (problem) {
    const body = (req.plain ?? (typeof req.init.body === 'string' ? req.init.body : String(req.init.body))).slice(
      0,
      600,
    );
    throw new Error(`${req.what} ${problem} (FUZZ_SEED=${SEED})\n${req.init.method ?? 'GET'} ${req.path}\n${body}`);
  }
  return res.status;
}

/** The mutations both got past the door (answered) and were turned away at it (refused). */
function expectBothAnsweredAndRefused(statuses: number[]): void {
  expect(statuses.filter((s) => s < 300).length).toBeGreaterThan(0);
  expect(statuses.filter((s) => s >= 400).length).toBeGreaterThan(0);
}

const wecom = new WecomCallbackClient({ url: 'http://bot.test/wecom/callback', ...KEYS });
const wecomBot = new WecomCallbackClient({ url: 'http://bot.test/wecom/bot', ...BOT_KEYS });
const path = (url: string) => url.replace('http://bot.test', '');

describe('signed but malformed', () => {
  it('answers the payloads a probe found with 400, writing nothing', async () => {
    const at = String(Date.now());
    const dingtalk = (body: unknown, timestamp: string) => ({
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        timestamp,
        sign: dingtalkSign(DINGTALK_CLIENT.clientSecret, timestamp),
      },
      body: JSON.stringify(body),
    });
    const robot = { msgId: 'p1', senderStaffId: 'dt-zhouhong', msgtype: 'text', text: { content: '研判情况' } };
    const doctype = wecom.envelope(
      `<!DOCTYPE xml [<!ENTITY x "y">]>${textMessageXml({ corpId: CORP_ID, from: 'zhangwei', content: '&x;', msgId: '5', agentId: 1000002 })}`,
    );
    const form = await formPagePath(t.db, links, '兰陵小学党支部', 'wecom', 'wangjianguo', '2025');
    const probes: Sent[] = [
      {
        what: 'text.content not a string',
        path: '/dingtalk/robot',
        init: dingtalk({ ...robot, text: { content: 7 } }, at),
      },
      {
        what: 'atUsers: [null]',
        path: '/dingtalk/robot',
        init: dingtalk({ ...robot, atUsers: [null] }, String(+at - 1)),
      },
      { what: 'a DOCTYPE', path: path(doctype.url), init: { method: 'POST', body: doctype.body } },
      {
        what: 'a form post that is no form',
        path: form,
        init: { method: 'POST', body: '{"i1":"3"}', headers: { 'content-type': 'application/json' } },
      },
    ];
    for (const probe of probes) expect([probe.what, await check(probe)]).toEqual([probe.what, 400]);
  });
});

describe('fuzzing every route', () => {
  it('WeCom self-built app callback', async () => {
    const rng = prng(SEED + 1);
    const plains = [
      textMessageXml({ corpId: CORP_ID, from: 'zhangwei', content: '帮助', msgId: '1', agentId: 1000002 }),
      enterAgentXml({ corpId: CORP_ID, from: 'zhangwei', agentId: 1000002 }),
      cardEventXml({
        corpId: CORP_ID,
        from: 'zhangwei',
        taskId: 'c_1',
        eventKey: 'b0',
        responseCode: 'r',
        selected: [{ questionKey: 'q', optionIds: ['o1'] }],
        agentId: 1000002,
      }),
    ];
    const statuses: number[] = [];
    for (let i = 0; i < PER_ROUTE; i++) {
      const plain = rng.pick(plains).replace(/<MsgId>\d+/, `<MsgId>${i}`);
      if (rng.int(2) === 0) {
        // Inside a correct signature: the decrypted XML is malformed.
        const inside = mutateText(rng, plain);
        const env = wecom.envelope(inside);
        const init = { method: 'POST', body: env.body };
        statuses.push(await check({ what: 'signed', path: path(env.url), init, plain: inside }));
      } else {
        const env = wecom.envelope(plain);
        const url = rng.int(2) === 0 ? mutateText(rng, path(env.url)) : path(env.url);
        const body = url === path(env.url) ? mutateText(rng, env.body) : env.body;
        statuses.push(
          await check({
            what: 'unsigned',
            path: url.startsWith('/') ? url : `/${url}`,
            init: { method: 'POST', body },
          }),
        );
      }
    }
    for (let i = 0; i < PER_ROUTE / 10; i++) {
      const verify = wecom.verifyUrl(`echo${i}`);
      statuses.push(
        await check({ what: 'verify', path: mutateText(rng, path(verify.url)).replace(/^(?!\/)/, '/'), init: {} }),
      );
    }
    expectBothAnsweredAndRefused(statuses);
  });

  it('WeCom smart bot HTTP callback', async () => {
    const rng = prng(SEED + 2);
    const bodies = [
      {
        msgid: 'm',
        aibotid: 'bot1',
        chatid: 'wrGroup1',
        chattype: 'group',
        from: { userid: 'wangjianguo' },
        msgtype: 'text',
        text: { content: '@bot 帮助' },
      },
      { msgid: 'm', from: { userid: 'zhangwei' }, msgtype: 'event', event: { eventtype: 'enter_chat' } },
      {
        msgid: 'm',
        from: { userid: 'zhangwei' },
        chattype: 'single',
        msgtype: 'event',
        event: {
          eventtype: 'template_card_event',
          template_card_event: {
            card_type: 'button_interaction',
            event_key: 'b0',
            task_id: 'c_1',
            selected_items: { selected_item: [{ question_key: 'q', option_ids: { option_id: ['o1'] } }] },
          },
        },
      },
    ];
    const statuses: number[] = [];
    for (let i = 0; i < PER_ROUTE; i++) {
      const body = { ...rng.pick(bodies), msgid: `fuzz-${i}` };
      const inside = rng.int(2) === 0;
      const plain = inside
        ? rng.int(3) === 0
          ? mutateText(rng, JSON.stringify(body))
          : JSON.stringify(mutateJson(rng, body))
        : JSON.stringify(body);
      const env = wecomBot.envelope(plain, { format: 'json' });
      const wire = inside
        ? env.body
        : rng.int(2) === 0
          ? mutateText(rng, env.body)
          : JSON.stringify(mutateJson(rng, JSON.parse(env.body)));
      const url = inside || rng.int(3) > 0 ? path(env.url) : mutateText(rng, path(env.url)).replace(/^(?!\/)/, '/');
      statuses.push(
        await check({
          what: inside ? 'signed' : 'unsigned',
          path: url,
          init: { method: 'POST', body: wire, headers: { 'content-type': 'application/json' } },
          plain,
        }),
      );
    }
    expectBothAnsweredAndRefused(statuses);
  });

  it('DingTalk robot and card callbacks (HTTP mode)', async () => {
    const rng = prng(SEED + 3);
    const robot = {
      msgId: 'm',
      conversationId: 'cid1',
      conversationType: '2',
      conversationTitle: '群',
      senderStaffId: 'dt-zhangwei',
      senderId: '$:LWCP_v1:$x',
      chatbotUserId: 'bot-dingtalk-id',
      msgtype: 'text',
      text: { content: ' 帮助' },
      atUsers: [{ dingtalkId: 'bot-dingtalk-id' }, { dingtalkId: 'u2', staffId: 'dt-limin' }],
      sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=x',
      sessionWebhookExpiredTime: Date.now() + 3600_000,
    };
    const content = { cardPrivateData: { actionIds: ['b0'], params: { i1: '3', note: ['a'] } } };
    const card = { outTrackId: 'c_1', userId: 'dt-zhangwei', spaceType: 'IM', content: JSON.stringify(content) };
    const statuses: number[] = [];
    let stamp = Date.now();
    for (let i = 0; i < PER_ROUTE; i++) {
      const isCard = rng.int(2) === 0;
      let payload: unknown = isCard ? card : { ...robot, msgId: `fuzz-${i}` };
      if (isCard && rng.int(2) === 0) payload = { ...card, content: JSON.stringify(mutateJson(rng, content)) };
      else payload = mutateJson(rng, payload);
      const timestamp = String(--stamp); // a fresh pair each time: DingTalk signs every request anew
      const signed = rng.int(3) > 0;
      const headers: Record<string, string> = {
        'content-type': rng.int(6) === 0 ? 'text/plain' : 'application/json',
        timestamp: signed ? timestamp : headerText(mutateText(rng, timestamp)),
        sign: signed ? dingtalkSign(DINGTALK_CLIENT.clientSecret, timestamp) : headerText(mutateText(rng, 'c2lnbg==')),
      };
      const body = rng.int(5) === 0 ? mutateText(rng, JSON.stringify(payload)) : JSON.stringify(payload);
      statuses.push(
        await check({
          what: signed ? 'signed' : 'unsigned',
          path: isCard ? '/dingtalk/card' : '/dingtalk/robot',
          init: { method: 'POST', headers, body },
        }),
      );
    }
    expectBothAnsweredAndRefused(statuses);
  });

  it('the self-check form page and signed downloads', async () => {
    const rng = prng(SEED + 4);
    const form = await formPagePath(t.db, links, '兰陵小学党支部', 'wecom', 'wangjianguo');
    const [org] = await orgsNamed(t.db, '兰陵小学党支部');
    const file = path(
      await signedLink(
        links,
        MEETINGS_FILE_PATH,
        { org: org?.id ?? '', from: '0', to: String(Date.now()) },
        Date.now() + 60_000,
      ),
    );
    const statuses: number[] = [];
    for (let i = 0; i < PER_ROUTE; i++) {
      const which = rng.int(4);
      if (which === 0) {
        statuses.push(await check({ what: 'download', path: mutateText(rng, file).replace(/^(?!\/)/, '/'), init: {} }));
      } else if (which === 1) {
        statuses.push(
          await check({ what: 'form link', path: mutateText(rng, form).replace(/^(?!\/)/, '/'), init: {} }),
        );
      } else {
        const fields = new URLSearchParams({ i1: '3', i2: '是', button: String(rng.int(3)) });
        const raw = rng.int(2) === 0 ? mutateText(rng, fields.toString()) : fields.toString();
        const type = rng.pick([
          'application/x-www-form-urlencoded',
          'multipart/form-data',
          'text/plain',
          'application/json',
          '',
        ]);
        const where = which === 2 ? form : mutateText(rng, form).replace(/^(?!\/)/, '/');
        statuses.push(
          await check({
            what: 'form post',
            path: where,
            init: { method: 'POST', body: raw, headers: type ? { 'content-type': type } : {} },
          }),
        );
      }
    }
    expectBothAnsweredAndRefused(statuses);
  });

  it('the simulator API', async () => {
    const rng = prng(SEED + 5);
    const bodies = [
      {
        route: '/sim/api/message',
        body: { member: '王建国', chat: 'sim-lanling', text: '签到 支部党员大会 学习 30分钟' },
      },
      { route: '/sim/api/message', body: { member: 'guest:访客', chat: 'direct', text: '帮助', id: 'x' } },
      {
        route: '/sim/api/action',
        body: { member: '张伟', card: 'c_x', action: 'help.topic:绑定', values: { a: ['b'] } },
      },
    ];
    const statuses: number[] = [];
    for (let i = 0; i < PER_ROUTE; i++) {
      const seed = rng.pick(bodies);
      const roll = rng.int(6);
      if (roll === 0) {
        const member = encodeURIComponent(rng.pick(['张伟', 'guest:x', '']));
        const read = rng.pick([
          `/sim/api/inbox?member=${member}`,
          `/sim/api/history?member=${member}&chat=sim-lanling&after=3`,
        ]);
        statuses.push(await check({ what: 'read', path: mutateText(rng, read).replace(/^(?!\/)/, '/'), init: {} }));
        continue;
      }
      const body = roll === 1 ? mutateText(rng, JSON.stringify(seed.body)) : JSON.stringify(mutateJson(rng, seed.body));
      const headers: Record<string, string> = {
        'content-type':
          rng.int(8) === 0
            ? rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx'])
            : 'application/json',
      };
      if (rng.int(10) === 0) headers.origin = rng.pick(['http://evil.example', 'null', 'http://localhost']);
      statuses.push(await check({ what: 'sim', path: seed.route, init: { method: 'POST', headers, body } }));
    }
    expectBothAnsweredAndRefused(statuses);
  });
});
