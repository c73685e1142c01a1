// A 研判 that finds risk goes at once to the superior organisation's leaders (its 书记, else its
// admins) as a card they answer on: 已阅, 已处理, or a reply. Each answer is recorded and told to
// the person who reported, and the card shows what has been done with it so far.

import { type Output, say } from '../../cards/message';
import type { Card } from '../../cards/model';
import type { Duty } from '../../domain/duties';
import { type DutyRecord, recordById } from '../../storage/duty-records';
import { addDutyReply, type DutyReply, repliesTo } from '../../storage/duty-replies';
import { orgLineage } from '../../storage/orgs';
import { hasRole, type Member, memberById, superiorLeadersOf } from '../../storage/people';
import { dayAndClock } from '../checkin/time';
import type { Click, Context } from '../feature';
import { isLate, periodById } from './period';

type Kind = DutyReply['kind'];
export const REPLY_WORDS: Record<Kind, string> = { read: '已阅', handled: '已处理', reply: '回复' };
const KINDS = Object.keys(REPLY_WORDS) as Kind[];

/** One answer as the card, the 台账 and the console show it: who, when, what (and what they wrote). */
export function replyLine(r: DutyReply, name: string | undefined): string {
  return `${name ?? r.memberId} ${dayAndClock(r.at)} ${REPLY_WORDS[r.kind]}${r.text ? `：${r.text}` : ''}`;
}

/** The card the superior answers on, with the answers so far. */
async function riskCard(
  ctx: Context,
  duty: Duty,
  record: DutyRecord,
  reporter: Member,
  replies: DutyReply[],
): Promise<Card> {
  const [own] = await orgLineage(ctx.db, reporter.orgId);
  const period = periodById(duty.every, record.period);
  const v = record.values;
  const names = new Map<string, string>();
  for (const r of replies) names.set(r.memberId, (await memberById(ctx.db, r.memberId))?.name ?? r.memberId);
  const answers = replies.map((r) => `- ${replyLine(r, names.get(r.memberId))}`);
  const last = [...replies].reverse().find((r) => r.kind !== 'reply');
  return {
    title: `${duty.title} · 存在风险`,
    body: [
      `**${own?.name ?? ''}** ${reporter.name} 于 ${record.doneOn} ${isLate(record, period) ? '补报' : '上报'} ${record.period} 研判：存在风险。`,
      `研判范围：${[v.areas ?? []].flat().join('、') || '未填'}`,
      `发现的风险：${v.risks || '未填'}`,
      `采取的措施：${v.measures || '未填'}`,
      `需要上级支持：${v.support || '未填'}`,
      ...(answers.length > 0 ? ['', '**处理情况**', ...answers] : []),
    ].join('\n'),
    inputs: [{ kind: 'text', name: 'reply', label: `回复${reporter.name}（可不填）`, maxLength: 500 }],
    buttons: [
      { action: `duty.risk:${record.id}:read`, label: '已阅' },
      { action: `duty.risk:${record.id}:handled`, label: '已处理', style: 'primary' },
      { action: `duty.risk:${record.id}:reply`, label: '回复' },
    ],
    status: last ? `${REPLY_WORDS[last.kind]} · ${names.get(last.memberId)} ${dayAndClock(last.at)}` : '待处理',
  };
}

/** Sends a risk 研判 to the superior organisation's leaders; what the reporter is told about it. */
export async function escalate(ctx: Context, reporter: Member, record: DutyRecord, duty: Duty): Promise<Output[]> {
  const [, superior] = await orgLineage(ctx.db, reporter.orgId);
  if (!superior) return [];
  const to = await superiorLeadersOf(ctx.db, reporter.orgId);
  const card = await riskCard(ctx, duty, record, reporter, []);
  for (const m of to) await ctx.notify(m.id, `duty-risk:${record.id}:${m.id}`, [{ type: 'card', card }]);
  return to.length > 0 ? say(`已转报${superior.name}：${to.map((m) => m.name).join('、')}。`) : [];
}

/** 已阅 / 已处理 / 回复 on the risk card: recorded, told to the reporter, shown on the card. */
export async function answerRisk(ctx: Context, click: Click, duties: readonly Duty[]): Promise<Output[]> {
  const [recordId = '', kind] = (click.arg ?? '').split(':') as [string, Kind];
  const record = await recordById(ctx.db, recordId);
  const duty = duties.find((d) => d.id === record?.dutyId);
  const reporter = record ? await memberById(ctx.db, record.memberId) : undefined;
  if (!record || !duty || !reporter || !KINDS.includes(kind)) return say('这张卡片已失效。');
  const me = ctx.member;
  if (!me) return say('请先“绑定 姓名”，处理情况才能记在你的名下。');
  const superiors = await superiorLeadersOf(ctx.db, reporter.orgId);
  if (!superiors.some((m) => m.id === me.id) && !hasRole(me, '管理员'))
    return say('只有上级组织的书记或管理员可以处理这份研判。');
  const text = typeof click.values.reply === 'string' ? click.values.reply.trim() : '';
  if (kind === 'reply' && !text) return say(`请先在“回复${reporter.name}”一栏写好回复，再点“回复”。`);
  const at = ctx.now.getTime();
  const reply = await addDutyReply(ctx.db, { recordId, memberId: me.id, kind, text: text || null, at });
  await ctx.audit(`duty.risk.${kind}`, record.id, { reply: reply.id });
  const what = `您上报的 ${record.period} ${duty.title}（存在风险）`;
  const told =
    kind === 'reply'
      ? `${me.name}回复${what}：${text}`
      : `${me.name}${kind === 'read' ? '已阅' : '已处理'}${what}。${text ? `\n回复：${text}` : ''}`;
  await ctx.notify(reporter.id, `duty-risk-reply:${reply.id}`, [{ type: 'text', text: told }]);
  const replies = await repliesTo(ctx.db, [record.id]);
  const card = { ...(await riskCard(ctx, duty, record, reporter, replies)), id: click.card.id };
  return [{ type: 'card-update', card }, ...say(`已告知${reporter.name}：${told}`)];
}
