// The WeCom self-built app measured from outside, as an operator would load it: the real server
// as production runs it (`npm run build`, `node dist/node.js`, a file database), the fake WeCom
// API in its own process (replies counted there), and the load from a third process
// (bench/wecom-load.ts). The anchor (bench/wecom-anchor.ts: bare Hono, verify, decrypt, parse)
// and the ceiling (the same handler sending one reply a message to the fake through the bot's
// keep-alive client: the best a path that replies through WeCom's API can do on this box) are
// loaded the same way, alternating with the server, three rounds each: the figures are the
// medians, and the full path and the ceiling as shares of the anchor. Then a member's reply latency while 10,000
// reminders drain. Every step is bounded; a reset or a timeout counts, it never aborts the run.
// Prints one JSON line.

import { type ChildProcess, execFile, execFileSync, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Assistant } from '../bot/core/assistant';
import { silentLogger } from '../bot/core/log';
import { ACCOUNT_COLUMNS, PLATFORMS } from '../bot/platforms';
import { allMembers } from '../storage/people';
import { importRoster } from '../storage/roster';
import { openSqlite } from '../storage/sqlite';
import { wecomAppEnv } from '../tests/fakes/accounts';
import { type ServerProcess, startServer } from '../tests/helpers/server';
import { percentiles } from './stats';

const ROUNDS = 3;
const BURST = 3000;
const MEMBERS = 1000;
const REMINDERS = 10_000;
const ASKERS = 200;
const ASKS_PER_SECOND = 100;
/** How long a step may take before the bench calls it and goes on. */
const STEP_MS = 90_000;

const work = mkdtempSync(join(tmpdir(), 'zhibu-bench-wecom-'));
const tsxArgs = ['--import', 'tsx'];
const children: ChildProcess[] = [];
const servers: ServerProcess[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The CPU a process has used so far, in ms (Linux: /proc; elsewhere NaN). Less shaken than a rate
 * by the others on a shared box: what a message costs, not how much of the box it got.
 */
function cpuMs(pid: number | undefined): number {
  try {
    // Fields 14 and 15 (user, system) in clock ticks of 10 ms; the name in field 2 may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** The fake WeCom in its own process, and the questions its parent may ask it. */
async function startFake(users: string[]) {
  const child = fork('bench/wecom-fake.ts', users, {
    execArgv: tsxArgs,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  const [{ url }] = (await once(child, 'message')) as [{ url: string }];
  let next = 0;
  const ask = <T>(question: object): Promise<T> => {
    const id = ++next;
    return new Promise((resolve) => {
      const on = (m: { id?: number }) => {
        if (m.id !== id) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
      child.send({ id, ...question });
    });
  };
  return {
    url,
    pid: child.pid,
    sends: async () => (await ask<{ sends: number }>({ what: 'sends' })).sends,
    arrivals: async (prefix: string) =>
      (await ask<{ arrivals: Record<string, number> }>({ what: 'arrivals', prefix })).arrivals,
  };
}

/** The anchor; given the fake's address, the anchor that also replies (the ceiling). */
async function startAnchor(apiBase?: string): Promise<{ url: string; pid: number | undefined }> {
  const child = spawn(process.execPath, [...tsxArgs, 'bench/wecom-anchor.ts', ...(apiBase ? [apiBase] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  child.stdout.setEncoding('utf8');
  const [line] = (await once(child.stdout, 'data')) as [string];
  return { url: line.trim(), pid: child.pid };
}

interface LoadResult {
  ok: number;
  errors: number;
  ms: number;
  sentAt: Record<string, number>;
}

let msgIds = 4_000_000_000;
/** One run of the load generator in its own process. */
async function load(opts: { url: string; from: string[]; n: number; concurrency?: number; perSecond?: number }) {
  const spec = { ...opts, content: '我的信息', firstMsgId: msgIds, deadlineMs: STEP_MS };
  msgIds += opts.n;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...tsxArgs, 'bench/wecom-load.ts', JSON.stringify(spec)],
    {
      timeout: STEP_MS + 60_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop() as string) as LoadResult;
}

/** Polls `count` until it reaches `target` or the step's time is up: when it got there (or gave up). */
async function reached(count: () => Promise<number>, target: number): Promise<{ at: number; count: number }> {
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    const n = await count();
    if (n >= target || Date.now() > deadline) return { at: Date.now(), count: n };
    await pause(20);
  }
}

/** A database with a roster of these WeCom accounts, and a reminder planned to each of `reminded`. */
async function database(name: string, people: string[], reminded: string[] = []): Promise<string> {
  const file = join(work, `${name}.db`);
  const { db, close } = openSqlite(file);
  const table = [
    ['组织', '姓名', '角色', '企业微信账号'],
    ...people.map((u) => ['测试工委/第一支部', `成员${u}`, '党员', u]),
  ];
  if (!(await importRoster(db, table, Date.now(), 'bench', ACCOUNT_COLUMNS)).ok)
    throw new Error('roster import failed');
  const planner = new Assistant({ db, features: [], log: silentLogger, platforms: PLATFORMS, delivering: ['wecom'] });
  const wanted = new Set(reminded.map((u) => `成员${u}`));
  const members = (await allMembers(db)).filter((m) => wanted.has(m.name));
  const text = '请按时完成本月意识形态研判。';
  await planner.notifyAll(
    members.map((m) => ({ memberId: m.id, key: `bench:${m.id}`, outputs: [{ type: 'text', text }] })),
  );
  close();
  return file;
}

async function server(file: string, fakeUrl: string): Promise<{ url: string; pid: number | undefined }> {
  const s = await startServer({
    ZHIBU_DB: file,
    ZHIBU_DEMO: '0',
    ...wecomAppEnv(fakeUrl),
  });
  servers.push(s);
  return { url: `${s.url}/wecom/callback`, pid: s.child.pid };
}

/** Stops a server, and kills it should its graceful stop outlast a step. */
async function stop(s: ServerProcess | undefined): Promise<void> {
  if (!s) return;
  const killer = setTimeout(() => s.child.kill('SIGKILL'), STEP_MS);
  await s.stop();
  clearTimeout(killer);
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

try {
  execFileSync(process.execPath, [...tsxArgs, 'build.ts'], { stdio: 'ignore' });
  const members = ids('m', MEMBERS);
  const askers = ids('a', ASKERS);
  const reminded = ids('r', REMINDERS);
  const fake = await startFake([`m:${MEMBERS}`, `a:${ASKERS}`, `r:${REMINDERS}`]);

  // 1. Bursts of messages, the server alternating with the anchor.
  const full = await server(await database('burst', members), fake.url);
  const anchor = await startAnchor();
  const ceiling = await startAnchor(fake.url);
  /**
   * A burst: accepted per second, replied per second (until the last reply reached the fake), and
   * the CPU a replied message cost the process that answered and the fake that took the reply.
   */
  async function repliedRound(target: { url: string; pid: number | undefined }, n: number) {
    const before = await fake.sends();
    const cpu = [cpuMs(target.pid), cpuMs(fake.pid)];
    const started = Date.now();
    const r = await load({ url: target.url, from: members, n, concurrency: 32 });
    const done = await reached(async () => (await fake.sends()) - before, r.ok);
    return {
      accepted: r.ok / (r.ms / 1000),
      replied: done.count / ((done.at - started) / 1000),
      cpuMs: (cpuMs(target.pid) - (cpu[0] ?? 0)) / done.count,
      fakeCpuMs: (cpuMs(fake.pid) - (cpu[1] ?? 0)) / done.count,
      errors: r.errors,
    };
  }
  const anchorRound = async (n: number) => {
    const cpu = cpuMs(anchor.pid);
    const r = await load({ url: anchor.url, from: members, n, concurrency: 32 });
    return { rate: r.ok / (r.ms / 1000), cpuMs: (cpuMs(anchor.pid) - cpu) / r.ok, errors: r.errors };
  };
  await anchorRound(300); // warm up all three
  await repliedRound(ceiling, 300);
  await repliedRound(full, 300);
  const anchors: number[] = [];
  const ceilings: number[] = [];
  const accepted: number[] = [];
  const replied: number[] = [];
  const cpu = { anchor: [] as number[], ceiling: [] as number[], full: [] as number[], fake: [] as number[] };
  let errors = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const a = await anchorRound(BURST);
    const c = await repliedRound(ceiling, BURST);
    const f = await repliedRound(full, BURST);
    anchors.push(a.rate);
    ceilings.push(c.replied);
    accepted.push(f.accepted);
    replied.push(f.replied);
    cpu.anchor.push(a.cpuMs);
    cpu.ceiling.push(c.cpuMs);
    cpu.full.push(f.cpuMs);
    cpu.fake.push(f.fakeCpuMs, c.fakeCpuMs);
    errors += a.errors + c.errors + f.errors;
  }
  await stop(servers.pop());

  // 2. Members ask while 10,000 reminders drain: each answer's time from the question to the fake.
  const draining = await server(await database('drain', [...askers, ...reminded], reminded), fake.url);
  const sendsBefore = await fake.sends();
  const asked = await load({ url: draining.url, from: askers, n: ASKERS, perSecond: ASKS_PER_SECOND });
  let arrivals: Record<string, number> = {};
  await reached(async () => {
    arrivals = await fake.arrivals('a');
    return Object.keys(arrivals).length;
  }, ASKERS);
  const remindersOut = (await fake.sends()) - sendsBefore - Object.keys(arrivals).length;
  const latencies = askers.flatMap((a) => {
    const sent = asked.sentAt[a];
    const got = arrivals[a];
    return sent !== undefined && got !== undefined ? [got - sent] : [];
  });
  const reply = percentiles(latencies);

  console.log(
    JSON.stringify({
      rounds: ROUNDS,
      burst: BURST,
      anchorRate: median(anchors),
      ceilingRate: median(ceilings),
      ceilingRatio: median(ceilings) / median(anchors),
      acceptedRate: median(accepted),
      repliedRate: median(replied),
      ratio: median(replied) / median(anchors),
      ofCeiling: median(replied) / median(ceilings),
      acceptedRatio: median(accepted) / median(anchors),
      cpuMsPerMessage: {
        anchor: median(cpu.anchor),
        ceiling: median(cpu.ceiling),
        full: median(cpu.full),
        fake: median(cpu.fake),
      },
      errors,
      asks: ASKERS,
      answered: latencies.length,
      askErrors: asked.errors,
      remindersOutWhenAnswered: remindersOut,
      reminders: REMINDERS,
      replyP50: reply.p50,
      replyP99: reply.p99,
    }),
  );
} finally {
  for (const s of servers) await stop(s);
  for (const c of children) c.kill('SIGTERM');
}
process.exit(0);
