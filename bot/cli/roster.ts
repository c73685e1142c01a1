// npm run roster -- import FILE | export [FILE] | remove-demo
// npm run roster --prefix cloudflare -- … --local|--remote (the Workers' D1, db-target.ts)
// Imports a roster as a whole (every bad row listed, nothing half-imported) or exports it in
// the same format, so that export → edit → import is a round trip; removes the demo organisation
// before the bot goes live on a platform.

import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { removeDemo } from '../../storage/demo';
import { exportRoster, importRoster } from '../../storage/roster';
import { TableFileError, toCsv } from '../files';
import { ACCOUNT_COLUMNS } from '../platforms';
import { D1_USAGE, D1CommandError, databaseArgs } from './db-target';
import { command, runCli, usage } from './run';
import { readTable, writeXlsx } from './table-file';

const USAGE = [
  '用法：npm run roster -- import 文件.csv|文件.xlsx',
  '      npm run roster -- export [文件.csv|文件.xlsx]',
  '      npm run roster -- remove-demo        删除演示组织（天宁区教育工委）及其成员、模拟群和记录',
].join('\n');

export const main = command(
  async (argv, io) => {
    const target = databaseArgs(argv);
    if (!target) return usage(io, `${D1_USAGE}\n${USAGE}`);
    const [verb, name] = target.args;
    const file = name ? resolve(io.cwd, name) : undefined;
    if (verb !== 'import' && verb !== 'export' && verb !== 'remove-demo') {
      return usage(io, USAGE);
    }
    const { db, close } = await target.open(io);
    try {
      if (verb === 'remove-demo') {
        const r = await removeDemo(db, Date.now(), 'roster-remove-demo');
        io.print(
          r.members + r.orgs + r.chats === 0
            ? '数据库里没有演示数据。'
            : `已删除演示数据：成员 ${r.members} 人，组织 ${r.orgs} 个，模拟群 ${r.chats} 个。`,
        );
        return 0;
      }
      if (verb === 'import') {
        if (!file) {
          return usage(io, USAGE);
        }
        const result = await importRoster(db, await readTable(file), Date.now(), 'roster-import', ACCOUNT_COLUMNS);
        if (!result.ok) {
          io.warn(`名册未导入：${result.errors.length} 处错误，请修改后重新导入（未做任何改动）。`);
          for (const e of result.errors) io.warn(`第 ${e.row} 行，${e.column}：${e.message}`);
          return 1;
        }
        const s = result.summary;
        io.print(
          `名册已导入：新建组织 ${s.orgsCreated} 个，新增成员 ${s.membersCreated} 人，更新 ${s.membersUpdated} 人，未变 ${s.membersUnchanged} 人。`,
        );
        return 0;
      }
      const table = await exportRoster(db, ACCOUNT_COLUMNS);
      if (!file) io.write(toCsv(table));
      else if (extname(file).toLowerCase() === '.xlsx') await writeXlsx(file, '名册', table);
      else writeFileSync(file, toCsv(table));
      if (file) io.print(`已导出 ${table.length - 1} 名成员到 ${file}`);
      return 0;
    } finally {
      await close();
    }
  },
  [TableFileError, D1CommandError],
);

runCli(import.meta.url, main);
