// 台账 console benchmark: a district of 50 branches (25 members each) and a year of records, made
// by the seeded generator; an admin's session; each page requested 100 times after warming up
// (so that p95 is not just the two slowest of a few),
// through the app as the server serves it. Prints one JSON line: p50/p95 per page, in ms.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../bot/app';
import { nodeRichReader } from '../bot/cli/documents';
import { loadDutiesFile, loadFormsDir } from '../bot/cli/rule-files';
import { Assistant } from '../bot/core/assistant';
import { silentLogger } from '../bot/core/log';
import { ACCOUNT_COLUMNS, PLATFORMS } from '../bot/platforms';
import { buildFeatures } from '../handlers';
import { CONSOLE_ENTER_PATH } from '../handlers/console';
import { signedLink } from '../handlers/links';
import { allOrgs, branchesOf } from '../storage/orgs';
import { membersWithRole } from '../storage/people';
import { openSqlite } from '../storage/sqlite';
import { generateDistrict } from './generate-district';
import { percentiles } from './stats';

const BRANCHES = 50;
const RUNS = 100;
const secret = 'bench-console-secret';
const forms = loadFormsDir('data/forms');
const duties = loadDutiesFile('data/duties.json');
const { db, close } = openSqlite(join(mkdtempSync(join(tmpdir(), 'zhibu-bench-console-')), 'bench.db'));
const now = Date.parse('2026-12-06T02:00:00Z');
await generateDistrict(db, { branches: BRANCHES, members: 25, seed: 18, now, forms });
const bot = new Assistant({
  db,
  features: buildFeatures(db, { duties, forms }),
  log: silentLogger,
  platforms: PLATFORMS,
  now: () => new Date(now),
});
const app = createApp({
  assistant: bot,
  log: silentLogger,
  version: 'bench',
  channels: [],
  platforms: PLATFORMS.map((p) => p.id),
  console: { secret, duties, forms, accountColumns: ACCOUNT_COLUMNS, richReader: nodeRichReader },
});
const [admin] = await membersWithRole(db, '管理员');
const link = new URL(
  await signedLink({ baseUrl: 'http://b', secret }, CONSOLE_ENTER_PATH, { p: 'sim', u: admin?.id ?? '' }, now + 60_000),
);
const entered = await app.request(link.pathname + link.search);
const cookie = (entered.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
const branch = branchesOf(await allOrgs(db))[0]?.id ?? '';

const pages: Record<string, string> = {
  'overview (quarter)': '/admin',
  'overview (year)': '/admin?p=2026',
  charts: '/admin/charts',
  'branch detail (year)': `/admin/org/${branch}?p=2026`,
  'knowledge base': '/admin/kb',
};
const out: Record<string, { p50: number; p95: number; bytes: number }> = {};
for (const [name, path] of Object.entries(pages)) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = performance.now();
    const res = await app.request(path, { headers: { cookie } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    if (i >= 3) times.push(performance.now() - t0);
    bytes = body.length;
  }
  const { p50, p95 } = percentiles(times);
  out[name] = { p50, p95, bytes };
}
close();
console.log(JSON.stringify({ branches: BRANCHES, pages: out }));
