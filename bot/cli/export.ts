// npm run export -- meetings --org <支部> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.xlsx]
// npm run export -- visits --quarter 2026Q4 [--out file.xlsx]     联系点走访台账
// npm run export -- ideology --month 2026-11 [--out file.xlsx]    意识形态研判台账
// npm run export -- selfcheck --year 2026 [--out file.xlsx]       分类定级自查（附件1、附件3 的样式）
import type ExcelJS from 'exceljs';
import { atShanghai, periodOf, shanghaiDate } from '../../cron/calendar';
import type { Duty } from '../../cron/duties';
import type { AppDb } from '../../storage/db';
import { orgsNamed } from '../../storage/orgs';
import { openSqlite } from '../../storage/sqlite';
import { type Config, loadConfig } from '../config';
import { loadDutiesFile } from './duties-file';
import { dutyWorkbook } from './duty-workbook';
import { loadFormsDir } from './forms-dir';
import { meetingsWorkbook } from './meetings-workbook';
import { option, runCli, usage } from './run';
import { selfcheckWorkbook } from './selfcheck-workbook';

const USAGE = [
  '用法：npm run export -- meetings --org 支部名称 [--from 2026-01-01] [--to 2026-12-31] [--out 会议台账.xlsx]',
  '      npm run export -- visits --quarter 2026Q4 [--out 联系点走访台账.xlsx]',
  '      npm run export -- ideology --month 2026-11 [--out 意识形态研判台账.xlsx]',
  '      npm run export -- selfcheck --year 2026 [--out 分类定级自查.xlsx]',
].join('\n');

/** A workbook to write and its default file name, or the exit code of a command that cannot make one. */
type Made = { book: ExcelJS.Workbook; name: string } | number;
type Exporter = (db: AppDb, args: string[], config: Config) => Promise<Made>;

const fail = (message: string, code = 1) => {
  console.error(message);
  return code;
};

/** A duty's 台账 for the period written as `--<flag> <id>`, whose first day `first` gives. */
const dutyExport =
  (form: Duty['form'], flag: string, pattern: RegExp, first: (id: string) => string): Exporter =>
  async (db, args, config) => {
    const id = option(args, flag) ?? '';
    if (!pattern.test(id)) return usage(USAGE);
    const duty = loadDutiesFile(config.ZHIBU_DUTIES).find((d) => d.form === form);
    if (!duty) return fail('职责规则中没有启用这项职责。');
    const period = periodOf(duty.every, first(id));
    return { book: await dutyWorkbook(db, duty, period), name: `${duty.title}台账-${period.id}.xlsx` };
  };

const EXPORTS: Record<string, Exporter> = {
  visits: dutyExport(
    'visit',
    'quarter',
    /^\d{4}Q[1-4]$/,
    (id) => `${id.slice(0, 4)}-${String(Number(id.slice(5)) * 3 - 2).padStart(2, '0')}-01`,
  ),
  ideology: dutyExport('ideology', 'month', /^\d{4}-(0[1-9]|1[0-2])$/, (id) => `${id}-01`),

  async selfcheck(db, args, config) {
    const year = option(args, 'year') ?? '';
    if (!/^\d{4}$/.test(year)) return usage(USAGE);
    const forms = loadFormsDir(config.ZHIBU_FORMS);
    const graded = forms.find((f) => f.scoring);
    if (!graded) return fail('没有启用带评分规则的自查表。');
    const book = await selfcheckWorkbook(
      db,
      graded,
      forms.find((f) => f.id === 'rectification'),
      year,
    );
    return { book, name: `分类定级自查-${year}.xlsx` };
  },

  async meetings(db, args) {
    const orgName = option(args, 'org');
    if (!orgName) return usage(USAGE);
    const orgs = await orgsNamed(db, orgName);
    if (orgs.length !== 1 || !orgs[0])
      return fail(orgs.length ? `“${orgName}”不止一个，请写出完整路径。` : `没有名为“${orgName}”的组织。`);
    const from = atShanghai(option(args, 'from') ?? '2000-01-01', 0);
    const to = atShanghai(option(args, 'to') ?? shanghaiDate(Date.now()), 0) + 24 * 3600_000 - 1;
    if (Number.isNaN(from) || Number.isNaN(to)) return fail('日期请写成 2026-01-31 的样子。', 2);
    const book = await meetingsWorkbook(db, orgs[0].id, orgs[0].name, from, to);
    return { book, name: `会议台账-${orgs[0].name}-${shanghaiDate(from)}-${shanghaiDate(to)}.xlsx` };
  },
};

async function main(args: string[]): Promise<number> {
  const exporter = EXPORTS[args[0] ?? ''];
  if (!exporter) return usage(USAGE);
  const config = loadConfig(process.env);
  const { db, close } = openSqlite(config.ZHIBU_DB);
  try {
    const made = await exporter(db, args, config);
    if (typeof made === 'number') return made;
    const out = option(args, 'out') ?? made.name;
    await made.book.xlsx.writeFile(out);
    console.log(`已导出到 ${out}`);
    return 0;
  } finally {
    close();
  }
}

runCli(main);
