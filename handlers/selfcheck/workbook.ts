// The year's 自查 as a workbook laid out like the 天宁 attachments: a summary sheet of every
// branch, then a sheet per branch with the grading sheet (项目 / 具体内容 / 分值 / 自评得分 /
// 考评得分, as attachment 1) followed by its 整改表 (attachment 3).
import type ExcelJS from 'exceljs';
import { type FormDefinition, itemsOf } from '../../domain/forms';
import { pointsOf } from '../../domain/scoring';
import type { AppDb } from '../../storage/db';
import { latestEntries } from '../../storage/form-entries';
import { allOrgs, branchesOf } from '../../storage/orgs';
import { statusLabel } from './review';

export async function selfcheckWorkbook(
  db: AppDb,
  graded: FormDefinition,
  rectification: FormDefinition | undefined,
  period: string,
): Promise<ExcelJS.Workbook> {
  const entries = new Map((await latestEntries(db, graded.id, period)).map((e) => [e.orgId, e]));
  const plans = new Map(
    rectification ? (await latestEntries(db, rectification.id, period)).map((e) => [e.orgId, e]) : [],
  );
  const branches = branchesOf(await allOrgs(db));
  // exceljs takes a fifth of a second to load: loaded when first used, not at start-up.
  const { Workbook } = (await import('exceljs')).default;
  const book = new Workbook();

  const summary = book.addWorksheet('汇总');
  summary.addRow([`${graded.title}（${period}）汇总`]);
  summary.mergeCells(1, 1, 1, 8);
  summary.addRow(['党支部', '状态', '自评得分', '考评得分', '最后得分', '等级', '直接定为后进的情形', '整改']);
  for (const b of branches) {
    const e = entries.get(b.id);
    const r = e?.result ?? {};
    const plan = plans.get(b.id);
    summary.addRow([
      b.name,
      statusLabel(graded, e?.status),
      e && e.status !== 'draft' ? r.self : '',
      r.review ?? '',
      r.final ?? '',
      r.grade ?? (e?.status === 'submitted' ? `${String(r.provisional)}（初定）` : ''),
      ((r.vetoes ?? []) as string[]).join('；'),
      plan && rectification ? statusLabel(rectification, plan.status) : '',
    ]);
  }

  for (const b of branches) {
    const e = entries.get(b.id);
    if (!e) continue;
    // Sheet names: at most 31 characters, and unique.
    const sheet = book.addWorksheet([...b.name].slice(0, 31).join(''));
    sheet.addRow([graded.title]);
    sheet.mergeCells(1, 1, 1, 5);
    sheet.addRow(['项目', '具体内容', '分值', '自评得分', '考评得分']);
    const review = { ...e.answers, ...(e.review ?? {}) };
    for (const section of graded.sections) {
      const first = sheet.rowCount + 1;
      for (const item of section.items) {
        sheet.addRow([
          `${section.title}${section.max ? `\n${section.max}分` : ''}`,
          item.text,
          item.max !== undefined ? `${item.max}分` : '',
          item.max !== undefined ? pointsOf(item, e.answers[item.id]) : [e.answers[item.id] ?? ''].flat().join('、'),
          e.status === 'reviewed'
            ? item.max !== undefined
              ? pointsOf(item, review[item.id])
              : [review[item.id] ?? ''].flat().join('、')
            : '',
        ]);
      }
      if (section.items.length > 1) sheet.mergeCells(first, 1, sheet.rowCount, 1);
    }
    const r = e.result ?? {};
    sheet.addRow(['合计', '', '100分', r.self ?? '', r.review ?? '']);
    if (e.status === 'reviewed')
      sheet.addRow(['最后得分', `${String(r.final)}分 · ${String(r.grade)}（${String(r.why)}）`]);
    const plan = plans.get(b.id);
    if (plan && rectification) {
      sheet.addRow([]);
      sheet.addRow([rectification.title]);
      for (const item of itemsOf(rectification))
        sheet.addRow([item.text, [plan.answers[item.id] ?? ''].flat().join('、')]);
    }
    sheet.getColumn(1).width = 14;
    sheet.getColumn(2).width = 60;
    sheet.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  }
  return book;
}
