// The forms a duty's card asks to fill, and what makes a filled one acceptable.
import type { CardInput, CardValues } from '../../cards/model';
import { addDays, type Period } from '../../domain/calendar';
import type { Duty } from '../../domain/duties';

export const VISIT_ACTIVITIES = ['调查研究', '讲党课/党史', '帮助解决问题', '其他'] as const;
export const SITUATIONS = ['平稳', '基本平稳', '存在风险'] as const;
export const IDEOLOGY_AREAS = ['教师思想动态', '学生思想动态', '网络舆情', '课堂与教材', '校园阵地', '其他'] as const;

const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));
const text = (name: string, label: string, placeholder?: string): CardInput => ({
  kind: 'text',
  name,
  label,
  maxLength: 500,
  ...(placeholder ? { placeholder } : {}),
});

/** The form's inputs; a visit asks which of the leader's 联系点 (`chosen` preselects one). */
export function inputsOf(form: Duty['form'], contacts: readonly string[] = [], chosen?: string): CardInput[] {
  const preset = chosen ?? (contacts.length === 1 ? contacts[0] : undefined);
  if (form === 'visit')
    return [
      contacts.length > 0
        ? {
            kind: 'select',
            name: 'where',
            label: '走访的联系点',
            options: options(contacts),
            required: true,
            ...(preset ? { value: preset } : {}),
          }
        : { ...text('where', '走访的联系点', '学校或支部名称'), required: true },
      text('date', '走访日期', '如 2026-11-20，不填为今天'),
      {
        kind: 'select',
        name: 'did',
        label: '做了什么',
        options: options(VISIT_ACTIVITIES),
        multiple: true,
        required: true,
      },
      text('problems', '发现的问题及帮助解决情况'),
    ];
  if (form === 'ideology')
    return [
      { kind: 'select', name: 'situation', label: '总体态势', options: options(SITUATIONS), required: true },
      { kind: 'select', name: 'areas', label: '研判范围', options: options(IDEOLOGY_AREAS), multiple: true },
      text('risks', '发现的风险'),
      text('measures', '采取的措施'),
      text('support', '需要上级支持的事项'),
    ];
  return [];
}

export type Filled = { ok: true; doneOn: string; values: CardValues } | { ok: false; message: string };

/** A filled form checked against the period it answers, today (both Shanghai dates) and the leader's 联系点. */
export function checkFilled(
  form: Duty['form'],
  values: CardValues,
  period: Period,
  today: string,
  contacts: readonly string[] = [],
): Filled {
  const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
  const str = (v: string | string[] | undefined) => (typeof v === 'string' ? v.trim() : '');
  if (form === 'visit') {
    const where = str(values.where);
    if (!where) return { ok: false, message: '请写明走访的是哪个联系点。' };
    if (contacts.length > 0 && !contacts.includes(where))
      return { ok: false, message: `“${where}”不是登记的联系点（${contacts.join('、')}）。` };
    const raw = str(values.date);
    const doneOn = raw ? parseDay(raw, today.slice(0, 4)) : today;
    if (!doneOn) return { ok: false, message: `走访日期“${raw}”看不懂，请写成 2026-11-20 的样子。` };
    if (doneOn > today) return { ok: false, message: `走访日期 ${doneOn} 还没到，请在走访之后再确认。` };
    if (doneOn < period.first || doneOn > period.last)
      return { ok: false, message: `走访日期 ${doneOn} 不在 ${period.id}（${period.first} 至 ${period.last}）之内。` };
    const did = list(values.did);
    if (did.length === 0) return { ok: false, message: '请勾选这次走访做了什么。' };
    return { ok: true, doneOn, values: { where, did, problems: str(values.problems) } };
  }
  if (form === 'ideology') {
    const situation = str(values.situation);
    if (!situation) return { ok: false, message: '请选择本月意识形态领域的总体态势（平稳 / 基本平稳 / 存在风险）。' };
    if (situation === '存在风险' && !str(values.risks))
      return { ok: false, message: '选择了“存在风险”，请写明发现的风险。' };
    const filled = {
      situation,
      areas: list(values.areas),
      risks: str(values.risks),
      measures: str(values.measures),
      support: str(values.support),
    };
    return { ok: true, doneOn: today, values: filled };
  }
  return { ok: true, doneOn: today, values: {} };
}

/** `2026-11-20`, `2026/11/20`, `2026年11月20日`, or a date of this year as `11-20` / `11月20日`. */
export function parseDay(raw: string, year: string): string | null {
  const m = raw.normalize('NFKC').match(/^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?$/);
  if (!m) return null;
  const day = `${m[1] ?? year}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`;
  // A day that does not exist (2026-02-30, 2026-13-01) does not survive the round trip.
  return !Number.isNaN(Date.parse(day)) && addDays(day, 0) === day ? day : null;
}
