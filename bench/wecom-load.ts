// The load generator, in a process of its own so that it takes no CPU from the server's event
// loop, on node:http with kept-open connections (Node's fetch costs more a request than the
// anchor's whole work: it would cap the anchor instead of measuring it). WeCom text-message
// callbacks, encrypted and signed before the clock starts, POSTed to `url` either by
// `concurrency` senders as fast as answers come (a burst) or at `perSecond` (a steady rate).
// Every request is bounded (5 s) and a reset or a timeout counts as an error, never an abort; the
// run ends after `n` requests or `deadlineMs`. Prints one JSON line: the answers, the errors, the
// time, and when each sender's message went (for the reply latency at the fake).
import http from 'node:http';
import { AGENT_ID, CORP_ID, KEYS } from '../tests/fakes/accounts';
import { textMessageXml, WecomCallbackClient } from '../tests/fakes/wecom-callback';

interface Load {
  url: string;
  /** Senders' userids, one message each in turn. */
  from: string[];
  n: number;
  content: string;
  /** MsgIds start here: each run gives its own range, so the server takes every message as new. */
  firstMsgId: number;
  concurrency?: number;
  perSecond?: number;
  deadlineMs: number;
}

const load = JSON.parse(process.argv[2] as string) as Load;
const client = new WecomCallbackClient({ url: load.url, ...KEYS });
const requests = Array.from({ length: load.n }, (_, i) => {
  const from = load.from[i % load.from.length] as string;
  const xml = textMessageXml({
    corpId: CORP_ID,
    from,
    content: load.content,
    msgId: `${load.firstMsgId + i}`,
    agentId: AGENT_ID,
  });
  return { from, envelope: client.envelope(xml) };
});

let ok = 0;
let errors = 0;
const sentAt: Record<string, number> = {};
const started = performance.now();
const deadline = started + load.deadlineMs;

const agent = new http.Agent({ keepAlive: true, maxSockets: load.concurrency ?? 64 });

/** One callback; its HTTP status, or 0 for a reset or a request that took over 5 s. */
function status(url: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      timeout: 5000,
      headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function post(i: number): Promise<void> {
  const r = requests[i];
  if (!r) return;
  sentAt[r.from] ??= Date.now();
  if ((await status(r.envelope.url, r.envelope.body)) === 200) ok++;
  else errors++;
}

if (load.perSecond) {
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < requests.length && performance.now() < deadline; i++) {
    const due = started + (i * 1000) / load.perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(post(i));
  }
  await Promise.all(inFlight);
} else {
  let next = 0;
  await Promise.all(
    Array.from({ length: load.concurrency ?? 32 }, async () => {
      while (next < requests.length && performance.now() < deadline) await post(next++);
    }),
  );
}
console.log(JSON.stringify({ ok, errors, ms: performance.now() - started, sentAt }));
