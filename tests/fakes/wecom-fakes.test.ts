// The WeCom fakes are only worth something if they behave like WeCom: the callback client must reproduce
// the official vectors and the fake API must enforce the limits and errcodes of the protocol reference.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt, getSignature } from '@wecom/crypto';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeWecomApi, startFakeWecomApi } from './wecom-api';
import { cardEventXml, enterAgentXml, textMessageXml, WecomCallbackClient } from './wecom-callback';
import vectors from './wecom-test-vectors.json'; // copy of /work/shared/protocols/test-vectors.json

interface WecomVector {
  id: string;
  token: string;
  encoding_aes_key: string;
  receive_id: string;
  request: { query: Record<string, string>; query_string_raw?: string; body?: string; encrypt?: string };
  expected: { message: string; encrypt?: string; msg_signature?: string };
  input?: { plaintext: string; random_utf8: string; timestamp: string; nonce: string };
}

function vector(id: string): WecomVector {
  const v = vectors.vectors.find((x) => x.id === id);
  if (!v) throw new Error(`no vector ${id}`);
  return v as unknown as WecomVector;
}

function clientFor(v: WecomVector, url = 'http://127.0.0.1:9/wecom/callback') {
  return new WecomCallbackClient({ url, token: v.token, encodingAesKey: v.encoding_aes_key, receiveId: v.receive_id });
}

/** The vectors do not publish their random prefix, but the ciphertext carries it: recover it to re-encrypt. */
const randomOf = (v: WecomVector, cipher: string) => decrypt(v.encoding_aes_key, cipher).random;

/**
 * A stand-in for the bot's callback endpoint: records raw requests, answers as told. `hold` never
 * answers (until close), so that a client's timeout is certain however slow the machine is.
 */
async function recorder(
  answer: (n: number) => { delayMs?: number; hold?: boolean; status?: number; body?: string } = () => ({}),
) {
  const seen: { method: string; url: string; contentType: string; body: string }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      contentType: String(req.headers['content-type']),
      body: Buffer.concat(chunks).toString('utf8'),
    });
    const a = answer(seen.length);
    if (a.hold) return;
    if (a.delayMs) await new Promise((r) => setTimeout(r, a.delayMs));
    if (!res.destroyed) res.writeHead(a.status ?? 200).end(a.body ?? 'success');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/callback`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  };
  return { url, seen, close };
}

describe('callback client: official vectors', () => {
  it('A: URL verification query is byte-for-byte the published one, and goes on the wire as is', async () => {
    const v = vector('wecom-A-url-verification');
    const { timestamp, nonce, echostr } = v.request.query as Record<string, string>;
    const opts = { random: randomOf(v, echostr as string), timestamp, nonce };
    expect(clientFor(v).verifyUrl(v.expected.message, opts).query).toBe(v.request.query_string_raw);

    const rec = await recorder((n) => ({ body: n ? v.expected.message : '' }));
    try {
      const res = await clientFor(v, rec.url).verify(v.expected.message, opts);
      expect(res.status).toBe(200);
      expect(rec.seen[0]?.method).toBe('GET');
      expect(rec.seen[0]?.url).toBe(`/wecom/callback?${v.request.query_string_raw}`);
    } finally {
      await rec.close();
    }
  });

  it('A: message POST body and signature are byte-for-byte the published ones', () => {
    const v = vector('wecom-A-message-xml');
    const q = v.request.query as Record<string, string>;
    const env = clientFor(v).envelope(v.expected.message, {
      random: randomOf(v, v.request.encrypt as string),
      timestamp: q.timestamp,
      nonce: q.nonce,
    });
    expect(env.encrypt).toBe(v.request.encrypt);
    expect(env.body).toBe(v.request.body);
    expect(env.query).toBe(`msg_signature=${q.msg_signature}&timestamp=${q.timestamp}&nonce=${q.nonce}`);
  });

  it('A: textMessageXml builds the official plaintext exactly (19-digit MsgId kept as a string)', () => {
    const xml = textMessageXml({
      corpId: 'wx5823bf96d3bd56c7',
      from: 'mycreate',
      content: 'hello',
      msgId: '4561255354251345929',
      createTime: 1409659813,
      agentId: 218,
    });
    expect(xml).toBe(vector('wecom-A-message-xml').expected.message);
  });

  it('B: verification and message reproduce ciphertext and signatures', () => {
    const vv = vector('wecom-B-url-verification');
    const q = vv.request.query as Record<string, string>;
    const ver = clientFor(vv).verifyUrl(vv.expected.message, {
      random: randomOf(vv, q.echostr as string),
      timestamp: q.timestamp,
      nonce: q.nonce,
    });
    expect(ver.encrypt).toBe(q.echostr);
    expect(ver.signature).toBe(q.msg_signature);
    expect(ver.query).toContain(`echostr=${encodeURIComponent(q.echostr as string)}`);
    expect(ver.query).toContain('%2B');

    const vm = vector('wecom-B-message-xml');
    const m = vm.request.query as Record<string, string>;
    const env = clientFor(vm).envelope(vm.expected.message, {
      random: randomOf(vm, vm.request.encrypt as string),
      timestamp: m.timestamp,
      nonce: m.nonce,
    });
    expect(env.encrypt).toBe(vm.request.encrypt);
    expect(env.signature).toBe(m.msg_signature);
    // The sample puts a newline between elements; otherwise identical.
    expect(env.body).toBe(vm.request.body?.replaceAll('\n', ''));
  });

  it('C: JSON-callback body is byte-for-byte the published one', () => {
    const v = vector('wecom-C-message-json');
    const q = v.request.query as Record<string, string>;
    const env = clientFor(v).envelope(v.expected.message, {
      random: randomOf(v, v.request.encrypt as string),
      timestamp: q.timestamp,
      nonce: q.nonce,
      format: 'json',
    });
    expect(env.body).toBe(v.request.body);
    expect(env.signature).toBe(q.msg_signature);
  });

  it('D: openReply verifies and decrypts a passive reply, rejecting forgeries', () => {
    const v = vector('wecom-D-passive-reply');
    const i = v.input as NonNullable<WecomVector['input']>;
    const reply = (sig: string) =>
      `<xml><Encrypt><![CDATA[${v.expected.encrypt}]]></Encrypt><MsgSignature><![CDATA[${sig}]]></MsgSignature>` +
      `<TimeStamp>${i.timestamp}</TimeStamp><Nonce><![CDATA[${i.nonce}]]></Nonce></xml>`;
    const client = clientFor(v);
    expect(client.openReply(reply(v.expected.msg_signature as string))).toBe(i.plaintext);
    expect(() => client.openReply(reply('e000d935978dede0b90dd36b8ac9376e36649a8f'))).toThrow(/MsgSignature/);
    const otherCorp = new WecomCallbackClient({
      url: 'http://127.0.0.1:9/',
      token: v.token,
      encodingAesKey: v.encoding_aes_key,
      receiveId: 'ww0000000000000000',
    });
    expect(() => otherCorp.openReply(reply(v.expected.msg_signature as string))).toThrow(/receiveid/);
    // The same envelope the client builds for a request is a valid reply too (same key, same receiveid).
    const env = client.envelope(i.plaintext, {
      random: Buffer.from(i.random_utf8),
      timestamp: i.timestamp,
      nonce: i.nonce,
    });
    expect(env.encrypt).toBe(v.expected.encrypt);
  });
});

describe('callback client: forgeries and WeCom timing', () => {
  const v = vector('wecom-A-message-xml');
  const plain = v.expected.message;

  it('badSignature flips the signature; receiveId forges the trailing id behind a valid signature', () => {
    const c = clientFor(v);
    const bad = c.envelope(plain, { badSignature: true, timestamp: '1', nonce: '2' });
    expect(bad.signature).not.toBe(getSignature(v.token, '1', '2', bad.encrypt));
    const foreign = c.envelope(plain, { receiveId: 'ww0000000000000000', timestamp: '1', nonce: '2' });
    expect(foreign.signature).toBe(getSignature(v.token, '1', '2', foreign.encrypt));
    expect(decrypt(v.encoding_aes_key, foreign.encrypt).id).toBe('ww0000000000000000');
  });

  it('mutateEncrypt truncates the base64 behind a valid signature: decrypt then throws', () => {
    const env = clientFor(v).envelope(plain, { mutateEncrypt: (e) => e.slice(0, -6), timestamp: '1', nonce: '2' });
    expect(env.signature).toBe(getSignature(v.token, '1', '2', env.encrypt));
    expect(() => decrypt(v.encoding_aes_key, env.encrypt)).toThrow();
  });

  it('plusAsSpace leaves + literal, so URLSearchParams sees spaces (the negative vector)', () => {
    const va = vector('wecom-A-url-verification');
    const q = va.request.query as Record<string, string>;
    const url = clientFor(va).verifyUrl(va.expected.message, {
      random: randomOf(va, q.echostr as string),
      timestamp: q.timestamp,
      nonce: q.nonce,
      plusAsSpace: true,
    }).url;
    const seen = new URL(url).searchParams.get('echostr');
    expect(seen).toBe(vectors.derived_negative_cases[0]?.echostr);
    expect(seen?.replaceAll(' ', '+')).toBe(q.echostr); // what a correct bot restores
  });

  it('post() sends the signed XML envelope as text/xml', async () => {
    const rec = await recorder();
    try {
      const c = clientFor(v, rec.url);
      const res = await c.post(plain, { timestamp: '1409659813', nonce: '1372623149' });
      expect(res.status).toBe(200);
      const got = rec.seen[0];
      expect(got?.contentType).toBe('text/xml');
      const url = new URL(got?.url ?? '', rec.url);
      const cipher = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(got?.body ?? '')?.[1] ?? '';
      expect(url.searchParams.get('msg_signature')).toBe(getSignature(v.token, '1409659813', '1372623149', cipher));
      expect(decrypt(v.encoding_aes_key, cipher)).toMatchObject({ message: plain, id: v.receive_id });
      await c.post(plain, { rawBody: '<xml>garbage</xml>' });
      expect(rec.seen[1]?.body).toBe('<xml>garbage</xml>');
    } finally {
      await rec.close();
    }
  });

  it('deliver() re-sends the identical request after a timeout and stops at the first answer', async () => {
    const rec = await recorder((n) => (n === 1 ? { hold: true } : {}));
    try {
      // The second attempt is answered at once: the timeout is long so that it does not race a slow machine.
      const r = await clientFor(v, rec.url).deliver(plain, { timeoutMs: 2000 });
      expect(r.attempts).toBe(2);
      expect(r.statuses).toEqual(['timeout', 200]);
      expect(r.bodies[1]).toBe('success');
      expect(rec.seen[1]?.url).toBe(rec.seen[0]?.url);
      expect(rec.seen[1]?.body).toBe(rec.seen[0]?.body);
    } finally {
      await rec.close();
    }
  });

  it('deliver() gives up after 3 retries', async () => {
    const rec = await recorder(() => ({ hold: true }));
    try {
      const r = await clientFor(v, rec.url).deliver(plain, { timeoutMs: 80 });
      expect(r.attempts).toBe(4);
      expect(r.statuses).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
    } finally {
      await rec.close();
    }
  });

  it('verify() rejects when the bot takes longer than WeCom waits', async () => {
    const rec = await recorder(() => ({ hold: true }));
    try {
      await expect(clientFor(v, rec.url).verify('123', { timeoutMs: 100 })).rejects.toThrow();
    } finally {
      await rec.close();
    }
  });

  it('event XML has the WeCom shape (SelectedItems/SelectedItem/QuestionKey/OptionIds/OptionId)', () => {
    const parser = new XMLParser({ parseTagValue: false, isArray: (n) => n === 'SelectedItem' || n === 'OptionId' });
    const card = parser.parse(
      cardEventXml({
        corpId: 'ww1',
        from: 'u1',
        taskId: 'task-1',
        eventKey: 'submit',
        responseCode: 'rc1',
        cardType: 'vote_interaction',
        selected: [{ questionKey: 'q1', optionIds: ['a', 'b'] }],
        createTime: 1700000000,
        agentId: 1000002,
      }),
    ).xml;
    expect(card).toMatchObject({
      MsgType: 'event',
      Event: 'template_card_event',
      EventKey: 'submit',
      TaskId: 'task-1',
      CardType: 'vote_interaction',
      ResponseCode: 'rc1',
      AgentID: '1000002',
      CreateTime: '1700000000',
      SelectedItems: { SelectedItem: [{ QuestionKey: 'q1', OptionIds: { OptionId: ['a', 'b'] } }] },
    });
    const enter = parser.parse(enterAgentXml({ corpId: 'ww1', from: 'u1', agentId: 7 })).xml;
    expect(enter).toMatchObject({ MsgType: 'event', Event: 'enter_agent', EventKey: '', AgentID: '7' });
    expect(textMessageXml({ corpId: 'c', from: 'u', content: 'a]]>b', msgId: 'CAIQg/PK', agentId: 1 })).toContain(
      '<![CDATA[a]]]]><![CDATA[>b]]>',
    );
  });
});

describe('fake WeCom API', () => {
  const corpId = 'ww1436e0e65a779aee';
  const secret = 's3cret';
  const agentId = 1000002;
  let api: FakeWecomApi;
  let token: string;

  beforeEach(async () => {
    api = await startFakeWecomApi({ corpId, secret, agentId, users: ['u1', 'U2', 'u3'], now: () => 1_800_000_000_000 });
    token = (await getToken()).access_token as string;
  });
  afterEach(() => api.close());

  async function getToken(id = corpId, s = secret) {
    const res = await fetch(`${api.url}/cgi-bin/gettoken?corpid=${id}&corpsecret=${s}`);
    return (await res.json()) as Record<string, unknown>;
  }
  async function call(path: string, body: unknown, t = token) {
    const res = await fetch(`${api.url}/cgi-bin/${path}?access_token=${t}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      json: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  }
  const send = async (body: Record<string, unknown>) =>
    (await call('message/send', { agentid: agentId, ...body })).json;
  const text = (touser: string, content: string, extra: Record<string, unknown> = {}) =>
    send({ touser, msgtype: 'text', text: { content }, ...extra });
  const update = async (body: Record<string, unknown>) =>
    (await call('message/update_template_card', { agentid: agentId, ...body })).json;

  const buttonCard = (taskId: string, extra: Record<string, unknown> = {}) => ({
    card_type: 'button_interaction',
    main_title: { title: '报到' },
    task_id: taskId,
    button_list: [
      { text: '参加', style: 1, key: 'yes' },
      { text: '请假', style: 2, key: 'no' },
    ],
    ...extra,
  });
  const sendCard = (touser: string, card: Record<string, unknown>) =>
    send({ touser, msgtype: 'template_card', template_card: card });

  it('issues tokens only for the right credentials and counts gettoken calls', async () => {
    expect(token).toMatch(/^.{32,512}$/);
    expect(await getToken(corpId, 'wrong')).toMatchObject({ errcode: 40001 });
    expect(await getToken('ww-other', secret)).toMatchObject({ errcode: 40013 });
    expect(await getToken()).toMatchObject({ errcode: 0, access_token: token }); // same token while it lives
    expect(api.tokenCalls()).toBe(4);
    expect((await call('message/send', {}, 'nope')).json.errcode).toBe(40014);
    expect((await call('message/send', {}, '')).json.errcode).toBe(41001);
  });

  it('expireToken makes the current token answer 42001 (or 40014); gettoken then issues a new one', async () => {
    expect(await text('u1', 'hi')).toMatchObject({ errcode: 0 });
    api.expireToken();
    expect(await text('u1', 'again')).toMatchObject({ errcode: 42001 });
    const fresh = await getToken();
    expect(fresh).toMatchObject({ errcode: 0, expires_in: 7200 });
    expect(fresh.access_token).not.toBe(token);
    token = fresh.access_token as string;
    expect(await text('u1', 'again')).toMatchObject({ errcode: 0 });
    api.expireToken(40014);
    expect(await text('u1', 'x')).toMatchObject({ errcode: 40014 });
  });

  it('tokens die after 7200 s on the injectable clock', async () => {
    api.advance(7199_000);
    expect(await text('u1', 'a')).toMatchObject({ errcode: 0 });
    api.advance(1_000);
    expect(await text('u1', 'b')).toMatchObject({ errcode: 42001 });
  });

  it('checks agentid, msgtype and content', async () => {
    expect(await send({ agentid: 1, touser: 'u1', msgtype: 'text', text: { content: 'x' } })).toMatchObject({
      errcode: 40056,
    });
    expect(await send({ touser: 'u1', msgtype: 'textcard_v9', text: { content: 'x' } })).toMatchObject({
      errcode: 40008,
    });
    expect(await text('u1', '')).toMatchObject({ errcode: 44004 });
  });

  it('truncates text and markdown at 2048 bytes on a UTF-8 boundary', async () => {
    const long = `a${'党'.repeat(1000)}`; // 1 + 3000 bytes: 2048 falls inside a character
    expect(await text('u1', long)).toMatchObject({ errcode: 0 });
    await send({ touser: 'u1', msgtype: 'markdown', markdown: { content: long } });
    for (const d of api.inbox('u1')) {
      const shown = (d.body[d.msgtype] as { content: string }).content;
      expect(Buffer.byteLength(shown)).toBe(2047);
      expect(long.startsWith(shown)).toBe(true);
    }
    expect(api.inbox('u1').map((d) => d.msgtype)).toEqual(['text', 'markdown']);
  });

  it('reports unknown users lower-cased in invaliduser, 81013 when nobody is valid', async () => {
    const r = await text('u1|Ghost|u2', 'hello');
    expect(r).toMatchObject({ errcode: 0, invaliduser: 'ghost' });
    expect(typeof r.msgid).toBe('string');
    expect(api.inbox('u1')).toHaveLength(1);
    expect(api.inbox('U2')[0]?.touser).toBe('U2'); // userids match case-insensitively
    expect(await text('Nobody|NONE', 'hello')).toMatchObject({ errcode: 81013, invaliduser: 'nobody|none' });
    expect(await text(Array.from({ length: 1001 }, (_, i) => `x${i}`).join('|'), 'hi')).toMatchObject({
      errcode: 40032,
    });
    await text('@all', 'to everyone');
    expect(api.inbox('u3').map((d) => (d.body.text as { content: string }).content)).toEqual(['to everyone']);
  });

  it('silently drops beyond 30 messages per minute per member', async () => {
    for (let i = 0; i < 35; i++) expect(await text('u1', `m${i}`)).toMatchObject({ errcode: 0 });
    expect(api.inbox('u1')).toHaveLength(30);
    expect(api.dropped.filter((d) => d.reason === 'rate_minute')).toHaveLength(5);
    expect(await text('u2', 'other member')).toMatchObject({ errcode: 0 });
    expect(api.inbox('u2')).toHaveLength(1);
    api.advance(60_000);
    await text('u1', 'next minute');
    expect(api.inbox('u1')).toHaveLength(31);
  });

  it('silently drops beyond 1000 messages per hour per member', async () => {
    for (let i = 0; i < 1000; i++) {
      await text('u1', `m${i}`);
      api.advance(2_001); // stays under 30/min
    }
    expect(api.inbox('u1')).toHaveLength(1000);
    expect(await text('u1', 'one too many')).toMatchObject({ errcode: 0 });
    expect(api.inbox('u1')).toHaveLength(1000);
    expect(api.dropped.at(-1)?.reason).toBe('rate_hour');
    api.advance(3600_000 - 1000 * 2_001 + 1);
    await text('u1', 'first slot free again');
    expect(api.inbox('u1')).toHaveLength(1001);
  }, 60_000);

  it('does not deliver identical content twice within the duplicate-check interval', async () => {
    const dup = { enable_duplicate_check: 1 };
    await text('u1', 'same', dup);
    expect(await text('u1', 'same', dup)).toMatchObject({ errcode: 0 });
    expect(api.inbox('u1')).toHaveLength(1);
    await text('u1', 'same'); // check off: delivered
    expect(api.inbox('u1')).toHaveLength(2);
    api.advance(1799_000);
    await text('u1', 'same', dup); // default interval 1800 s, last copy 1799 s ago
    expect(api.inbox('u1')).toHaveLength(2);
    api.advance(1_801_000);
    await text('u1', 'same', dup);
    expect(api.inbox('u1')).toHaveLength(3);
    await text('u2', 'short', { ...dup, duplicate_check_interval: 60 });
    api.advance(61_000);
    await text('u2', 'short', { ...dup, duplicate_check_interval: 60 });
    expect(api.inbox('u2')).toHaveLength(2);
  });

  it('validates template_card task_id format and uniqueness (42014)', async () => {
    const ok = await sendCard('u1', buttonCard('t-1_@x'));
    expect(ok).toMatchObject({ errcode: 0 });
    expect(typeof ok.response_code).toBe('string');
    expect(api.cards.get('t-1_@x')).toMatchObject({ touser: 'u1', updates: 0 });
    expect(await sendCard('u1', buttonCard('t-1_@x'))).toMatchObject({ errcode: 42014 });
    expect(await sendCard('u1', buttonCard('bad id!'))).toMatchObject({ errcode: 42014 });
    expect(await sendCard('u1', buttonCard('x'.repeat(129)))).toMatchObject({ errcode: 42014 });
    expect(await sendCard('u1', buttonCard('x'.repeat(128)))).toMatchObject({ errcode: 0 });
    const { task_id: _, ...noTask } = buttonCard('unused');
    expect(await sendCard('u1', noTask)).toMatchObject({ errcode: 42014 });
  });

  it('validates buttons, options, select lists and card_action', async () => {
    const btn = (key: unknown) => [{ text: '按钮', key }];
    expect(await sendCard('u1', buttonCard('k1', { button_list: btn(undefined) }))).toMatchObject({ errcode: 42017 });
    expect(await sendCard('u1', buttonCard('k2', { button_list: btn('k'.repeat(1025)) }))).toMatchObject({
      errcode: 42017,
    });
    expect(await sendCard('u1', buttonCard('k3', { button_list: btn('k'.repeat(1024)) }))).toMatchObject({
      errcode: 0,
    });
    const seven = Array.from({ length: 7 }, (_, i) => ({ text: `b${i}`, key: `k${i}` }));
    expect(await sendCard('u1', buttonCard('k4', { button_list: seven }))).toMatchObject({ errcode: 40058 });

    const options = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, text: `选项${i}` }));
    const vote = (n: number) => ({
      card_type: 'vote_interaction',
      task_id: `vote-${n}`,
      checkbox: { question_key: 'q', mode: 1, option_list: options(n) },
      submit_button: { text: '提交', key: 'submit' },
    });
    expect(await sendCard('u1', vote(20))).toMatchObject({ errcode: 0 });
    expect(await sendCard('u1', vote(21))).toMatchObject({ errcode: 40058 });

    const multi = (n: number) => ({
      card_type: 'multiple_interaction',
      task_id: `multi-${n}`,
      select_list: Array.from({ length: n }, (_, i) => ({ question_key: `q${i}`, option_list: options(2) })),
      submit_button: { text: '提交', key: 'submit' },
    });
    expect(await sendCard('u1', multi(3))).toMatchObject({ errcode: 0 });
    expect(await sendCard('u1', multi(4))).toMatchObject({ errcode: 40058 });

    const notice = { card_type: 'text_notice', main_title: { title: '通知' } };
    expect(await sendCard('u1', notice)).toMatchObject({ errcode: 42045 });
    const withAction = { ...notice, card_action: { type: 1, url: 'https://example.com' } };
    const sent = await sendCard('u1', withAction);
    expect(sent).toMatchObject({ errcode: 0 });
    expect(sent.response_code).toBeUndefined(); // notice cards without action_menu are not updatable
  });

  it('refuses interactive cards with 43012 while no callback URL is configured', async () => {
    api.setCallbackConfigured(false);
    expect(await sendCard('u1', buttonCard('cb-1'))).toMatchObject({ errcode: 43012 });
    api.setCallbackConfigured(true);
    expect(await sendCard('u1', buttonCard('cb-1'))).toMatchObject({ errcode: 0 });
  });

  it('update_template_card accepts each response_code once, within 72 h', async () => {
    const sent = await sendCard('u1|u2', buttonCard('upd-1'));
    const code = sent.response_code as string;
    expect(await update({ userids: ['u1'], response_code: code, button: { replace_name: '已报名' } })).toMatchObject({
      errcode: 0,
    });
    const card = api.cards.get('upd-1');
    expect(card).toMatchObject({ replacedName: '已报名', updates: 1 });
    expect(card?.byUser.get('u1')?.replacedName).toBe('已报名');
    expect(card?.byUser.get('U2')?.replacedName).toBeUndefined();
    expect(await update({ atall: 1, response_code: code, button: { replace_name: 'x' } })).toMatchObject({
      errcode: 42022,
    });
    expect(await update({ atall: 1, response_code: 'never-issued', button: { replace_name: 'x' } })).toMatchObject({
      errcode: 40058,
    });

    // A click hands out a fresh code; a full card replaces the stored one.
    const click = api.issueClickCode('upd-1', 'u2');
    const replacement = buttonCard('upd-1', { main_title: { title: '已截止' } });
    expect(await update({ userids: ['u2'], response_code: click, template_card: replacement })).toMatchObject({
      errcode: 0,
    });
    expect(api.cards.get('upd-1')).toMatchObject({ card: replacement, updates: 2 });
    expect(api.cards.get('upd-1')?.replacedName).toBeUndefined();

    const late = api.issueClickCode('upd-1', 'u1');
    const justInTime = api.issueClickCode('upd-1', 'u1');
    api.advance(72 * 3600_000 - 1);
    token = (await getToken()).access_token as string; // the clock also killed the 2-h token
    expect(await update({ atall: 1, response_code: justInTime, button: { replace_name: 'ok' } })).toMatchObject({
      errcode: 0,
    });
    api.advance(1);
    expect(await update({ atall: 1, response_code: late, button: { replace_name: 'x' } })).toMatchObject({
      errcode: 40058,
    });
    expect(() => api.issueClickCode('no-such-task', 'u1')).toThrow();
  });

  it('failNext injects HTTP errors, errcodes and delays, in order, on send and update', async () => {
    api.failNext(1, { status: 503 });
    api.failNext(2, { errcode: 45009 });
    api.failNext(1, { delayMs: 300 });
    const r1 = await call('message/send', { agentid: agentId, touser: 'u1', msgtype: 'text', text: { content: 'a' } });
    expect(r1.status).toBe(503);
    expect(await text('u1', 'b')).toMatchObject({ errcode: 45009 });
    expect(await update({ atall: 1, response_code: 'x', button: { replace_name: 'y' } })).toMatchObject({
      errcode: 45009,
    });
    const started = Date.now();
    expect(await text('u1', 'c')).toMatchObject({ errcode: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await text('u1', 'd')).toMatchObject({ errcode: 0 });
    expect(api.inbox('u1').map((d) => (d.body.text as { content: string }).content)).toEqual(['c', 'd']);
  });

  it('records every call in order', async () => {
    await text('u1', 'hi');
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /cgi-bin/gettoken',
      'POST /cgi-bin/message/send',
    ]);
    expect(api.calls[1]).toMatchObject({ query: { access_token: token }, body: { touser: 'u1', msgtype: 'text' } });
  });
});
