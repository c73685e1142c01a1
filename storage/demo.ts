// A small demo organisation, loaded into an empty database so the bot can be tried at once:
// an education work committee with two school branches, and one simulator group per branch
// (plus an unbound one, to try 绑定).
import { count } from 'drizzle-orm';
import { bindChatQuery, rememberChat } from './chats';
import type { AppDb } from './db';
import { orgsNamed } from './orgs';
import { importRoster } from './roster';
import { organisations } from './schema';

const ROOT = '天宁区教育工委';
const LANLING = `${ROOT}/兰陵小学党支部`;
const YANLING = `${ROOT}/延陵小学党支部`;

export const DEMO_ROSTER: string[][] = [
  ['组织', '学校', '姓名', '角色', '企业微信账号', '钉钉账号', '手机号', '联系点'],
  [ROOT, '', '周红', '管理员、班子成员、党员', 'zhouhong', 'dt-zhouhong', '', '兰陵小学'],
  [ROOT, '', '吴刚', '班子成员、党员', 'wugang', 'dt-wugang', '', '延陵小学'],
  [LANLING, '兰陵小学', '王建国', '书记、党员', 'wangjianguo', 'dt-wangjianguo', ''],
  [LANLING, '兰陵小学', '李敏', '支委委员、党员、教师', 'limin', 'dt-limin', ''],
  [LANLING, '兰陵小学', '张伟', '党员、教师', 'zhangwei', 'dt-zhangwei', ''],
  [LANLING, '兰陵小学', '陈静', '党员、教师', 'chenjing', 'dt-chenjing', ''],
  [YANLING, '延陵小学', '刘洋', '书记、党员', 'liuyang', 'dt-liuyang', ''],
  [YANLING, '延陵小学', '赵磊', '党员、教师', 'zhaolei', 'dt-zhaolei', ''],
  [YANLING, '延陵小学', '孙丽', '党员、教师', 'sunli', 'dt-sunli', ''],
];

export const DEMO_CHATS = [
  { chatId: 'sim-lanling', title: '兰陵小学党支部群', org: '兰陵小学党支部' },
  { chatId: 'sim-yanling', title: '延陵小学党支部群', org: '延陵小学党支部' },
  { chatId: 'sim-teachers', title: '教师交流群（未绑定）', org: null },
] as const;

/** Loads the demo unless the database has an organisation already; true when it did. */
export async function seedDemo(db: AppDb, now: number): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(organisations);
  if ((row?.n ?? 0) > 0) return false;
  const result = await importRoster(db, DEMO_ROSTER, now, 'demo');
  if (!result.ok) throw new Error(`demo roster rejected: ${JSON.stringify(result.errors)}`);
  for (const chat of DEMO_CHATS) {
    await rememberChat(db, 'sim', chat.chatId, chat.title, now);
    if (!chat.org) continue;
    const [org] = await orgsNamed(db, chat.org);
    if (org) await bindChatQuery(db, 'sim', chat.chatId, org.id, 'demo', now);
  }
  return true;
}
