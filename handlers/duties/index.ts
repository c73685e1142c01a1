// Recurring duties in chat: the reminder card and its form, 走访 / 上报研判 to report unprompted,
// and the confirmation — by the person reminded or an admin on their behalf (recorded as such).
// A 研判 that finds risk goes at once to the 书记 of the superior organisation.

import { type Output, say } from '../../cards/message';
import type { Card } from '../../cards/model';
import { type Period, periodOf, previousPeriod, shanghaiDate } from '../../domain/calendar';
import { type Duty, reminderPrefix } from '../../domain/duties';
import type { AppDb } from '../../storage/db';
import { type DutyRecord, recordDuty, recordDutyOnce, recordsOf } from '../../storage/duty-records';
import { documentBySource } from '../../storage/kb';
import { cancelPending, keysStartingWith } from '../../storage/outbox';
import { hasRole, type Member, memberById, membersNamed, membersWithRole, setContacts } from '../../storage/people';
import type { Context, Feature } from '../feature';
import { checkFilled, inputsOf } from './forms';
import { isLate, periodNamed } from './period';
import { answerRisk, escalate } from './risk';

const BUTTON: Record<Duty['form'], string> = { visit: '确认走访', ideology: '提交研判', done: '已完成' };
/** The command that opens a form's card unprompted. */
const COMMAND: Partial<Record<Duty['form'], string>> = { visit: '走访', ideology: '上报研判' };

/** The clause a duty comes from, as its reminder quotes it: 《title》(文号)“quote”. */
export async function basisOf(db: AppDb, basis: Duty['basis']): Promise<string> {
  const doc = await documentBySource(db, basis.doc);
  const source = doc ? `《${doc.title}》${doc.docNo ? `(${doc.docNo})` : ''}` : basis.doc;
  return `${source}“${basis.quote}”`;
}

/**
 * The card a duty sends (a reminder when `lead` is given): what to do, why, and the form;
 * `chosen` preselects the 联系点 a leader named.
 */
export function dutyCard(
  duty: Duty,
  period: Period,
  member: Member,
  basis: string,
  opts: { lead?: string; chosen?: string } = {},
): Card {
  const { lead, chosen } = opts;
  const contacts = duty.form === 'visit' ? member.contacts : [];
  const where = contacts.length > 0 ? `\n\n您的联系点：${contacts.join('、')}` : '';
  return {
    title: `${duty.title}${lead ? '提醒' : ''}`,
    body: `${lead ? `**${lead}**：` : ''}${duty.ask}${where}\n\n依据：${basis}`,
    inputs: duty.opens ? [] : inputsOf(duty.form, contacts, chosen),
    buttons: [
      duty.opens
        ? { action: `selfcheck.open:${duty.opens}`, label: '开始自查', style: 'primary' }
        : { action: `duty.done:${duty.id}:${period.first}:${member.id}`, label: BUTTON[duty.form], style: 'primary' },
    ],
    status: `${period.id} · 截止 ${period.last}`,
  };
}

export function dutiesFeature(duties: readonly Duty[]): Feature {
  const byForm = (form: Duty['form']) => duties.find((d) => d.form === form);

  /**
   * The duty's card for `subject` (the sender unless an admin records for someone): for the period
   * named in `when` (a past one is a 补报), else the current one.
   */
  async function open(
    ctx: Context,
    duty: Duty | undefined,
    opts: { named?: string; when?: string; subject?: Member | null } = {},
  ): Promise<Output[]> {
    const { named = '', when = '', subject = ctx.member } = opts;
    if (!duty || !subject) return say('没有启用这项职责。');
    const contacts = subject.contacts;
    // `走访 兰陵` picks 兰陵小学 when it is the one 联系点 whose name holds those words.
    const picked = named ? contacts.filter((c) => c === named || c.includes(named)) : [];
    if (named && contacts.length > 0 && picked.length !== 1)
      return say(
        `“${named}”不是${subject.id === ctx.member?.id ? '您' : subject.name}登记的联系点，登记的联系点有：${contacts.join('、')}。`,
      );
    const today = shanghaiDate(ctx.now.getTime());
    const period = periodNamed(duty.every, when, today);
    if ('problem' in period) return say(period.problem);
    if (duty.form !== 'visit') {
      const [done] = await recordsOf(ctx.db, duty.id, period.id, subject.id);
      if (done) return say(`${subject.name}的${duty.title}（${period.id}）已于 ${done.doneOn} 上报，无需重复提交。`);
    }
    const chosen = picked[0];
    const card = dutyCard(duty, period, subject, await basisOf(ctx.db, duty.basis), chosen ? { chosen } : {});
    const late = period.last < today;
    if (late) card.title = `${card.title}（补报 ${period.id}）`;
    if (subject.id !== ctx.member?.id) card.title = `${card.title}（代${subject.name}登记）`;
    if (!when && duty.form !== 'visit') card.body += await missedBefore(ctx, duty, period, subject);
    return [{ type: 'card', card }];
  }

  /**
   * A line for the card of the current period when the person was reminded of the period before
   * and has not done it: how to report it late.
   */
  async function missedBefore(ctx: Context, duty: Duty, period: Period, subject: Member): Promise<string> {
    const before = previousPeriod(duty.every, period);
    const command = COMMAND[duty.form];
    const reminded = await keysStartingWith(ctx.db, reminderPrefix(duty.id, before.id, subject.id));
    if (!command || reminded.length === 0) return '';
    if ((await recordsOf(ctx.db, duty.id, before.id, subject.id)).length > 0) return '';
    const word = duty.every === 'month' ? '上月' : before.id;
    return `\n\n${before.id} 的${duty.title}尚未上报，补报请发“${command} ${word}”。`;
  }

  /** `代登记 吴刚 走访 兰陵`, `代登记 刘洋 研判 上月`: an admin opens someone's form to record what they reported by phone. */
  async function onBehalf(ctx: Context, name: string, what: string, rest: string): Promise<Output[]> {
    const found = await membersNamed(ctx.db, name);
    if (found.length !== 1)
      return say(found.length ? `名册中有 ${found.length} 位“${name}”。` : `名册中没有“${name}”。`);
    const subject = found[0] as Member;
    const duty = what === '走访' ? byForm('visit') : byForm('ideology');
    if (duty && !hasRole(subject, duty.audience))
      return say(`${name}不是${duty.audience}，没有${duty.title}这项职责。`);
    const arg = rest.trim();
    return open(ctx, duty, what === '走访' ? { named: arg, subject } : { when: arg, subject });
  }

  return {
    name: 'duty',
    commands: [
      {
        name: '走访',
        usage: '走访 [联系点]',
        summary: '登记一次联系点走访',
        match: /^走访\s*(.*)$/,
        roles: ['班子成员', '管理员'],
        chat: 'direct',
        run: (ctx, m) => open(ctx, byForm('visit'), { named: (m[1] ?? '').trim() }),
      },
      {
        name: '上报研判',
        usage: '上报研判 [月份，如 上月]',
        summary: '上报本月意识形态研判（补报上月：上报研判 上月）',
        match: /^上报研判\s*(.*)$|^研判$/,
        roles: ['书记', '管理员'],
        chat: 'direct',
        run: (ctx, m) => open(ctx, byForm('ideology'), { when: m[1] ?? '' }),
      },
      {
        name: '代登记',
        usage: '代登记 姓名 走访 [联系点] | 代登记 姓名 研判 [月份]',
        summary: '替他人登记走访或研判（管理员，记为代为登记）',
        match: /^代登记\s*(\S+)\s*(走访|研判)\s*(.*)$/,
        roles: ['管理员'],
        chat: 'direct',
        run: (ctx, m) => onBehalf(ctx, m[1] ?? '', m[2] ?? '', m[3] ?? ''),
      },
      {
        name: '联系点设置',
        usage: '联系点 设置 姓名 学校1、学校2',
        summary: '设置班子成员的联系点（管理员）',
        match: /^联系点\s*设置\s*(\S*)\s*(.*)$/,
        roles: ['管理员'],
        run: (ctx, m) => setLeaderContacts(ctx, m[1] ?? '', m[2] ?? ''),
      },
      {
        name: '联系点情况',
        usage: '联系点情况 [季度，如 上季度]',
        summary: '本季度联系点走访情况（管理员看全部）',
        match: /^联系点情况\s*(.*)$/,
        roles: ['班子成员', '管理员'],
        run: (ctx, m) => status(ctx, byForm('visit'), m[1] ?? ''),
      },
      {
        name: '研判情况',
        usage: '研判情况 [月份，如 2026-11 或 上月]',
        summary: '本月意识形态研判上报情况（管理员看全部）',
        match: /^研判情况\s*(.*)$/,
        roles: ['书记', '管理员'],
        run: (ctx, m) => status(ctx, byForm('ideology'), m[1] ?? ''),
      },
    ],
    actions: {
      risk: (ctx, click) => answerRisk(ctx, click, duties),
      done: async (ctx, click) => {
        const [dutyId, first, memberId] = (click.arg ?? '').split(':');
        const duty = duties.find((d) => d.id === dutyId);
        const subject = memberId ? await memberById(ctx.db, memberId) : undefined;
        if (!duty || !first || !subject) return say('这张卡片已失效。');
        const me = ctx.member;
        if (!me) return say('请先“绑定 姓名”，确认后才能记在你的名下。');
        if (me.id !== subject.id && !hasRole(me, '管理员'))
          return say(`这张卡片是发给${subject.name}的，只有本人或管理员可以确认。`);
        const period = periodOf(duty.every, first);
        const today = shanghaiDate(ctx.now.getTime());
        const filled = checkFilled(duty.form, click.values, period, today, subject.contacts);
        if (!filled.ok) return say(filled.message);
        const row = {
          dutyId: duty.id,
          period: period.id,
          memberId: subject.id,
          doneOn: filled.doneOn,
          values: filled.values,
          recordedBy: me.id,
          recordedAt: ctx.now.getTime(),
        };
        // A visit may be made many times a quarter; anything else is done once a period.
        const record = duty.form === 'visit' ? await recordDuty(ctx.db, row) : await recordDutyOnce(ctx.db, row);
        if (!record) {
          const [first] = await recordsOf(ctx.db, duty.id, period.id, subject.id);
          return say(`${subject.name}的${duty.title}（${period.id}）已于 ${first?.doneOn} 上报，无需重复提交。`);
        }
        await ctx.audit('duty.done', record.id, { duty: duty.id, period: period.id, member: subject.id });
        // Reminders of this period planned for a later hour would now tell a person who did it to do it.
        await cancelPending(ctx.db, [reminderPrefix(duty.id, period.id, subject.id)]);
        const onBehalf = me.id === subject.id ? '' : `（管理员${me.name}代为登记）`;
        const late = isLate(record, period);
        let said: string;
        if (duty.form === 'visit') {
          const visits = (await recordsOf(ctx.db, duty.id, period.id, subject.id)).length;
          said = `${subject.name} ${duty.title} ${filled.doneOn} ${filled.values.where}，本季度第 ${visits} 次走访`;
        } else {
          const when = late ? `（补报：${period.id} 已于 ${period.last} 截止）` : '';
          said = `${subject.name} ${period.id} ${duty.title}${when}，${filled.doneOn} ${duty.form === 'ideology' ? '上报' : '完成'}`;
        }
        const outputs: Output[] = [
          {
            type: 'card-update',
            card: {
              ...click.card,
              inputs: [],
              buttons: [],
              status: `已确认 · ${filled.doneOn}${late ? `（补报 ${period.id}）` : ''}${onBehalf}`,
            },
          },
          ...say(`已记录：${said}${onBehalf}。`),
        ];
        if (filled.values.situation === '存在风险') outputs.push(...(await escalate(ctx, subject, record, duty)));
        return outputs;
      },
    },
  };
}

/** `联系点 设置 吴刚 兰陵小学、延陵小学`: an admin assigns a leader's 联系点 (replacing the old ones). */
async function setLeaderContacts(ctx: Context, name: string, list: string): Promise<Output[]> {
  const contacts = [...new Set(list.split(/[、,，;；\s]+/).filter(Boolean))];
  if (!name || contacts.length === 0) return say('用法：联系点 设置 姓名 学校1、学校2（会替换原有的联系点）');
  const found = await membersNamed(ctx.db, name);
  if (found.length === 0) return say(`名册中没有“${name}”。`);
  if (found.length > 1) return say(`名册中有 ${found.length} 位“${name}”，请在名册的“联系点”一列中设置。`);
  const leader = found[0] as Member;
  if (!hasRole(leader, '班子成员')) return say(`${name}不是班子成员，只有班子成员有联系点。`);
  await setContacts(ctx.db, leader.id, contacts);
  await ctx.audit('contacts.set', leader.id, { before: leader.contacts, after: contacts });
  const before = leader.contacts.length > 0 ? `（原为：${leader.contacts.join('、')}）` : '';
  return say(`已设置${name}的联系点：${contacts.join('、')}${before}。`);
}

/** A period's records (the current one unless `when` names another): one's own, or everyone's for an admin. */
async function status(ctx: Context, duty: Duty | undefined, when: string): Promise<Output[]> {
  if (!duty || !ctx.member) return say('没有启用这项职责。');
  const today = shanghaiDate(ctx.now.getTime());
  const period = periodNamed(duty.every, when, today);
  if ('problem' in period) return say(period.problem);
  const records = await recordsOf(ctx.db, duty.id, period.id);
  const byMember = new Map<string, DutyRecord[]>();
  for (const r of records) byMember.set(r.memberId, [...(byMember.get(r.memberId) ?? []), r]);
  const admin = hasRole(ctx.member, '管理员');
  // Those not done first: they are whom an admin reads the list for.
  const people = (admin ? await membersWithRole(ctx.db, duty.audience) : [ctx.member]).sort(
    (a, b) => Number(byMember.has(a.id)) - Number(byMember.has(b.id)) || a.name.localeCompare(b.name, 'zh'),
  );
  const entry = (r: DutyRecord) =>
    typeof r.values.where === 'string'
      ? `${r.doneOn} ${r.values.where}`
      : `${r.doneOn}${isLate(r, period) ? ' 补报' : ''}`;
  const line = (m: Member) => {
    const mine = byMember.get(m.id) ?? [];
    return mine.length > 0 ? `- ${m.name}：已完成（${mine.map(entry).join('、')}）` : `- ${m.name}：未完成`;
  };
  const done = people.filter((m) => byMember.has(m.id)).length;
  const card: Card = {
    title: `${duty.title} · ${period.id}`,
    body: people.map(line).join('\n'),
    status: `${done}/${people.length} 已完成 · ${period.last < today ? `已于 ${period.last} 截止` : `截止 ${period.last}`}`,
  };
  return [{ type: 'card', card }];
}
