// A district as the console sees it after a year, made from a seed (the same seed, the same data):
// a 工委 with its admin and 班子成员 (each with 联系点), `branches` school branches of `members`
// each, and everything the bot records from 1 January to `now` — meetings of every type with
// attendance, 联系点 visits, monthly 研判 (a few with risk), the graded 自查 in every state, open
// 整改, and questions the documents could not answer. Written straight into the tables.

import { ACCOUNT_COLUMNS } from '../bot/platforms';
import { periodsIn } from '../bot/web/console/period';
import { atShanghai, periodOf, shanghaiDate } from '../domain/calendar';
import type { FormDefinition } from '../domain/forms';
import { itemsOf } from '../domain/forms';
import { MEETING_CADENCE } from '../handlers/checkin/cadence';
import { EXPECTED } from '../handlers/checkin/roll';
import { reviewResult, selfResult } from '../handlers/selfcheck/review';
import { type AppDb, newId, underParamLimit } from '../storage/db';
import { allOrgs, branchesOf } from '../storage/orgs';
import { allMembers, hasRole } from '../storage/people';
import { importRoster } from '../storage/roster';
import { attendance, dutyRecords, formEntries, meetings, qaAnswers } from '../storage/schema';
import { rng } from './generate-corpus';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬辉鹏文斌宇浩凯健俊帆帅旭宁琳欣';
const PLACES = '东南西北中新星光明华育才实验城关河滨阳春桃李青松翠竹桂花红旗朝阳胜利和平团结人民建设';
const QUESTIONS = [
  '优秀党员评选有什么条件？',
  '流动党员组织关系怎么转？',
  '党费收缴标准是多少？',
  '入党积极分子培养多长时间？',
  '预备党员转正需要哪些材料？',
  '组织生活会多久开一次？',
  '党支部换届选举程序是什么？',
  '退休教师党员组织关系放在哪里？',
];

export async function generateDistrict(
  db: AppDb,
  o: { branches: number; members: number; seed: number; now: number; forms: readonly FormDefinition[] },
): Promise<void> {
  const rnd = rng(o.seed);
  const pick = <T>(xs: readonly T[] | string): T => xs[Math.floor(rnd() * xs.length)] as T;
  const used = new Set<string>();
  const name = () => {
    for (;;) {
      const n = `${pick<string>(SURNAMES)}${pick<string>(GIVEN)}${rnd() < 0.6 ? pick<string>(GIVEN) : ''}`;
      if (!used.has(n)) return used.add(n) && n;
    }
  };
  const root = '示范区教育工委';
  const schools = Array.from(
    { length: o.branches },
    (_, i) => `${pick<string>(PLACES)}${pick<string>(PLACES)}${i + 1}小学`,
  );
  const rows: string[][] = [['组织', '学校', '姓名', '角色', '联系点']];
  rows.push([root, '', name(), '管理员、党员', '']);
  for (let i = 0; i < Math.ceil(o.branches / 5); i++)
    rows.push([root, '', name(), '班子成员、党员', schools.slice(i * 5, i * 5 + 5).join('、')]);
  for (const school of schools) {
    const path = `${root}/${school}党支部`;
    rows.push([path, school, name(), '书记、党员', '']);
    for (let j = 1; j < o.members; j++) rows.push([path, school, name(), j < 3 ? '支委委员、党员' : '党员', '']);
  }
  const imported = await importRoster(db, rows, o.now, 'bench', ACCOUNT_COLUMNS);
  if (!imported.ok) throw new Error(JSON.stringify(imported.errors.slice(0, 3)));

  const members = await allMembers(db);
  const branches = branchesOf(await allOrgs(db));
  const today = shanghaiDate(o.now);
  const year = periodOf('year', today);
  const meetingRows: (typeof meetings.$inferInsert)[] = [];
  const attendanceRows: (typeof attendance.$inferInsert)[] = [];
  const records: (typeof dutyRecords.$inferInsert)[] = [];
  const at = (p: { first: string; last: string }) => {
    const last = [p.last, today].sort()[0] as string;
    const days = (Date.parse(last) - Date.parse(p.first)) / 86_400_000;
    return shanghaiDate(Date.parse(p.first) + Math.floor(rnd() * (days + 1)) * 86_400_000);
  };
  for (const org of branches) {
    const own = members.filter((m) => m.orgId === org.id);
    const secretary = own.find((m) => hasRole(m, '书记'));
    const diligence = 0.7 + rnd() * 0.3;
    for (const [type, every] of Object.entries(MEETING_CADENCE) as [
      keyof typeof MEETING_CADENCE,
      'month' | 'quarter',
    ][])
      for (const p of periodsIn(every, year).filter((p) => p.first <= today)) {
        if (rnd() > diligence) continue;
        const startsAt = atShanghai(at(p), 15);
        const id = newId('m');
        meetingRows.push({
          id,
          orgId: org.id,
          platform: 'sim',
          chatId: `g-${org.id}`,
          type,
          topic: `${type}：${pick(['学习贯彻党的二十大精神', '师德师风建设', '党史学习教育', '主题教育', '专题组织生活'])}`,
          starterId: secretary?.id ?? '',
          startsAt,
          endsAt: startsAt + 3600_000,
          lateAfterMin: 10,
          closedAt: startsAt + 3600_000,
          closedBy: 'deadline',
          createdAt: startsAt,
        });
        for (const m of own.filter((m) => hasRole(m, ...EXPECTED[type].roles))) {
          const r = rnd();
          if (r < diligence * 0.95)
            attendanceRows.push({
              meetingId: id,
              who: m.id,
              name: m.name,
              status: 'in',
              reason: null,
              guest: false,
              at: startsAt,
            });
          else if (r < diligence * 0.95 + 0.06)
            attendanceRows.push({
              meetingId: id,
              who: m.id,
              name: m.name,
              status: 'leave',
              reason: '外出培训',
              guest: false,
              at: startsAt,
            });
        }
      }
    for (const p of periodsIn('month', year).filter((p) => p.last < today))
      if (secretary && rnd() < diligence + 0.1) {
        const risk = rnd() < 0.05;
        records.push({
          id: newId('dr'),
          dutyId: 'ideology',
          period: p.id,
          memberId: secretary.id,
          doneOn: at(p),
          values: risk
            ? {
                situation: '存在风险',
                areas: ['网络舆情'],
                risks: '个别教师在网上转发不实信息',
                measures: '约谈提醒，开展专题学习',
              }
            : { situation: pick(['平稳', '基本平稳']), areas: ['教师思想动态', '学生思想动态'] },
          recordedBy: secretary.id,
          recordedAt: o.now,
        });
      }
  }
  for (const leader of members.filter((m) => hasRole(m, '班子成员')))
    for (const p of periodsIn('quarter', year).filter((p) => p.first <= today))
      for (const where of leader.contacts)
        if (rnd() < 0.8)
          records.push({
            id: newId('dr'),
            dutyId: 'visit',
            period: p.id,
            memberId: leader.id,
            doneOn: at(p),
            values: { where, did: ['调查研究'], problems: '' },
            recordedBy: leader.id,
            recordedAt: o.now,
          });

  const graded = o.forms.find((f) => f.scoring);
  const rectification = o.forms.find((f) => f.id === 'rectification');
  const entries: (typeof formEntries.$inferInsert)[] = [];
  const vetoed = new Set(graded?.scoring?.vetoes.flatMap((v) => ('item' in v ? [`${v.item}:${v.answer}`] : [])));
  if (graded)
    for (const org of branches) {
      const r = rnd();
      if (r < 0.1) continue;
      const answers: Record<string, string> = {};
      for (const item of itemsOf(graded)) {
        if (item.type === 'score') answers[item.id] = String(Math.round((item.max ?? 0) * (0.6 + rnd() * 0.4)));
        else if (item.type === 'rate') answers[item.id] = String(Math.round(70 + rnd() * 30));
        else if (item.type === 'choice')
          answers[item.id] = item.options?.find((a) => !vetoed.has(`${item.id}:${a}`)) ?? '';
        else if (item.type === 'number') answers[item.id] = '1';
        else
          answers[item.id] = item.type === 'date' ? `${year.id}-03-10` : item.type === 'month' ? `${year.id}-03` : '无';
      }
      const status = r < 0.2 ? 'draft' : r < 0.4 ? 'submitted' : 'reviewed';
      const entry = {
        id: newId('fe'),
        formId: graded.id,
        orgId: org.id,
        period: year.id,
        version: 1,
        status,
        answers,
        review: null,
        result: status === 'draft' ? null : selfResult(graded, answers),
        createdBy: 'bench',
        createdAt: o.now,
        updatedAt: o.now,
        submittedAt: status === 'draft' ? null : o.now,
      } as const;
      entries.push(
        status === 'reviewed'
          ? { ...entry, result: reviewResult(graded, { ...entry, review: null } as never), reviewedAt: o.now }
          : entry,
      );
      if (status === 'reviewed' && rectification && rnd() < 0.5)
        entries.push({
          id: newId('fe'),
          formId: rectification.id,
          orgId: org.id,
          period: year.id,
          version: 1,
          status: rnd() < 0.5 ? 'submitted' : 'done',
          answers: {
            problems: '组织生活记录不全',
            measures: '建立会议台账',
            deadline: `${year.id}-${pick(['06', '09', '12'])}`,
            contact: '',
          },
          createdBy: 'bench',
          createdAt: o.now,
          updatedAt: o.now,
        });
    }

  const answers: (typeof qaAnswers.$inferInsert)[] = Array.from({ length: 300 }, (_, i) => ({
    id: newId('a'),
    askedAt: o.now - Math.floor(rnd() * 300) * 86_400_000,
    platform: 'sim',
    sender: `t${i}`,
    question: pick(QUESTIONS),
    found: rnd() < 0.5,
    answer: {},
  }));

  const insert = async <T extends object>(table: Parameters<AppDb['insert']>[0], values: T[]) => {
    for (const statement of underParamLimit(values, (rows) => db.insert(table).values(rows as never))) await statement;
  };
  await insert(meetings, meetingRows);
  await insert(attendance, attendanceRows);
  await insert(dutyRecords, records);
  await insert(formEntries, entries);
  await insert(qaAnswers, answers);
}
