// npm run export -- meetings --org <支部> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.xlsx]
// npm run export -- visits --quarter 2026Q4 [--out file.xlsx]     联系点走访台账
// npm run export -- ideology --month 2026-11 [--out file.xlsx]    意识形态研判台账
// npm run export -- selfcheck --year 2026 [--out file.xlsx]       分类定级自查（附件1、附件3 的样式）

import { resolve } from 'node:path';
import type ExcelJS from 'exceljs';
import { atShanghai, periodOf, shanghaiDate } from '../../domain/calendar';
import type { Duty } from '../../domain/duties';
import { meetingsWorkbook } from '../../handlers/checkin/workbook';
import { dutyWorkbook } from '../../handlers/duties/workbook';
import { selfcheckWorkbook } from '../../handlers/selfcheck/workbook';
import type { AppDb } from '../../storage/db';
import { orgsNamed } from '../../storage/orgs';
import { type Config, loadConfig } from '../config';
import { PLATFORMS } from '../platforms';
import { openDatabase } from './database';
import { dayArg } from './dates';
import { loadDutiesFile, loadFormsDir } from './rule-files';
import { command, type Io, option, runCli, usage } from './run';

const USAGE = [
  '用法：npm run export -- meetings --org 支部名称 [--from 2026-01-01] [--to 2026-12-31] [--out 会议台账.xlsx]',
  '      npm run export -- visits --quarter 2026Q4 [--out 联系点走访台账.xlsx]',
  '      npm run export -- ideology --month 2026-11 [--out 意识形态研判台账.xlsx]',
  '      npm run export -- selfcheck --year 2026 [--out 分类定级自查.xlsx]',
].join('\n');

/** A workbook to write and its default file name, or the exit code of a command that cannot make one. */
type Made = { book: ExcelJS.Workbook; name: string } | number;
type Exporter = (db: AppDb, args: string[], config: Config, io: Io) => Promise<Made>;

const fail = (io: Io, message: string) => {
  io.warn(message);
  return 1;
};

/** A wrong command line: what is wrong, then how the command is used. */
const wrong = (io: Io, message: string) => usage(io, `${message}\n${USAGE}`);

/** A duty's 台账 for the period written as `--<flag> <id>` (like `example`), whose first day `first` gives. */
const dutyExport =
  (form: Duty['form'], flag: string, pattern: RegExp, example: string, first: (id: string) => string): Exporter =>
  async (db, args, config, io) => {
    const id = option(args, flag) ?? '';
    if (!pattern.test(id)) return wrong(io, `--${flag} ${id ? `“${id}”不对` : '没有写'}，请写成 ${example} 的样子。`);
    const duty = loadDutiesFile(config.ZHIBU_DUTIES).find((d) => d.form === form);
    if (!duty) return fail(io, '职责规则中没有启用这项职责。');
    const period = periodOf(duty.every, first(id));
    return { book: await dutyWorkbook(db, duty, period), name: `${duty.title}台账-${period.id}.xlsx` };
  };

const EXPORTS: Record<string, Exporter> = {
  visits: dutyExport(
    'visit',
    'quarter',
    /^\d{4}Q[1-4]$/,
    '2026Q4',
    (id) => `${id.slice(0, 4)}-${String(Number(id.slice(5)) * 3 - 2).padStart(2, '0')}-01`,
  ),
  ideology: dutyExport('ideology', 'month', /^\d{4}-(0[1-9]|1[0-2])$/, '2026-11', (id) => `${id}-01`),

  async selfcheck(db, args, config, io) {
    const year = option(args, 'year') ?? '';
    if (!/^\d{4}$/.test(year)) return wrong(io, `--year ${year ? `“${year}”不对` : '没有写'}，请写成 2026 的样子。`);
    const forms = loadFormsDir(config.ZHIBU_FORMS);
    const graded = forms.find((f) => f.scoring);
    if (!graded) return fail(io, '没有启用带评分规则的自查表。');
    const book = await selfcheckWorkbook(
      db,
      graded,
      forms.find((f) => f.id === 'rectification'),
      year,
    );
    return { book, name: `分类定级自查-${year}.xlsx` };
  },

  async meetings(db, args, _config, io) {
    const orgName = option(args, 'org');
    if (!orgName) return wrong(io, '请用 --org 写出支部名称。');
    const fromDay = dayArg(option(args, 'from') ?? '2000-01-01');
    const toDay = dayArg(option(args, 'to') ?? shanghaiDate(Date.now()));
    if (!fromDay.ok) return wrong(io, `--from ${fromDay.message}`);
    if (!toDay.ok) return wrong(io, `--to ${toDay.message}`);
    if (fromDay.value > toDay.value)
      return wrong(io, `开始日期 ${fromDay.value} 晚于结束日期 ${toDay.value}，请对调 --from 和 --to。`);
    const orgs = await orgsNamed(db, orgName);
    if (orgs.length !== 1 || !orgs[0])
      return fail(io, orgs.length ? `“${orgName}”不止一个，请写出完整路径。` : `没有名为“${orgName}”的组织。`);
    const from = atShanghai(fromDay.value, 0);
    const to = atShanghai(toDay.value, 24) - 1;
    const book = await meetingsWorkbook(db, orgs[0].id, orgs[0].name, from, to);
    return { book, name: `会议台账-${orgs[0].name}-${shanghaiDate(from)}-${shanghaiDate(to)}.xlsx` };
  },
};

export const main = command(async (args, io) => {
  const exporter = EXPORTS[args[0] ?? ''];
  if (!exporter) return usage(io, USAGE);
  const config = loadConfig(io.env, PLATFORMS);
  const { db, close } = openDatabase(config);
  try {
    const made = await exporter(db, args, config, io);
    if (typeof made === 'number') return made;
    // The full path, so that an export without --out is found where it went.
    const out = resolve(io.cwd, option(args, 'out') ?? made.name);
    try {
      await made.book.xlsx.writeFile(out);
    } catch (err) {
      return fail(io, `无法写入 ${out}：${(err as Error).message}`);
    }
    io.print(`已导出到 ${out}`);
    return 0;
  } finally {
    close();
  }
});

runCli(import.meta.url, main);
