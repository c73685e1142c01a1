import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { eq, like, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main as rosterCli } from '../bot/cli/roster';
import { readTable, writeXlsx } from '../bot/cli/table-file';
import { toCsv } from '../bot/files';
import { ACCOUNT_COLUMNS } from '../bot/platforms';
import type { AppDb } from '../storage/db';
import { demoMembers, removeDemo, seedDemo } from '../storage/demo';
import { exportRoster, importRoster } from '../storage/roster';
import { auditLog, chats, dutyRecords, identities, members, organisations, simMessages } from '../storage/schema';
import { openSqlite } from '../storage/sqlite';
import { textMessageXml } from './fakes/wecom-callback';
import { runMain } from './helpers/cli';
import { AGENT_ID, CORP_ID, wecomHarness } from './helpers/wecom';

const HEADER = ['组织', '学校', '姓名', '角色', '企业微信账号', '钉钉账号', '手机号'];
const GOOD = [
  HEADER,
  ['固原市教育工委', '', '马文', '管理员、班子成员', 'mawen', '', ''],
  ['固原市教育工委/第一中学党委', '', '杨光', '书记', 'yangguang', 'dt-yg', ''],
  ['固原市教育工委/第一中学党委/高一党支部', '第一中学', '何芳', '书记,党员', 'hefang', '', '139 1234 5757'],
  ['固原市教育工委/第一中学党委/高一党支部', '第一中学', '郭强', '党员 教师', '', 'dt-gq', ''],
];

let db: AppDb;
let close: () => void;
beforeEach(() => {
  ({ db, close } = openSqlite(':memory:'));
});
afterEach(() => close());

const rowsOf = async () => ({
  orgs: await db.select().from(organisations),
  members: await db.select().from(members),
  ids: await db.select().from(identities),
});

describe('roster import', () => {
  it('builds the organisation tree, the members and their accounts from a good file', async () => {
    const r = await importRoster(db, GOOD, 1000, 'test', ACCOUNT_COLUMNS);
    expect(r).toEqual({
      ok: true,
      summary: { orgsCreated: 3, membersCreated: 4, membersUpdated: 0, membersUnchanged: 0 },
    });
    const { orgs, members: people, ids } = await rowsOf();
    const byPath = new Map(orgs.map((o) => [o.path, o]));
    const branch = byPath.get('固原市教育工委/第一中学党委/高一党支部');
    const committee = byPath.get('固原市教育工委/第一中学党委');
    expect(byPath.get('固原市教育工委')?.kind).toBe('工委');
    expect(committee?.kind).toBe('党委');
    expect(branch).toMatchObject({ kind: '支部', school: '第一中学', parentId: committee?.id });
    const he = people.find((m) => m.name === '何芳');
    expect(he).toMatchObject({ roles: ['书记', '党员'], mobile: '13912345757', orgId: branch?.id });
    expect(ids.filter((i) => i.memberId === he?.id)).toEqual([
      { platform: 'wecom', externalId: 'hefang', memberId: he?.id },
    ]);
  });

  it('rejects a file with bad rows whole, listing every bad row, and writes nothing', async () => {
    const bad = [
      HEADER,
      ['固原市教育工委', '', '马文', '管理员', 'mawen', '', ''],
      ['', '', '无组织', '党员', '', '', ''],
      ['固原市教育工委', '', '李四', '队长', 'li si', '', '12345'],
      ['固原市教育工委', '', '王五', '党员', 'mawen', '', ''],
      ['固原市教育工委', '', '马文', '党员', '', '', ''],
    ];
    const r = await importRoster(db, bad, 1000, 'test', ACCOUNT_COLUMNS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.row} ${e.column}`)).toEqual([
      '3 组织',
      '4 角色',
      '4 企业微信账号',
      '4 手机号',
      '5 企业微信账号',
      '6 姓名',
    ]);
    expect(r.errors[1]?.message).toContain('不认识“队长”');
    expect(r.errors[4]?.message).toBe('“mawen”与第 2 行重复');
    const { orgs, members: people, ids } = await rowsOf();
    expect([orgs.length, people.length, ids.length]).toEqual([0, 0, 0]);
  });

  it('names a missing column in the header', async () => {
    const r = await importRoster(
      db,
      [
        ['组织', '姓名'],
        ['a', 'b'],
      ],
      1000,
      'test',
      ACCOUNT_COLUMNS,
    );
    expect(r).toEqual({ ok: false, errors: [{ row: 1, column: '角色', message: '表头缺少“角色”列' }] });
  });

  it('changes nothing when the same file is imported again', async () => {
    await importRoster(db, GOOD, 1000, 'test', ACCOUNT_COLUMNS);
    const before = await rowsOf();
    const auditBefore = (await db.select().from(auditLog)).length;
    const r = await importRoster(db, GOOD, 2000, 'test', ACCOUNT_COLUMNS);
    expect(r).toEqual({
      ok: true,
      summary: { orgsCreated: 0, membersCreated: 0, membersUpdated: 0, membersUnchanged: 4 },
    });
    expect(await rowsOf()).toEqual(before);
    expect((await db.select().from(auditLog)).length).toBe(auditBefore);
  });

  it('updates an edited file in place: a new role, a new account, a move to another branch', async () => {
    await importRoster(db, GOOD, 1000, 'test', ACCOUNT_COLUMNS);
    const heBefore = (await db.select().from(members).where(eq(members.name, '何芳')))[0];
    const edited = GOOD.map((r) => [...r]);
    edited[3] = ['固原市教育工委/第一中学党委/高二党支部', '第一中学', '何芳', '书记、党员', 'hefang', '', ''];
    edited[4] = [
      '固原市教育工委/第一中学党委/高一党支部',
      '第一中学',
      '郭强',
      '支委委员、党员',
      'guoqiang',
      'dt-gq',
      '',
    ];
    const r = await importRoster(db, edited, 2000, 'test', ACCOUNT_COLUMNS);
    expect(r).toMatchObject({ ok: true, summary: { orgsCreated: 1, membersCreated: 0, membersUpdated: 2 } });
    const he = (await db.select().from(members).where(eq(members.name, '何芳')))[0];
    expect(he?.id).toBe(heBefore?.id);
    expect(he?.mobile).toBeNull();
    const guo = (await db.select().from(members).where(eq(members.name, '郭强')))[0];
    expect(guo?.roles).toEqual(['支委委员', '党员']);
    const guoIds = (
      await db
        .select()
        .from(identities)
        .where(eq(identities.memberId, guo?.id ?? ''))
    ).map((i) => i.externalId);
    expect(guoIds.sort()).toEqual(['dt-gq', 'guoqiang']);
  });

  it("takes a 班子成员's 联系点, keeps them when the column is absent, and refuses them for others", async () => {
    const withContacts = [
      [...HEADER, '联系点'],
      ...GOOD.slice(1).map((r) => [...r, r[2] === '马文' ? '第一中学、第二中学' : '']),
    ];
    expect((await importRoster(db, withContacts, 1000, 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
    expect((await importRoster(db, GOOD, 2000, 'test', ACCOUNT_COLUMNS)).ok).toBe(true); // no 联系点 column: kept
    expect((await exportRoster(db, ACCOUNT_COLUMNS)).find((r) => r[2] === '马文')?.[7]).toBe('第一中学、第二中学');
    const wrong = withContacts.map((r) => (r[2] === '杨光' ? [...r.slice(0, 7), '第三中学'] : r));
    expect(await importRoster(db, wrong, 3000, 'test', ACCOUNT_COLUMNS)).toEqual({
      ok: false,
      errors: [{ row: 3, column: '联系点', message: expect.stringContaining('只有班子成员有联系点') }],
    });
  });

  it("takes a party member's 党小组, keeps it when the column is absent, clears an emptied cell, and refuses one for a non-member", async () => {
    const groupOf = async (name: string) => (await db.select().from(members)).find((m) => m.name === name)?.partyGroup;
    const withGroups = (group: (name: string) => string) => [
      [...HEADER, '党小组'],
      ...GOOD.slice(1).map((r) => [...r, group(r[2] ?? '')]),
    ];
    const divided = withGroups((name) => ({ 何芳: '第一党小组', 郭强: ' 第二 党小组' })[name] ?? '');
    expect((await importRoster(db, divided, 1000, 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
    expect([await groupOf('何芳'), await groupOf('郭强'), await groupOf('马文')]).toEqual([
      '第一党小组',
      '第二党小组',
      null,
    ]);
    expect(await importRoster(db, GOOD, 2000, 'test', ACCOUNT_COLUMNS)).toMatchObject({
      summary: { membersUnchanged: 4 },
    });
    expect(await groupOf('郭强')).toBe('第二党小组');
    const cleared = withGroups((name) => (name === '何芳' ? '第一党小组' : ''));
    expect((await importRoster(db, cleared, 3000, 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
    expect([await groupOf('何芳'), await groupOf('郭强')]).toEqual(['第一党小组', null]);
    const teacher = withGroups((name) => (name === '马文' ? '第一党小组' : ''));
    expect(await importRoster(db, teacher, 4000, 'test', ACCOUNT_COLUMNS)).toEqual({
      ok: false,
      errors: [{ row: 2, column: '党小组', message: expect.stringContaining('只有党员编入党小组') }],
    });
  });

  it('takes 党小组长 (组长 next to a 党小组) as a role, and refuses a 组长 whose row names no 党小组', async () => {
    const table = (cells: Record<string, [string, string]>) => [
      [...HEADER, '党小组'],
      ...GOOD.slice(1).map((r) => {
        const [roles, group] = cells[r[2] ?? ''] ?? [r[3] ?? '', ''];
        return [...r.slice(0, 3), roles, ...r.slice(4), group];
      }),
    ];
    const led = table({ 郭强: ['组长、党员', '第一党小组'], 何芳: ['书记、党员', '第一党小组'] });
    expect((await importRoster(db, led, 1000, 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
    const guo = (await db.select().from(members)).find((m) => m.name === '郭强');
    expect([guo?.roles, guo?.partyGroup]).toEqual([['党小组长', '党员'], '第一党小组']);
    const exported = await exportRoster(db, ACCOUNT_COLUMNS);
    expect(exported.find((r) => r[2] === '郭强')?.[3]).toBe('党小组长、党员');

    const ungrouped = table({ 郭强: ['党员、组长', ''], 何芳: ['书记、党员', '第一党小组'] });
    expect(await importRoster(db, ungrouped, 2000, 'test', ACCOUNT_COLUMNS)).toEqual({
      ok: false,
      errors: [{ row: 5, column: '党小组', message: '党小组长要写明所在的党小组（在“党小组”列填写，如 第一党小组）' }],
    });
    expect(
      await importRoster(
        db,
        GOOD.map((r, i) => (i === 4 ? [...r.slice(0, 3), '组长', ...r.slice(4)] : r)),
        3000,
        'test',
        ACCOUNT_COLUMNS,
      ),
    ).toMatchObject({
      errors: [{ row: 5, column: '党小组', message: expect.stringContaining('党小组长要写明所在的党小组') }],
    });
    const unknown = await importRoster(db, table({ 郭强: ['校长', ''] }), 4000, 'test', ACCOUNT_COLUMNS);
    expect(unknown).toMatchObject({ errors: [{ message: expect.stringContaining('支委委员、党小组长、班子成员') }] });
  });

  it('keeps the 党小组 through an .xlsx exported by `npm run roster` and imported again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-groups-'));
    const env = { ZHIBU_DB: join(dir, 'groups.db') };
    const source = join(dir, 'in.xlsx');
    await writeXlsx(source, '名册', [
      [...HEADER, '党小组'],
      ...GOOD.slice(1).map((r) => [...r, r[2] === '何芳' ? '第一党小组' : '']),
    ]);
    expect((await runMain(rosterCli, ['import', source], { env })).code).toBe(0);
    const out = join(dir, 'out.xlsx');
    expect((await runMain(rosterCli, ['export', out], { env })).code).toBe(0);
    const table = await readTable(out);
    const column = table[0]?.indexOf('党小组') ?? -1;
    expect(table.find((r) => r[2] === '何芳')?.[column]).toBe('第一党小组');
    const again = await runMain(rosterCli, ['import', out], { env });
    expect(again.stdout).toContain('未变 4 人');
  });

  it('exports in the import format, so export → import is a round trip', async () => {
    await importRoster(db, GOOD, 1000, 'test', ACCOUNT_COLUMNS);
    const table = await exportRoster(db, ACCOUNT_COLUMNS);
    expect(table[0]).toEqual([...HEADER, '联系点', '党小组', '任期届满']);
    expect(table).toContainEqual([
      '固原市教育工委/第一中学党委/高一党支部',
      '第一中学',
      '何芳',
      '书记、党员',
      'hefang',
      '',
      '13912345757',
      '',
      '',
      '',
    ]);
    const again = await importRoster(db, table, 2000, 'test', ACCOUNT_COLUMNS);
    expect(again).toMatchObject({ ok: true, summary: { membersUnchanged: 4, membersUpdated: 0 } });
  });
});

describe('roster files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-roster-'));

  it('reads .xlsx, keeping phone numbers as the digits a person sees', async () => {
    const file = join(dir, 'roster.xlsx');
    await writeXlsx(file, '名册', GOOD);
    expect(await readTable(file)).toEqual(GOOD.map((r) => r.map((c) => c)));
  });

  it('reads a CSV saved by Excel in GBK, and one with quoted commas', async () => {
    const gbk = join(dir, 'gbk.csv');
    const bytes = Buffer.from(
      new Uint8Array([
        0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xbd, 0xc7, 0xc9, 0xab, 0x0d, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0xb5, 0xb3,
        0xd4, 0xb1,
      ]),
    );
    writeFileSync(gbk, bytes); // "姓名,角色\r\n张三,党员" in GBK
    expect(await readTable(gbk)).toEqual([
      ['姓名', '角色'],
      ['张三', '党员'],
    ]);
    const quoted = join(dir, 'quoted.csv');
    writeFileSync(
      quoted,
      toCsv([
        ['姓名', '角色'],
        ['张三', '书记,党员'],
      ]),
    );
    expect(await readTable(quoted)).toEqual([
      ['姓名', '角色'],
      ['张三', '书记,党员'],
    ]);
  });

  it('exports formula-looking cells so that a spreadsheet shows them as text, and reads them back unchanged', async () => {
    const formulas = ['=HYPERLINK("http://e.x","点我")', "=cmd|' /C calc'!A0", '+SUM(1,2)', '-2+3', '@A1'];
    const table = [HEADER, ...formulas.map((name) => ['固原市教育工委', '', name, '党员', '', '', ''])];
    expect((await importRoster(db, table, 1000, 'test', ACCOUNT_COLUMNS)).ok).toBe(true);
    const file = join(dir, 'formulas.csv');
    writeFileSync(file, toCsv(await exportRoster(db, ACCOUNT_COLUMNS)));
    // What a spreadsheet program reads: no cell may start a formula.
    const cells = parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')).flat() as string[];
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    const back = await readTable(file);
    expect(
      back
        .slice(1)
        .map((r) => r[2])
        .sort(),
    ).toEqual([...formulas].sort());
    expect(await importRoster(db, back, 2000, 'test', ACCOUNT_COLUMNS)).toMatchObject({
      ok: true,
      summary: { membersUnchanged: 5 },
    });
  });

  it('the CLI lists every bad row and exits non-zero; a good file then imports', async () => {
    const env = { ZHIBU_DB: join(dir, 'cli.db') };
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, toCsv([HEADER, ['固原市教育工委', '', '马文', '队长', '', '', '']]));
    const failed = await runMain(rosterCli, ['import', bad], { env });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('第 2 行，角色：不认识“队长”');
    const good = join(dir, 'good.csv');
    writeFileSync(good, toCsv(GOOD));
    const ok = await runMain(rosterCli, ['import', good], { env });
    expect(ok.stdout).toContain('新增成员 4 人');
    const out = join(dir, 'out.csv');
    expect((await runMain(rosterCli, ['export', out], { env })).stdout).toBe(`已导出 4 名成员到 ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('何芳,书记、党员,hefang');
  });
});

describe('removing the demo', () => {
  it('takes out the demo people, organisations, groups and records, but keeps a person a real roster took over', async () => {
    await seedDemo(db, 1000, ACCOUNT_COLUMNS);
    const [wang] = await db.select().from(members).where(eq(members.name, '王建国'));
    await db.insert(dutyRecords).values({
      id: 'd1',
      dutyId: 'ideology',
      period: '2026-11',
      memberId: wang?.id ?? '',
      doneOn: '2026-11-20',
      values: {},
      recordedBy: wang?.id ?? '',
      recordedAt: 1500,
    });
    await db.insert(simMessages).values({
      chatKind: 'group',
      chatId: 'sim-lanling',
      authorId: wang?.id ?? '',
      authorName: '王建国',
      payload: { type: 'text', text: '签到' },
      at: 1500,
    });
    // The real district's roster names zhouhong as well: that person is real from now on.
    const real = await importRoster(
      db,
      [HEADER, ['天宁区教育工委', '', '周红', '党员', 'zhouhong', '', '']],
      2000,
      'x',
      ACCOUNT_COLUMNS,
    );
    expect(real.ok).toBe(true);
    expect(await demoMembers(db)).toHaveLength(8);

    expect(await removeDemo(db, 3000, 'test')).toEqual({ members: 8, orgs: 2, chats: 3 });
    const { orgs, members: people, ids } = await rowsOf();
    expect(people.map((m) => [m.name, m.roles])).toEqual([['周红', ['党员']]]);
    expect(orgs.map((o) => o.path)).toEqual(['天宁区教育工委']);
    expect(ids.map((i) => i.externalId)).toEqual(['zhouhong']);
    expect(await db.select().from(chats)).toEqual([]);
    expect(await db.select().from(dutyRecords)).toEqual([]);
    expect(await db.select().from(simMessages)).toEqual([]);
    expect(await demoMembers(db)).toEqual([]);
    expect(await removeDemo(db, 4000, 'test')).toEqual({ members: 0, orgs: 0, chats: 0 });
  });
});

describe('importing a district roster while the bot serves', () => {
  it('answers a WeCom callback before the import of 20,000 members ends, and the import lands whole', async () => {
    const h = await wecomHarness();
    try {
      const table = [['组织', '学校', '姓名', '角色', '企业微信账号']];
      for (let i = 0; i < 20_000; i++) table.push([`学区工委/第${i}支部`, `学校${i}`, `书记${i}`, '书记', `sec${i}`]);
      let imported = false;
      const importing = importRoster(h.db, table, 1000, 'test', ACCOUNT_COLUMNS).finally(() => {
        imported = true;
      });
      const res = await h.client.post(
        textMessageXml({
          corpId: CORP_ID,
          from: 'zhangwei',
          content: '帮助',
          msgId: '4561255354251345929',
          agentId: AGENT_ID,
        }),
      );
      // WeCom heard back while the import was still going: it does not re-send, the bot is not down.
      expect(res.status).toBe(200);
      expect(imported).toBe(false);
      expect(await importing).toMatchObject({ ok: true, summary: { membersCreated: 20_000 } });
      await h.settle();
      expect(h.api.inbox('zhangwei')).toHaveLength(1);
      const [count] = await h.db
        .select({ n: sql<number>`count(*)` })
        .from(identities)
        .where(like(identities.externalId, 'sec%'));
      expect(count?.n).toBe(20_000);
    } finally {
      await h.close();
    }
  });
});

describe('imports at the same time', () => {
  it('imports a roster submitted twice at once (a double click) once, and both succeed', async () => {
    const district = [['组织', '学校', '姓名', '角色', '企业微信账号']];
    for (let i = 0; i < 3_000; i++) district.push([`学区工委/第${i}支部`, '', `书记${i}`, '书记', `sec${i}`]);
    const [first, second] = await Promise.all([
      importRoster(db, district, 1000, 'console', ACCOUNT_COLUMNS),
      importRoster(db, district, 1000, 'console', ACCOUNT_COLUMNS),
    ]);
    expect(first).toMatchObject({ ok: true, summary: { membersCreated: 3_000 } });
    expect(second).toMatchObject({ ok: true, summary: { membersCreated: 0, membersUnchanged: 3_000 } });
    expect(await db.select().from(members)).toHaveLength(3_000);
  });

  it('refuses the import whose plan another wrote under, clearly, and writes none of it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhibu-roster-')), 'zhibu.db');
    const server = openSqlite(file);
    const cli = openSqlite(file);
    try {
      const header = ['组织', '学校', '姓名', '角色', '企业微信账号'];
      const district = [header];
      for (let i = 0; i < 5_000; i++) district.push([`学区工委/第${i}支部`, '', `书记${i}`, '书记', `sec${i}`]);
      const large = importRoster(server.db, district, 1000, 'console', ACCOUNT_COLUMNS);
      // `npm run roster` imports one branch of the same district while the console's import is planned.
      const small = await importRoster(
        cli.db,
        [header, ['学区工委/第7支部', '', '书记7', '书记', 'sec7']],
        1500,
        'cli',
        ACCOUNT_COLUMNS,
      );
      expect(small.ok).toBe(true);
      expect(await large).toEqual({
        ok: false,
        errors: [{ row: 1, column: '-', message: expect.stringContaining('请重新导入') }],
      });
      expect((await server.db.select().from(members)).map((m) => m.name)).toEqual(['书记7']);
      // Imported again, it plans on what is there now.
      expect(await importRoster(server.db, district, 2000, 'console', ACCOUNT_COLUMNS)).toMatchObject({
        ok: true,
        summary: { membersCreated: 4_999, membersUnchanged: 1 },
      });
    } finally {
      cli.close();
      server.close();
    }
  });
});
