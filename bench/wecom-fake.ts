// The fake WeCom API in a process of its own, for the benchmarks that load the real server: it
// prints its address, and answers its parent (IPC) with what it received: the sends so far, and
// when each of some people first got one. Run by bench/wecom.ts.
import { AGENT_ID, CORP_ID, WECOM_SECRET } from '../tests/fakes/accounts';
import { startFakeWecomApi } from '../tests/fakes/wecom-api';

const users = process.argv.slice(2).flatMap((spec) => {
  const [prefix, count] = spec.split(':') as [string, string];
  return Array.from({ length: Number(count) }, (_, i) => `${prefix}${i}`);
});
const api = await startFakeWecomApi({ corpId: CORP_ID, secret: WECOM_SECRET, agentId: AGENT_ID, users });
const SEND = '/cgi-bin/message/send';

process.on('message', (ask: { id: number; what: 'sends' } | { id: number; what: 'arrivals'; prefix: string }) => {
  const sends = api.calls.filter((c) => c.path === SEND);
  if (ask.what === 'sends') {
    process.send?.({ id: ask.id, sends: sends.length });
    return;
  }
  const firsts: Record<string, number> = {};
  for (const c of sends) {
    const to = (c.body as { touser?: string }).touser ?? '';
    if (to.startsWith(ask.prefix) && !(to in firsts)) firsts[to] = c.at;
  }
  process.send?.({ id: ask.id, arrivals: firsts });
});
process.on('disconnect', () => void api.close().then(() => process.exit(0)));
process.send?.({ url: api.url });
