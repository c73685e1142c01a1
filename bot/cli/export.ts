// npm run export -- meetings --org <支部> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.xlsx]
// The meetings' record (台账) as a workbook: one sheet of meetings, one of attendance.
import { atShanghai, shanghaiDate } from '../../cron/calendar';
import { orgsNamed } from '../../storage/orgs';
import { openSqlite } from '../../storage/sqlite';
import { loadConfig } from '../config';
import { meetingsWorkbook } from './meetings-workbook';
import { option, runCli } from './run';

const USAGE =
  '用法：npm run export -- meetings --org 支部名称 [--from 2026-01-01] [--to 2026-12-31] [--out 会议台账.xlsx]';

async function main(args: string[]): Promise<number> {
  const [what] = args;
  const orgName = option(args, 'org');
  if (what !== 'meetings' || !orgName) {
    console.error(USAGE);
    return 2;
  }
  const { db, close } = openSqlite(loadConfig(process.env).ZHIBU_DB);
  try {
    const orgs = await orgsNamed(db, orgName);
    if (orgs.length !== 1 || !orgs[0]) {
      console.error(orgs.length ? `“${orgName}”不止一个，请写出完整路径。` : `没有名为“${orgName}”的组织。`);
      return 1;
    }
    const from = atShanghai(option(args, 'from') ?? '2000-01-01', 0);
    const to = atShanghai(option(args, 'to') ?? shanghaiDate(Date.now()), 0) + 24 * 3600_000 - 1;
    if (Number.isNaN(from) || Number.isNaN(to)) {
      console.error('日期请写成 2026-01-31 的样子。');
      return 2;
    }
    const out = option(args, 'out') ?? `会议台账-${orgs[0].name}-${shanghaiDate(from)}-${shanghaiDate(to)}.xlsx`;
    await (await meetingsWorkbook(db, orgs[0].id, orgs[0].name, from, to)).xlsx.writeFile(out);
    console.log(`已导出到 ${out}`);
    return 0;
  } finally {
    close();
  }
}

runCli(main);
