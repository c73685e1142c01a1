// A form as a sequence of cards: each section split into pages of as many items as a card holds
// on the platform, each page a card with an input per item, the progress line, and the steps
// 上一步 / 下一步 / 暂存 (提交 on the last page). The same pages serve the branch's 自评 and the
// superior's 考评 (mode `r`, preset to the self-assessment so it can be accepted item by item).
import type { Card, CardInput } from '../../cards/model';
import type { FormDefinition, FormItem, FormSection } from '../../domain/forms';
import { itemsOf } from '../../domain/forms';
import type { Answers } from '../../storage/form-entries';
import { chineseNumber, HAN_NUMBER, numberIn } from '../chinese-number';
import { parseDay } from '../duties/forms';

export type Mode = 's' | 'r';

export interface Page {
  section: FormSection;
  sectionIndex: number;
  items: FormItem[];
}

export function pagesOf(form: FormDefinition, perCard: number): Page[] {
  return form.sections.flatMap((section, sectionIndex) => {
    const pages: Page[] = [];
    for (let i = 0; i < section.items.length; i += perCard)
      pages.push({ section, sectionIndex, items: section.items.slice(i, i + perCard) });
    return pages;
  });
}

const isScored = (item: FormItem) => item.type === 'score' || item.type === 'rate';
export const answered = (v: string | string[] | undefined) => (Array.isArray(v) ? v.length > 0 : !!v?.trim());

/** An item's words without the sheet's number, a closing note (（得分=20*满意率）) or the full stop. */
export function wordingOf(item: FormItem): string {
  return item.text
    .replace(/^\d+[．.、]\s*/, '')
    .replace(/。（[^）]*）$/, '')
    .replace(/。$/, '');
}

/** The sheet's number of an item (`12．…` → 12), if it has one. */
export const numberOf = (item: FormItem) => item.text.match(/^(\d+)[．.、]/)?.[1];

/** An item's words to the first pause: 领导班子健全 (a question of one clause whole). */
export const headOf = (item: FormItem) => wordingOf(item).split(/[，；]/)[0] ?? item.text;

/**
 * What an input is called: the item's words to the first pause (a question of one clause whole)
 * and what it scores: `领导班子健全（3分）`. How much of it a platform shows is the renderer's business.
 */
export function labelOf(item: FormItem): string {
  const head = headOf(item);
  const points = item.type === 'rate' ? '满意率 %' : item.max !== undefined ? `${item.max}分` : '';
  return points ? `${head}（${points}）` : head;
}

/** Required items still empty. */
export function missingOf(form: FormDefinition, answers: Answers): FormItem[] {
  return itemsOf(form).filter((i) => i.required && !answered(answers[i.id]));
}

export function inputOf(item: FormItem, value: string | string[] | undefined): CardInput {
  const preset = value === undefined ? {} : { value };
  if (item.type === 'score') {
    const options = Array.from({ length: (item.max ?? 0) + 1 }, (_, k) => String((item.max ?? 0) - k));
    return {
      kind: 'select',
      name: item.id,
      label: labelOf(item),
      options: options.map((o) => ({ value: o, label: `${o}分` })),
      ...preset,
    };
  }
  if (item.type === 'choice' || item.type === 'multi') {
    return {
      kind: 'select',
      name: item.id,
      label: labelOf(item),
      options: (item.options ?? []).map((o) => ({ value: o, label: o })),
      ...(item.type === 'multi' ? { multiple: true } : {}),
      ...preset,
    };
  }
  const placeholder =
    item.type === 'rate'
      ? '如 92（即 92%）'
      : item.type === 'month'
        ? '如 2027-06'
        : item.type === 'date'
          ? '如 2026-12-01'
          : (item.help ?? '');
  return {
    kind: 'text',
    name: item.id,
    label: labelOf(item),
    maxLength: 500,
    ...(placeholder ? { placeholder } : {}),
    ...(typeof value === 'string' ? { value } : {}),
  };
}

export interface PageView {
  form: FormDefinition;
  entryId: string;
  mode: Mode;
  pages: Page[];
  index: number;
  /** What the inputs start from: the draft, or in review the review so far over the self-assessment. */
  values: Answers;
  /** In review: the self-assessment, shown beside each item. */
  self?: Answers;
}

export function pageCard(view: PageView): Card {
  const page = view.pages[view.index] as Page;
  const last = view.index === view.pages.length - 1;
  const lines = page.items.map((item) => {
    const self =
      view.self && isScored(item) ? `　自评：${view.self[item.id] ?? '未填'}${item.type === 'rate' ? '%' : '分'}` : '';
    const points =
      item.type === 'rate' ? `（${item.max}分，得分 = ${item.max} × 满意率）` : item.max ? `（${item.max}分）` : '';
    return `- ${item.text}${points}${self}${item.help && item.type !== 'rate' ? `\n  ${item.help}` : ''}`;
  });
  const all = itemsOf(view.form);
  const filled = all.filter((i) => answered(view.values[i.id])).length;
  const arg = `${view.entryId}:${view.mode}${view.index}`;
  const max = page.section.max ? `（${page.section.max}分）` : '';
  return {
    title: `${view.mode === 'r' ? '考评' : '自查'} · ${page.section.title}${max}`,
    body: `**${view.form.title}**\n${lines.join('\n')}`,
    inputs: page.items.map((item) => inputOf(item, view.values[item.id])),
    buttons: [
      {
        action: `selfcheck.${last ? 'submit' : 'next'}:${arg}`,
        label: last ? (view.mode === 'r' ? '提交考评' : '提交') : '下一步',
        style: 'primary',
      },
      ...(view.index > 0 ? [{ action: `selfcheck.prev:${arg}`, label: '上一步' }] : []),
      { action: `selfcheck.save:${arg}`, label: '暂存' },
      ...(view.mode === 'r' && view.index === 0
        ? [
            { action: `selfcheck.accept:${view.entryId}`, label: '全部采纳自评' },
            { action: `selfcheck.sections:${view.entryId}`, label: '按部分打分' },
          ]
        : []),
    ],
    status: `第 ${page.sectionIndex + 1}/${view.form.sections.length} 部分 · 已填 ${filled}/${all.length} 项`,
  };
}

/** The answers a page's click gives, checked item by item; empty inputs change nothing. */
export function checkPage(
  items: FormItem[],
  values: Answers,
  today: string,
): { ok: true; patch: Answers } | { ok: false; message: string } {
  const patch: Answers = {};
  for (const item of items) {
    const raw = values[item.id];
    if (raw === undefined || !answered(raw)) continue;
    const text = typeof raw === 'string' ? raw.normalize('NFKC').trim() : '';
    const label = labelOf(item);
    if (item.type === 'score' || item.type === 'choice' || item.type === 'multi') {
      // A card's select: the core has checked the value against the options (0…max for a score).
      patch[item.id] = item.type === 'multi' ? [raw].flat() : String([raw].flat()[0]);
    } else if (item.type === 'rate') {
      const rate = percentOf(typeof raw === 'string' ? raw : '', label);
      if (!rate.ok) return rate;
      patch[item.id] = String(rate.value);
    } else if (item.type === 'number') {
      const n = Number(text);
      if (text === '' || Number.isNaN(n)) return { ok: false, message: `“${label}”要填数字，“${raw}”不是。` };
      if (n < 0) return { ok: false, message: `“${label}”不能是负数。` };
      patch[item.id] = String(n);
    } else if (item.type === 'month') {
      const m = text.match(/^(\d{4})[-/.年](\d{1,2})月?$/);
      const month = m ? `${m[1]}-${(m[2] ?? '').padStart(2, '0')}` : '';
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 12)
        return { ok: false, message: `“${label}”请写成 2027-06 的样子。` };
      if (month < today.slice(0, 7)) return { ok: false, message: `“${label}” ${month} 已经过去了。` };
      patch[item.id] = month;
    } else if (item.type === 'date') {
      const day = parseDay(text, today.slice(0, 4));
      if (!day) return { ok: false, message: `“${label}”请写成 2026-12-01 的样子。` };
      patch[item.id] = day;
    } else {
      patch[item.id] = String(raw).trim();
    }
  }
  return { ok: true, patch };
}

/**
 * A satisfaction rate as people write it, in percent: `92`, `92%`, `百分之九十二`, `九成`, `八成五`.
 * `0.8` (or `1`) may be a fraction or a percentage: it is asked back, never guessed low.
 */
export function percentOf(raw: string, label: string): { ok: true; value: number } | { ok: false; message: string } {
  const text = raw.normalize('NFKC').replace(/\s+/g, '');
  const han = HAN_NUMBER;
  let value: number | undefined;
  let explicit = true;
  const percent = text.match(/^(\d+(?:\.\d+)?)%$/) ?? text.match(/^百分之(\d+(?:\.\d+)?)$/);
  const hanPercent = text.match(new RegExp(`^百分之(${han})$`));
  const tenths = text.match(new RegExp(`^(${han}|\\d+(?:\\.\\d+)?)成(${han}|\\d)?$`));
  if (percent) value = Number(percent[1]);
  else if (hanPercent) value = chineseNumber(hanPercent[1] ?? '') ?? undefined;
  else if (tenths) {
    const whole = numberIn(tenths[1] ?? '');
    const part = tenths[2] === undefined ? 0 : numberIn(tenths[2]);
    value = whole === null || part === null ? undefined : whole * 10 + part;
  } else if (/^-?\d+(?:\.\d+)?$/.test(text) || chineseNumber(text) !== null) {
    value = numberIn(text) ?? undefined;
    explicit = false;
  }
  if (value === undefined || Number.isNaN(value))
    return { ok: false, message: `“${label}”请填百分数，如 92 表示 92%；“${raw}”看不懂。` };
  if (value < 0) return { ok: false, message: `“${label}”不能是负数。` };
  if (value > 100) return { ok: false, message: `“${label}”是百分比，最多 100。` };
  if (!explicit && value > 0 && value <= 1) {
    const pct = Math.round(value * 10_000) / 100;
    return {
      ok: false,
      message: `“${label}”填的是 ${text}：是 ${pct}% 吗？是的话请填 ${pct}；如果确实只有 ${text}%，请填 ${text}%。`,
    };
  }
  return { ok: true, value };
}
