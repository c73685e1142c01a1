// A duty's record (台账) for one period as a workbook: a row per record, then a row for each
// person of the audience who has none (未完成), so the sheet is the whole list a superior checks.
import type ExcelJS from 'exceljs';
import type { Period } from '../../domain/calendar';
import type { Duty } from '../../domain/duties';
import type { AppDb } from '../../storage/db';
import { recordsOf } from '../../storage/duty-records';
import { repliesTo } from '../../storage/duty-replies';
import { allOrgs } from '../../storage/orgs';
import { allMembers, membersWithRole } from '../../storage/people';
import { isLate } from './period';
import { replyLine } from './risk';

/** The form's own columns: header and the stored value it shows. */
const FORM_COLUMNS: Record<Duty['form'], [string, string][]> = {
  visit: [
    ['走访的联系点', 'where'],
    ['做了什么', 'did'],
    ['发现的问题及帮助解决情况', 'problems'],
  ],
  ideology: [
    ['总体态势', 'situation'],
    ['研判范围', 'areas'],
    ['发现的风险', 'risks'],
    ['采取的措施', 'measures'],
    ['需要上级支持的事项', 'support'],
  ],
  done: [],
};

export async function dutyWorkbook(db: AppDb, duty: Duty, period: Period): Promise<ExcelJS.Workbook> {
  const orgs = new Map((await allOrgs(db)).map((o) => [o.id, o.name]));
  const names = new Map((await allMembers(db)).map((m) => [m.id, m.name]));
  const audience = await membersWithRole(db, duty.audience);
  const records = await recordsOf(db, duty.id, period.id);
  const columns = FORM_COLUMNS[duty.form];
  // What the superior did with a 研判 sent up to them (已阅, 已处理, replies), in the record's row.
  const answers = new Map<string, string[]>();
  for (const a of duty.form === 'ideology'
    ? await repliesTo(
        db,
        records.map((r) => r.id),
      )
    : []) {
    const line = replyLine(a, names.get(a.memberId));
    answers.set(a.recordId, [...(answers.get(a.recordId) ?? []), line]);
  }
  const answered = duty.form === 'ideology' ? ['上级处理'] : [];

  // exceljs takes a fifth of a second to load: loaded when first used, not at start-up.
  const { Workbook } = (await import('exceljs')).default;
  const book = new Workbook();
  const sheet = book.addWorksheet(duty.title);
  const header = ['姓名', '所在组织', '日期', ...columns.map(([h]) => h), ...answered, '登记人', '情况'];
  sheet.addRow([`${duty.title}台账（${period.id}：${period.first} 至 ${period.last}）`]);
  sheet.mergeCells(1, 1, 1, header.length);
  sheet.addRow(header);
  const person = new Map(audience.map((m) => [m.id, m]));
  for (const r of records) {
    const member = person.get(r.memberId);
    const by = r.recordedBy === r.memberId ? '本人' : `${names.get(r.recordedBy) ?? r.recordedBy}（代）`;
    sheet.addRow([
      names.get(r.memberId) ?? r.memberId,
      member ? (orgs.get(member.orgId) ?? '') : '',
      r.doneOn,
      ...columns.map(([, key]) => [r.values[key] ?? ''].flat().join('、')),
      ...answered.map(() => (answers.get(r.id) ?? []).join('\n')),
      by,
      isLate(r, period) ? '补报' : '已完成',
    ]);
  }
  const done = new Set(records.map((r) => r.memberId));
  for (const m of audience.filter((x) => !done.has(x.id)))
    sheet.addRow([
      m.name,
      orgs.get(m.orgId) ?? '',
      '',
      ...columns.map(() => ''),
      ...answered.map(() => ''),
      '',
      '未完成',
    ]);
  sheet.columns.forEach((c, i) => {
    c.width = i < 3 ? 14 : 24;
  });
  return book;
}
