// The meetings' record (台账) as a workbook: one sheet of meetings, one of attendance.
import type ExcelJS from 'exceljs';
import { shanghaiDate } from '../../domain/calendar';
import type { AppDb } from '../../storage/db';
import { meetingsOf } from '../../storage/meetings';
import { rollOf } from './roll';
import { clock, dayAndClock } from './time';
import { meetingName, rollStats } from './view';

export async function meetingsWorkbook(
  db: AppDb,
  orgId: string,
  orgName: string,
  from: number,
  to: number,
): Promise<ExcelJS.Workbook> {
  // exceljs takes a fifth of a second to load: loaded when first used, not at start-up.
  const { Workbook } = (await import('exceljs')).default;
  const book = new Workbook();
  const list = (await meetingsOf(db, orgId, from, to)).reverse();
  const sheet = book.addWorksheet('会议');
  sheet.addRow([`${orgName} 会议台账（${shanghaiDate(from)} 至 ${shanghaiDate(to)}）`]);
  sheet.mergeCells(1, 1, 1, 10);
  sheet.addRow(['日期', '开始', '结束', '会议类型', '主题', '应到', '实到', '请假', '缺席', '到会率']);
  const people = book.addWorksheet('出勤');
  people.addRow(['日期', '会议类型', '主题', '姓名', '情况', '签到/请假时间', '请假原因', '迟到', '列席']);
  for (const m of list) {
    const roll = await rollOf({ db }, m);
    const s = rollStats(roll);
    // A number shown as a percentage, so that the column can be summed, averaged and charted.
    const rate = s.members.length ? s.present.length / s.members.length : '—';
    const row = sheet.addRow([
      shanghaiDate(m.startsAt),
      clock(m.startsAt),
      clock(m.closedAt ?? m.endsAt),
      meetingName(m),
      m.topic,
      s.members.length,
      s.present.length,
      s.leave.length,
      s.missing.length,
      rate,
    ]);
    row.getCell(10).numFmt = '0%';
    const lateAfter = m.startsAt + m.lateAfterMin * 60_000;
    for (const x of s.members) {
      const r = x.record;
      const state = r?.status === 'in' ? '出席' : r?.status === 'leave' ? '请假' : '缺席';
      people.addRow([
        shanghaiDate(m.startsAt),
        meetingName(m),
        m.topic,
        x.member.name,
        state,
        r ? dayAndClock(r.at) : '',
        r?.reason ?? '',
        r?.status === 'in' && r.at > lateAfter ? '是' : '',
        '',
      ]);
    }
    for (const g of s.guests.filter((x) => x.status === 'in'))
      people.addRow([
        shanghaiDate(m.startsAt),
        meetingName(m),
        m.topic,
        g.name,
        '出席',
        dayAndClock(g.at),
        '',
        '',
        '是',
      ]);
  }
  for (const ws of [sheet, people])
    ws.columns.forEach((c) => {
      c.width = 14;
    });
  return book;
}
