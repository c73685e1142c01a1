// The operator commands' own arguments, as an operator types them: a wrong date says what is wrong,
// a reversed range is refused, and a file written without --out says where it went.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as exportCli } from '../bot/cli/export';
import { main as jobsCli } from '../bot/cli/jobs';
import { main as rosterCli } from '../bot/cli/roster';
import { runMain } from './helpers/cli';

const fresh = () => mkdtempSync(join(tmpdir(), 'zhibu-cli-'));

describe('jobs run --at', () => {
  it.each([
    ['2026-13-01', '日期 2026-13-01 不存在'],
    ['2026-02-30T09:00+08:00', '日期 2026-02-30 不存在'],
    ['2026-10-08T24:30', '时间 24:30 不存在'],
    ['2026-10-08', '只有日期，请写上时刻，如 2026-10-08T09:00+08:00'],
    ['明天上午', '不是时刻，请写成 2026-10-08T09:00+08:00 的样子'],
  ])('refuses %s saying why', async (at, why) => {
    const r = await runMain(jobsCli, ['run', '--at', at]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(why);
    expect(r.stdout).toBe('');
  });

  it('reads a time without a zone as Beijing time', async () => {
    const env = { ZHIBU_DB: join(fresh(), 'jobs.db') };
    const roster = join(fresh(), 'roster.csv');
    writeFileSync(roster, '组织,学校,姓名,角色\n工委/兰陵小学党支部,兰陵小学,王建国,书记\n');
    await runMain(rosterCli, ['import', roster], { env });
    // 07:30 in Beijing is in the quiet hours before 08:00 (07:30 UTC would be 15:30 there).
    expect((await runMain(jobsCli, ['run', '--at', '2026-11-20 07:30'], { env })).stdout).toContain('新排入提醒 0 条');
    expect((await runMain(jobsCli, ['run', '--at', '2026-11-20 09:30'], { env })).stdout).toContain('新排入提醒 2 条');
  });
});

describe('export', () => {
  it('refuses a reversed or impossible range for meetings, and writes nothing', async () => {
    const cwd = fresh();
    const args = ['meetings', '--org', '兰陵小学党支部', '--out', 'x.xlsx'];
    const reversed = await runMain(exportCli, [...args, '--from', '2026-12-31', '--to', '2026-01-01'], { cwd });
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain('开始日期 2026-12-31 晚于结束日期 2026-01-01');
    const impossible = await runMain(exportCli, [...args, '--from', '2026-02-30'], { cwd });
    expect(impossible.stderr).toContain('--from “2026-02-30”中的日期 2026-02-30 不存在');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('says where it wrote a workbook when no --out is given', async () => {
    const cwd = fresh();
    const r = await runMain(exportCli, ['visits', '--quarter', '2026Q4'], { cwd });
    const path = join(cwd, '联系点走访台账-2026Q4.xlsx');
    expect(r.stdout).toBe(`已导出到 ${path}\n`);
    expect(existsSync(path)).toBe(true);
  });

  it('names the argument that is wrong or missing', async () => {
    expect((await runMain(exportCli, ['ideology', '--month', '2026-13'])).stderr).toContain(
      '--month “2026-13”不对，请写成 2026-11 的样子。',
    );
    expect((await runMain(exportCli, ['selfcheck'])).stderr).toContain('--year 没有写，请写成 2026 的样子。');
  });
});
