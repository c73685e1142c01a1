// npm run roster -- import FILE | export [FILE]
// Imports a roster as a whole (every bad row listed, nothing half-imported) or exports it in
// the same format, so that export → edit → import is a round trip.
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { exportRoster, importRoster } from '../../storage/roster';
import { openSqlite } from '../../storage/sqlite';
import { loadConfig } from '../config';
import { runCli, usage } from './run';
import { readTable, TableFileError, toCsv, writeXlsx } from './table-file';

const USAGE = '用法：npm run roster -- import 文件.csv|文件.xlsx\n      npm run roster -- export [文件.csv|文件.xlsx]';

async function main(argv: string[]): Promise<number> {
  const [command, file] = argv;
  if (command !== 'import' && command !== 'export') {
    return usage(USAGE);
  }
  const config = loadConfig(process.env);
  const { db, close } = openSqlite(config.ZHIBU_DB);
  try {
    if (command === 'import') {
      if (!file) {
        return usage(USAGE);
      }
      const result = await importRoster(db, await readTable(file), Date.now(), 'roster-import');
      if (!result.ok) {
        console.error(`名册未导入：${result.errors.length} 处错误，请修改后重新导入（未做任何改动）。`);
        for (const e of result.errors) console.error(`第 ${e.row} 行，${e.column}：${e.message}`);
        return 1;
      }
      const s = result.summary;
      console.log(
        `名册已导入：新建组织 ${s.orgsCreated} 个，新增成员 ${s.membersCreated} 人，更新 ${s.membersUpdated} 人，未变 ${s.membersUnchanged} 人。`,
      );
      return 0;
    }
    const table = await exportRoster(db);
    if (!file) process.stdout.write(toCsv(table));
    else if (extname(file).toLowerCase() === '.xlsx') await writeXlsx(file, '名册', table);
    else writeFileSync(file, toCsv(table));
    if (file) console.log(`已导出 ${table.length - 1} 名成员到 ${file}`);
    return 0;
  } finally {
    close();
  }
}

runCli(main, [TableFileError]);
