// A generated district roster for tests and the bench (no Node-only imports: workerd loads it).
// An education work committee (3 admins who are also 班子成员) over schools of 20 members each:
// a 书记, two 支委委员, two school leaders (班子成员 with the school as 联系点), fifteen teachers.
// So 5% of the members are 书记 (研判, 流动党员) and 10% are 班子成员 (联系点走访).
const ROOT = '示范区教育工委';
const HEADER = ['组织', '学校', '姓名', '角色', '企业微信账号', '联系点'];
const ROLES = ['书记、党员', '支委委员、党员', '支委委员、党员', '班子成员、党员', '班子成员、党员'];

/** `prefix` starts every WeCom account, so that districts of several sizes can share one fake WeCom. */
export function districtRoster(members: number, prefix = 'u'): string[][] {
  const rows = [HEADER];
  for (let i = 0; i < 3; i++)
    rows.push([ROOT, '', `管理员${i}`, '管理员、班子成员、党员', `${prefix}admin${i}`, '第0小学']);
  for (let n = 3; n < members; n++) {
    const school = Math.floor((n - 3) / 20);
    const seat = (n - 3) % 20;
    const roles = ROLES[seat] ?? '党员、教师';
    const contacts = roles.startsWith('班子成员') ? `第${school}小学` : '';
    rows.push([`${ROOT}/第${school}小学党支部`, `第${school}小学`, `成员${n}`, roles, `${prefix}${n}`, contacts]);
  }
  return rows;
}

/** The WeCom accounts of a district of this size (the fake WeCom API must know them). */
export function districtUsers(members: number, prefix = 'u'): string[] {
  return districtRoster(members, prefix)
    .slice(1)
    .map((r) => r[4] as string);
}

/** The WeCom accounts of a district's members who hold `role`, sorted. */
export function accountsWithRole(roster: string[][], role: string): string[] {
  return roster
    .slice(1)
    .filter((r) => (r[3] as string).includes(role))
    .map((r) => r[4] as string)
    .sort();
}
