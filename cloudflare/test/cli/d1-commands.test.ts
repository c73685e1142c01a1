// The operator commands on a local D1, run as docs/workers.md tells a district to: from a folder
// of their own, through npm with --prefix cloudflare, on a database `npm run migrate:local` built.
// Each run gets its own --persist-to folder, so the developer's .wrangler state is left alone.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeXlsx } from '../../../bot/cli/table-file';
import { toCsv } from '../../../bot/files';
import { DEMO_ROSTER } from '../../../storage/demo';

const CLOUDFLARE = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'zhibu-d1-cli-'));
const state = join(work, 'state');

/** `npm run <script> --prefix cloudflare -- <args>` from the operator's folder. */
function npm(script: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(
      'npm',
      ['run', '--silent', script, '--prefix', CLOUDFLARE, '--', ...args],
      {
        cwd: work,
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
      },
      (error, out, err) => done({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}
const local = ['--local', '--persist-to', 'state'];

beforeAll(async () => {
  const migrated = await npm('migrate:local', '--persist-to', state);
  expect(migrated.code, migrated.err).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('roster on D1', () => {
  it('imports a workbook whole, refuses a bad one naming every bad cell, and exports what it holds', async () => {
    // The demo's people, 延陵小学's in its 第一党小组 (赵磊 its 党小组长).
    const header = DEMO_ROSTER[0] as string[];
    await writeXlsx(join(work, '名册.xlsx'), '名册', DEMO_ROSTER);
    const imported = await npm('roster', 'import', '名册.xlsx', ...local);
    expect(imported.out.trim(), imported.err).toBe('名册已导入：新建组织 3 个，新增成员 9 人，更新 0 人，未变 0 人。');

    writeFileSync(
      join(work, 'bad.csv'),
      toCsv([header, ['天宁区教育工委', '', '钱七', '校长', 'qianqi', '', '123', '', '']]),
    );
    const refused = await npm('roster', 'import', 'bad.csv', ...local);
    expect(refused.code).toBe(1);
    expect(refused.err.split('\n').filter(Boolean)).toEqual([
      '名册未导入：2 处错误，请修改后重新导入（未做任何改动）。',
      '第 2 行，角色：不认识“校长”（可填：管理员、书记、副书记、支委委员、党小组长、班子成员、党员、教师）',
      '第 2 行，手机号：“123”不是有效的手机号（11 位）',
    ]);

    const exported = await npm('roster', 'export', ...local);
    expect(exported.out).toContain(',赵磊,党小组长、党员、教师,zhaolei,dt-zhaolei,,,第一党小组,');
    const names = exported.out
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.split(',')[2])
      .sort();
    expect(names).toEqual(
      DEMO_ROSTER.slice(1)
        .map((r) => r[2])
        .sort(),
    );
  });

  it('asks which D1 when neither --local nor --remote is given', async () => {
    const r = await npm('roster', 'import', '名册.xlsx');
    expect(r.code).toBe(2);
    expect(r.err).toContain('请指定数据库：--local');
  });
});

describe('knowledge base on D1', () => {
  it('adds a document beside the shipped ones, lists them, and removes it', async () => {
    writeFileSync(join(work, '测试通知.txt'), '关于开展测试活动的通知\n\n一、各支部每月开展一次测试活动。\n');
    const added = await npm('kb', 'add', '测试通知.txt', ...local);
    expect(added.out, added.err).toMatch(/^已加入：《关于开展测试活动的通知》（1 段，ID d_[0-9a-f]+）/);
    const listed = await npm('kb', 'list', ...local);
    expect(
      listed.out
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[1]),
    ).toEqual([
      '000_f2ea2df98cfd2a4c.txt',
      '001_dc050af0dc608467.txt',
      '002_045b0a022792e96e.txt',
      '003_1a5507e8c81473ec.txt',
      '004_36ca56f47988dc24.txt',
      '测试通知.txt',
    ]);
    const removed = await npm('kb', 'remove', '测试通知.txt', ...local);
    expect(removed.out.trim()).toBe('已删除《关于开展测试活动的通知》（测试通知.txt）');
  });
});
