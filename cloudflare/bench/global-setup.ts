// The bench's fakes: the district WeCom knows the accounts of every district benched, and holds
// each message BENCH_LATENCY_MS (default 100 ms), as a round trip from Cloudflare to WeCom's API
// (through a fixed-egress proxy) would take.
import type { TestProject } from 'vitest/node';
import { districtUsers } from '../test/district';
import { startFakes } from '../test/global-setup';
import { benchSizes } from './sizes';

export default async function setup(project: TestProject) {
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 100);
  const sizes = benchSizes(process.env.BENCH_SIZES);
  const fakes = await startFakes({
    districtUsers: sizes.flatMap((s) => districtUsers(s.members, s.prefix)),
    latencyMs,
  });
  project.provide('fakes', fakes.provided);
  project.provide('bench', { latencyMs, sizes });
  return fakes.close;
}

declare module 'vitest' {
  export interface ProvidedContext {
    bench: { latencyMs: number; sizes: { members: number; prefix: string }[] };
  }
}
