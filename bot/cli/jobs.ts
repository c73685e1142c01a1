// npm run jobs -- list [--days 120] [--at …]   the coming reminders of the duties in force
// npm run jobs -- run --at 2026-10-08T09:00+08:00   plans what is due at that instant (idempotent;
// the running server delivers what this stores; in the simulator-only demo this delivers it too)
import type { ChatRef } from '../../cards/message';
import { upcoming } from '../../cron/duty-reminders';
import { closeDueMeetings } from '../../cron/meetings';
import { runReminders } from '../../cron/reminders';
import { shanghaiDate, useHolidays, yearsWithoutHolidays } from '../../domain/calendar';
import { deliveringPlatforms, loadConfig, platformsOn } from '../config';
import { Assistant } from '../core/assistant';
import { drainOutbox, type Sender } from '../core/delivery';
import { silentLogger } from '../core/log';
import { PLATFORMS } from '../platforms';
import { openDatabase } from './database';
import { instantArg } from './dates';
import { holidaysFile, loadHolidaysFile } from './holidays-file';
import { loadDutiesFile } from './rule-files';
import { command, option, runCli, usage } from './run';

const USAGE =
  '用法：npm run jobs -- list [--days 120] [--at 2026-12-01T09:00+08:00]  或  npm run jobs -- run --at 2026-10-08T09:00+08:00';

export const main = command(async (args, io) => {
  const config = loadConfig(io.env, PLATFORMS);
  const duties = loadDutiesFile(config.ZHIBU_DUTIES);
  const holidays = holidaysFile(config.ZHIBU_HOLIDAYS);
  useHolidays(loadHolidaysFile(holidays));
  if (args[0] === 'list') {
    const days = Number(option(args, 'days') ?? 120);
    if (!Number.isInteger(days) || days < 1) return usage(io, `--days 请写 1 以上的整数（天数）。\n${USAGE}`);
    const raw = option(args, 'at');
    const from = raw === undefined ? { ok: true as const, value: Date.now() } : instantArg(raw);
    if (!from.ok) return usage(io, `--at ${from.message}\n${USAGE}`);
    for (const y of yearsWithoutHolidays(from.value, days)) {
      io.print(
        `注意：${y} 年的法定节假日安排还没有数据（chinese-days 和 ${holidays} 都没有），这一年只按周末顺延。国务院公布 ${y} 年的安排后，请照通知填入 ${holidays}。`,
      );
    }
    const coming = upcoming(duties, from.value, days);
    for (const due of coming) {
      io.print(
        `${shanghaiDate(due.at)}  ${due.duty.title}（${due.duty.audience}）  ${due.stage.lead}  ${due.period.id}`,
      );
    }
    return 0;
  }
  const raw = option(args, 'at');
  if (args[0] !== 'run' || raw === undefined) return usage(io, USAGE);
  const parsed = instantArg(raw);
  if (!parsed.ok) return usage(io, `--at ${parsed.message}\n${USAGE}`);
  const at = parsed.value;
  const { db, close } = openDatabase(config);
  try {
    const assistant = new Assistant({
      db,
      features: [],
      log: silentLogger,
      platforms: PLATFORMS,
      now: () => new Date(at),
      delivering: deliveringPlatforms(config),
    });
    const reminders = await runReminders(assistant, duties, new Date(at));
    const meetings = await closeDueMeetings(assistant, new Date(at));
    io.print(`新排入提醒 ${reminders} 条，结束到期签到 ${meetings} 个（已排入的不会重复）。`);
    // Where every platform that delivers does so inside this database (the simulator's chats), the
    // page shows what is due at once rather than at the server's next round; else the server sends.
    const delivering = platformsOn(config).filter((p) => p.adapter.delivers(p.settings));
    if (delivering.length > 0 && delivering.every((p) => p.adapter.inProcess)) {
      const senders: Record<string, Sender> = {};
      for (const { adapter, settings } of delivering) {
        const deps = {
          db,
          log: silentLogger,
          now: Date.now,
          clientAddress: () => undefined,
          showAsText: (chat: ChatRef, cardId: string) => assistant.showAsText(adapter.id, chat, cardId),
        };
        const sender = adapter.open(settings, deps).sender;
        if (sender) senders[adapter.id] = sender;
      }
      await drainOutbox(db, senders, Date.now, silentLogger);
    }
    return 0;
  } finally {
    close();
  }
});

runCli(import.meta.url, main);
