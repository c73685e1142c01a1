// npm run jobs -- list [--days 120]   the coming reminders of the duties in force
// npm run jobs -- run --at 2026-10-08T09:00+08:00   plans what is due at that instant (idempotent;
// the running server delivers what this stores)
import { hasHolidayData, shanghaiDate } from '../../cron/calendar';
import { upcoming } from '../../cron/duty-reminders';
import { closeDueMeetings } from '../../cron/meetings';
import { runReminders } from '../../cron/reminders';
import { openSqlite } from '../../storage/sqlite';
import { deliveringPlatforms, loadConfig } from '../config';
import { Bot } from '../core/bot';
import { silentLogger } from '../core/log';
import { loadDutiesFile } from './duties-file';
import { option, runCli, usage } from './run';

const USAGE = '用法：npm run jobs -- list [--days 120]  或  npm run jobs -- run --at 2026-10-08T09:00+08:00';

async function main(args: string[]): Promise<number> {
  const config = loadConfig(process.env);
  const duties = loadDutiesFile(config.ZHIBU_DUTIES);
  if (args[0] === 'list') {
    const days = Number(option(args, 'days') ?? 120);
    if (!Number.isInteger(days) || days < 1) return usage(USAGE);
    const coming = upcoming(duties, Date.now(), days);
    const years = [...new Set(coming.map((d) => Number(shanghaiDate(d.at).slice(0, 4))))];
    for (const y of years.filter((year) => !hasHolidayData(year))) {
      console.log(`注意：${y} 年的法定节假日数据尚未载入，只按周末顺延（npm install chinese-days@latest 更新）。`);
    }
    for (const due of coming) {
      console.log(
        `${shanghaiDate(due.at)}  ${due.duty.title}（${due.duty.audience}）  ${due.stage.lead}  ${due.period.id}`,
      );
    }
    return 0;
  }
  const at = Date.parse(option(args, 'at') ?? '');
  if (args[0] !== 'run' || Number.isNaN(at)) return usage(USAGE);
  const { db, close } = openSqlite(config.ZHIBU_DB);
  try {
    const bot = new Bot({
      db,
      features: [],
      log: silentLogger,
      now: () => new Date(at),
      channels: () => deliveringPlatforms(config),
    });
    const reminders = await runReminders(bot, duties, new Date(at));
    const meetings = await closeDueMeetings(bot, new Date(at));
    console.log(`新排入提醒 ${reminders} 条，结束到期签到 ${meetings} 个（已排入的不会重复）。`);
    return 0;
  } finally {
    close();
  }
}

runCli(main);
