// The districts the bench runs (BENCH_SIZES, e.g. "1000,5000"; default 1,000, 5,000 and 10,000),
// each with its own WeCom accounts, so that one fake WeCom knows them all.
export function benchSizes(spec = '1000,5000,10000'): { members: number; prefix: string }[] {
  return spec.split(',').map((n, i) => ({ members: Number(n), prefix: `s${i}x` }));
}
