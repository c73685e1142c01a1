// npm run export -- meetings --org <支部> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.xlsx]
// npm run export -- visits --quarter 2026Q4 [--out file.xlsx]     联系点走访台账
// npm run export -- ideology --month 2026-11 [--out file.xlsx]    意识形态研判台账
// npm run export -- selfcheck --year 2026 [--out file.xlsx]       分类定级自查（附件1、附件3 的样式）
import { atShanghai, type Period, periodOf, shanghaiDate } from '../../cron/calendar';
import type { Duty } from '../../cron/duties';
import { orgsNamed } from '../../storage/orgs';
import { openSqlite } from '../../storage/sqlite';
import { loadConfig } from '../config';
import { loadDutiesFile } from './duties-file';
import { dutyWorkbook } from './duty-workbook';
import { loadFormsDir } from './forms-dir';
import { meetingsWorkbook } from './meetings-workbook';
import { option, runCli } from './run';
import { selfcheckWorkbook } from './selfcheck-workbook';

const USAGE = [
  '用法：npm run export -- meetings --org 支部名称 [--from 2026-01-01] [--to 2026-12-31] [--out 会议台账.xlsx]',
  '      npm run export -- visits --quarter 2026Q4 [--out 联系点走访台账.xlsx]',
  '      npm run export -- ideology --month 2026-11 [--out 意识形态研判台账.xlsx]',
  '      npm run export -- selfcheck --year 2026 [--out 分类定级自查.xlsx]',
].join('\n');

/** Which duty each record export reads, and how its period is written on the command line. */
const DUTY_EXPORTS: Record<
  string,
  { form: Duty['form']; flag: string; pattern: RegExp; first: (id: string) => string }
> = {
  visits: {
    form: 'visit',
    flag: 'quarter',
    pattern: /^(\d{4})Q([1-4])$/,
    first: (id) => `${id.slice(0, 4)}-${String(Number(id.slice(5)) * 3 - 2).padStart(2, '0')}-01`,
  },
  ideology: { form: 'ideology', flag: 'month', pattern: /^\d{4}-(0[1-9]|1[0-2])$/, first: (id) => `${id}-01` },
};

async function main(args: string[]): Promise<number> {
  const [what] = args;
  const config = loadConfig(process.env);
  const spec = what ? DUTY_EXPORTS[what] : undefined;
  if (spec) {
    const id = option(args, spec.flag) ?? '';
    const duty = loadDutiesFile(config.ZHIBU_DUTIES).find((d) => d.form === spec.form);
    if (!spec.pattern.test(id)) return usage();
    if (!duty) {
      console.error('职责规则中没有启用这项职责。');
      return 1;
    }
    const period: Period = periodOf(duty.every, spec.first(id));
    const { db, close } = openSqlite(config.ZHIBU_DB);
    try {
      const out = option(args, 'out') ?? `${duty.title}台账-${period.id}.xlsx`;
      await (await dutyWorkbook(db, duty, period)).xlsx.writeFile(out);
      console.log(`已导出到 ${out}`);
      return 0;
    } finally {
      close();
    }
  }
  if (what === 'selfcheck') {
    const year = option(args, 'year') ?? '';
    if (!/^\d{4}$/.test(year)) return usage();
    const forms = loadFormsDir(config.ZHIBU_FORMS);
    const graded = forms.find((f) => f.scoring);
    if (!graded) {
      console.error('没有启用带评分规则的自查表。');
      return 1;
    }
    const { db, close } = openSqlite(config.ZHIBU_DB);
    try {
      const out = option(args, 'out') ?? `分类定级自查-${year}.xlsx`;
      await (
        await selfcheckWorkbook(
          db,
          graded,
          forms.find((f) => f.id === 'rectification'),
          year,
        )
      ).xlsx.writeFile(out);
      console.log(`已导出到 ${out}`);
      return 0;
    } finally {
      close();
    }
  }
  const orgName = option(args, 'org');
  if (what !== 'meetings' || !orgName) return usage();
  const { db, close } = openSqlite(config.ZHIBU_DB);
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

function usage(): number {
  console.error(USAGE);
  return 2;
}

runCli(main);
