// Reads the operator's holiday file (Node only; Workers bundle data/holidays.json). A bad file is a
// ConfigError: start-up stops with one line naming the file, the year and the holiday.
import { readFileSync } from 'node:fs';
import { type HolidayTable, parseHolidays } from '../../domain/holidays';
import { shipped } from '../../storage/shipped';
import { ConfigError } from '../config';

/** The holiday file: ZHIBU_HOLIDAYS, or the shipped data/holidays.json. */
export const holidaysFile = (configured?: string): string => configured ?? shipped('data', 'holidays.json');

export function loadHolidaysFile(path = holidaysFile()): HolidayTable {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`节假日文件 ${path} 读不出来：${(err as Error).message}`);
  }
  const parsed = parseHolidays(json);
  if (!parsed.ok) throw new ConfigError(`节假日文件 ${path}：${parsed.message}`);
  return parsed.table;
}
