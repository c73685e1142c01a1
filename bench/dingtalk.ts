// DingTalk Stream benchmark: robot messages pushed by the fake gateway through our Stream client
// and the full inbound path (decode, record, ack; then answered in the background). A burst gives
// messages per second; a steady 200 a second gives the time from push to ack. Prints one JSON line.
import { dingtalkHarness } from '../tests/helpers/dingtalk';
import { percentiles } from './stats';

const h = await dingtalkHarness({ stream: { baseDelayMs: 50, maxDelayMs: 500, watchdogMs: 60_000 } });
h.stream.start();
await h.gateway.waitConnections(1);
let seq = 0;
const pushedAt = new Map<string, number>();
const push = () => {
  const id = h.gateway.pushRobot(h.robotPayload('我的信息', 'dt-zhangwei', undefined, `bench-${seq++}`));
  pushedAt.set(id, Date.now());
  return id;
};

// A burst of 2,000.
const burst = 2000;
const started = performance.now();
for (let i = 0; i < burst; i++) push();
await h.until(() => h.gateway.acks.length >= burst, 120_000);
const perSecond = burst / ((performance.now() - started) / 1000);
await h.settle();

// A steady 200 a second for 5 seconds.
const from = h.gateway.acks.length;
const rate = 200;
for (let i = 0; i < rate * 5; i++) {
  push();
  await new Promise((r) => setTimeout(r, 1000 / rate));
}
await h.until(() => h.gateway.acks.length >= from + rate * 5, 60_000);
const latencies = h.gateway.acks.slice(from).map((a) => a.at - (pushedAt.get(a.headers.messageId) ?? a.at));
await h.close();
console.log(JSON.stringify({ burst, perSecond, rate, ...percentiles(latencies) }));
process.exit(0);
