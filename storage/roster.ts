// The roster: a table (from .csv or .xlsx) of members with their organisation path, roles and
// platform accounts (a column for each platform whose people have accounts: its adapter brings
// it). Import is all-or-nothing: every bad row is reported, and nothing is written unless every
// row is good. Re-importing the same table changes nothing.
import { getTableColumns, gt, type SQL, sql, type Table } from 'drizzle-orm';
import { type AuditEntry, auditInserts } from './audit';
import { type AppDb, atomic, jsonSlices, newId, rowsAsSelects, type WriteQuery } from './db';
import { writeValue } from './kv';
import { orgKindOf, schoolOf } from './orgs';
import { identities, members, organisations, PARTY_ROLES, ROLES, type Role } from './schema';
import { yieldToEventLoop } from './yield';

/** The kv key of the roster's version: a new value with every import that changes something. */
export const ROSTER_VERSION = 'roster-version';

export const COLUMNS = {
  org: { header: '组织', aliases: ['组织路径', '所在组织', 'org'] },
  school: { header: '学校', aliases: ['school'] },
  name: { header: '姓名', aliases: ['name'] },
  roles: { header: '角色', aliases: ['身份', 'roles'] },
  mobile: { header: '手机号', aliases: ['手机', '手机号码', 'mobile'] },
  contacts: { header: '联系点', aliases: ['联络点', '联系学校', '联系支部', 'contacts'] },
  partyGroup: { header: '党小组', aliases: ['所在党小组', '党小组名称', 'partygroup'] },
  termEnds: { header: '任期届满', aliases: ['任期届满时间', '届满时间', '换届时间', 'termends'] },
} as const;
type Column = keyof typeof COLUMNS;

/** A platform's column of account ids (its adapter brings it): how the roster names it and checks an id. */
export interface AccountColumn {
  platform: string;
  header: string;
  aliases: readonly string[];
  pattern: RegExp;
  /** What a good id is, for the message about a bad one. */
  what: string;
}

const REQUIRED: Column[] = ['org', 'name', 'roles'];

/** Other words a table uses for a role: 组长 sits next to a 党小组, so it is that group's leader. */
const ROLE_ALIASES: Readonly<Record<string, Role>> = { 组长: '党小组长', 党小组组长: '党小组长' };

export interface RowError {
  /** The row's number as a spreadsheet shows it (the header is row 1). */
  row: number;
  column: string;
  message: string;
}

interface RosterRow {
  row: number;
  path: string[];
  school: string | null;
  name: string;
  roles: Role[];
  /** By platform; undefined: the column is absent, leave as is; null: the cell is empty, remove. */
  accounts: Map<string, string | null | undefined>;
  mobile: string | null | undefined;
  /** undefined: the table has no 联系点 column, so the stored ones stay. */
  contacts: string[] | undefined;
  /** undefined: the table has no 党小组 column, so the stored one stays; null: the cell is empty, remove. */
  partyGroup: string | null | undefined;
  /** The month the member's organisation's term ends (YYYY-MM); null or undefined: not given here. */
  termEnds: string | null | undefined;
}

export interface ImportSummary {
  orgsCreated: number;
  membersCreated: number;
  membersUpdated: number;
  membersUnchanged: number;
}

export type ImportResult = { ok: true; summary: ImportSummary } | { ok: false; errors: RowError[] };

const MOBILE = /^1[3-9]\d{9}$/;
const clean = (s: string | undefined) => (s ?? '').normalize('NFKC').trim();

/** Where each column stands in the header (an account column under its platform's id). */
function headerIndex(
  header: string[],
  accounts: readonly AccountColumn[],
): { index: Partial<Record<Column, number>>; accountIndex: Map<string, number>; errors: RowError[] } {
  const norm = header.map((h) => clean(h).replace(/\s+/g, '').toLowerCase());
  const at = (def: { header: string; aliases: readonly string[] }) => {
    const names = [def.header, ...def.aliases].map((n) => n.toLowerCase());
    return norm.findIndex((h) => names.includes(h));
  };
  const index: Partial<Record<Column, number>> = {};
  for (const [col, def] of Object.entries(COLUMNS) as [Column, (typeof COLUMNS)[Column]][]) {
    if (at(def) >= 0) index[col] = at(def);
  }
  const accountIndex = new Map(accounts.filter((a) => at(a) >= 0).map((a) => [a.platform, at(a)]));
  const errors = REQUIRED.filter((c) => index[c] === undefined).map((c) => ({
    row: 1,
    column: COLUMNS[c].header,
    message: `表头缺少“${COLUMNS[c].header}”列`,
  }));
  return { index, accountIndex, errors };
}

/** Reads and checks every row on its own; the table's first row is the header. */
async function parseRoster(
  table: string[][],
  accounts: readonly AccountColumn[],
): Promise<{ rows: RosterRow[]; errors: RowError[] }> {
  const [header, ...body] = table;
  if (!header) return { rows: [], errors: [{ row: 1, column: '-', message: '文件是空的' }] };
  const { index, accountIndex, errors } = headerIndex(header, accounts);
  if (errors.length > 0) return { rows: [], errors };

  const rows: RosterRow[] = [];
  const seen = new Map<string, number>();
  const firstRowOf = (key: string, row: number) => {
    const before = seen.get(key);
    if (before === undefined) seen.set(key, row);
    return before;
  };
  for (const [i, cells] of body.entries()) {
    if (i % ROWS_BETWEEN_TURNS === ROWS_BETWEEN_TURNS - 1) await yieldToEventLoop();
    const row = i + 2;
    const cell = (c: Column) => (index[c] === undefined ? undefined : clean(cells[index[c]]));
    if (cells.every((c) => clean(c) === '')) continue;
    const problems: RowError[] = [];
    const bad = (c: Column, message: string) => problems.push({ row, column: COLUMNS[c].header, message });

    const path = (cell('org') ?? '').split(/\s*[/／>›]\s*/).filter(Boolean);
    if (path.length === 0) bad('org', '不能为空');
    if (path.some((p) => [...p].length > 50)) bad('org', '每级组织名称最多 50 个字');
    // Tables pad two-character names to three (“丁  方”); a Chinese name has no spaces.
    const rawName = cell('name') ?? '';
    const name = /^[\p{Script=Han}·\s]+$/u.test(rawName) ? rawName.replace(/\s+/g, '') : rawName;
    if (!name) bad('name', '不能为空');
    else if ([...name].length > 30) bad('name', '最多 30 个字');

    const roleWords = (cell('roles') ?? '')
      .split(/[、,，;；/\s]+/)
      .filter(Boolean)
      .map((r) => ROLE_ALIASES[r] ?? r);
    const unknown = roleWords.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (roleWords.length === 0) bad('roles', `不能为空（可填：${ROLES.join('、')}）`);
    else if (unknown.length > 0) bad('roles', `不认识“${unknown.join('、')}”（可填：${ROLES.join('、')}）`);

    /** An id in a column that may be absent (undefined) or empty (null); unique down the column. */
    const optionalId = (
      column: { key: string; header: string; at: number | undefined },
      pattern: RegExp,
      what: string,
      tidy = (v: string) => v,
    ) => {
      const raw = column.at === undefined ? undefined : clean(cells[column.at]);
      const v = raw === undefined ? undefined : tidy(raw);
      if (v === undefined) return undefined;
      if (v === '') return null;
      const problem = (message: string) => problems.push({ row, column: column.header, message });
      if (!pattern.test(v)) problem(`“${v}”不是有效的${what}`);
      const dup = firstRowOf(`${column.key}:${v}`, row);
      if (dup !== undefined) problem(`“${v}”与第 ${dup} 行重复`);
      return v;
    };
    const accountIds = new Map(
      accounts.map((a) => [
        a.platform,
        optionalId({ key: a.platform, header: a.header, at: accountIndex.get(a.platform) }, a.pattern, a.what),
      ]),
    );
    const mobile = optionalId(
      { key: 'mobile', header: COLUMNS.mobile.header, at: index.mobile },
      MOBILE,
      '手机号（11 位）',
      (v) => v.replace(/[\s-]/g, ''),
    );
    const school = cell('school') || null;
    const contactCell = cell('contacts');
    const contacts = contactCell === undefined ? undefined : contactCell.split(/[、,，;；\s]+/).filter(Boolean);
    const termCell = cell('termEnds');
    const term = termCell?.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/);
    const termEnds =
      term && Number(term[2]) >= 1 && Number(term[2]) <= 12 ? `${term[1]}-${(term[2] ?? '').padStart(2, '0')}` : null;
    if (termCell && !termEnds) bad('termEnds', `“${termCell}”看不懂，请写成 2027-06 的样子`);
    if (contacts && contacts.length > 0 && !roleWords.includes('班子成员'))
      bad('contacts', '只有班子成员有联系点（请在“角色”中加上“班子成员”，或清空这一格）');
    const groupCell = cell('partyGroup');
    const partyGroup = groupCell === undefined ? undefined : groupCell.replace(/\s+/g, '') || null;
    if (partyGroup && [...partyGroup].length > 30) bad('partyGroup', '最多 30 个字');
    if (partyGroup && !roleWords.some((r) => (PARTY_ROLES as readonly string[]).includes(r)))
      bad('partyGroup', `只有党员编入党小组（“角色”里要有${PARTY_ROLES.join('、')}之一，或清空这一格）`);
    if (!partyGroup && roleWords.includes('党小组长'))
      bad('partyGroup', '党小组长要写明所在的党小组（在“党小组”列填写，如 第一党小组）');

    if (name && path.length > 0) {
      const dup = firstRowOf(`member:${path.join('/')}:${name}`, row);
      if (dup !== undefined) bad('name', `同一组织中“${name}”与第 ${dup} 行重复`);
    }
    if (problems.length > 0) {
      errors.push(...problems);
      continue;
    }
    rows.push({
      row,
      path,
      school,
      name,
      roles: [...new Set(roleWords)] as Role[],
      accounts: accountIds,
      mobile,
      contacts: contacts === undefined ? undefined : [...new Set(contacts)],
      partyGroup,
      termEnds: termCell === undefined ? undefined : termEnds,
    });
  }
  return { rows, errors };
}

type OrgRow = typeof organisations.$inferSelect;
type MemberRow = typeof members.$inferSelect;

/** The imports through a database handle, one after another: each plans on what the one before wrote. */
const importing = new WeakMap<AppDb, Promise<unknown>>();

/**
 * Imports a table as a whole: every bad row is reported and then nothing is written. A dry run
 * checks everything the import would (accounts held by others, organisations' fields) and says
 * what it would change, writing nothing.
 */
export function importRoster(
  db: AppDb,
  table: string[][],
  now: number,
  actor: string,
  accountColumns: readonly AccountColumn[],
  opts: { dryRun?: boolean } = {},
): Promise<ImportResult> {
  const run = (importing.get(db) ?? Promise.resolve()).then(() =>
    importAfterOthers(db, table, now, actor, accountColumns, opts),
  );
  importing.set(
    db,
    run.catch(() => {}),
  );
  return run;
}

async function importAfterOthers(
  db: AppDb,
  table: string[][],
  now: number,
  actor: string,
  accountColumns: readonly AccountColumn[],
  opts: { dryRun?: boolean },
): Promise<ImportResult> {
  const parsed = await parseRoster(table, accountColumns);
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors };

  const orgs = new Map(
    (
      await inPages(
        (after) =>
          db.select().from(organisations).where(gt(organisations.id, after)).orderBy(organisations.id).limit(READ_PAGE),
        (o) => o.id,
      )
    ).map((o) => [o.path, o]),
  );
  const allMembers = await inPages(
    (after) => db.select().from(members).where(gt(members.id, after)).orderBy(members.id).limit(READ_PAGE),
    (m) => m.id,
  );
  const byId = new Map(allMembers.map((m) => [m.id, m]));
  // An account's key is its platform and id: a page goes on after the last one's, in that order.
  const accounts = await inPages(
    (after) => {
      const [platform = '', externalId = ''] = after.split('\n');
      return db
        .select()
        .from(identities)
        .where(sql`(${identities.platform}, ${identities.externalId}) > (${platform}, ${externalId})`)
        .orderBy(identities.platform, identities.externalId)
        .limit(READ_PAGE);
    },
    (a) => `${a.platform}\n${a.externalId}`,
  );
  const accountOwner = new Map(accounts.map((a) => [`${a.platform}:${a.externalId}`, a.memberId]));
  const accountOf = new Map(accounts.map((a) => [`${a.memberId}:${a.platform}`, a.externalId]));
  const byMobile = groupBy(allMembers, (m) => m.mobile ?? '');
  const byOrgAndName = groupBy(allMembers, (m) => `${m.orgId}:${m.name}`);

  const errors: RowError[] = [];
  // Rows are written many to a statement, carried as JSON (db.ts#rowsAsSelects): a roster of
  // 50,000 is a few hundred statements, built in milliseconds.
  const newOrgs = new Set<OrgRow>();
  const changedOrgs = new Set<OrgRow>();
  const newOrChangedMembers: MemberRow[] = [];
  const goneAccounts: [platform: string, externalId: string][] = [];
  const newAccounts: (typeof identities.$inferInsert)[] = [];
  const entries: AuditEntry[] = [];
  const summary: ImportSummary = { orgsCreated: 0, membersCreated: 0, membersUpdated: 0, membersUnchanged: 0 };
  const claimedBy = new Map<string, number>();

  const setBy = new Map<string, { value: string; row: number }>();
  /**
   * A row's 学校 or 任期届满 is its own organisation's: rows of one organisation must agree, and a
   * value that differs from the stored one updates it.
   */
  const setOrgField = (org: OrgRow, field: 'school' | 'termEnds', value: string | null | undefined, row: number) => {
    if (!value) return;
    const earlier = setBy.get(`${field}:${org.path}`);
    if (earlier && earlier.value !== value) {
      errors.push({ row, column: COLUMNS[field].header, message: `与第 ${earlier.row} 行的“${earlier.value}”不一致` });
      return;
    }
    setBy.set(`${field}:${org.path}`, { value, row });
    if (org[field] !== value) {
      org[field] = value;
      if (!newOrgs.has(org)) changedOrgs.add(org);
    }
  };

  const ensureOrg = (path: string[], school: string | null, row: number): OrgRow => {
    let parent: OrgRow | undefined;
    for (let depth = 1; depth <= path.length; depth++) {
      const key = path.slice(0, depth).join('/');
      let org = orgs.get(key);
      if (!org) {
        const name = path[depth - 1] as string;
        org = {
          id: newId('o'),
          name,
          path: key,
          kind: orgKindOf(name),
          parentId: parent?.id ?? null,
          school: schoolOf(name),
          termEnds: null,
          createdAt: now,
        };
        orgs.set(key, org);
        newOrgs.add(org);
        summary.orgsCreated++;
      }
      parent = org;
    }
    const org = parent as OrgRow;
    setOrgField(org, 'school', school, row);
    return org;
  };

  for (const [i, r] of parsed.rows.entries()) {
    if (i % ROWS_BETWEEN_TURNS === ROWS_BETWEEN_TURNS - 1) await yieldToEventLoop();
    const org = ensureOrg(r.path, r.school, r.row);
    setOrgField(org, 'termEnds', r.termEnds, r.row);
    // The same person is recognised by an account first, so that a move to another branch or a
    // corrected name updates them instead of adding someone new.
    const candidates = new Set<string>();
    for (const [platform, id] of r.accounts) {
      const owner = id ? accountOwner.get(`${platform}:${id}`) : undefined;
      if (owner) candidates.add(owner);
    }
    if (candidates.size === 0 && r.mobile) {
      for (const m of byMobile.get(r.mobile) ?? []) candidates.add(m.id);
    }
    if (candidates.size === 0) {
      for (const m of byOrgAndName.get(`${org.id}:${r.name}`) ?? []) candidates.add(m.id);
    }
    if (candidates.size > 1) {
      const names = [...candidates].map((id) => byId.get(id)?.name ?? id).join('、');
      errors.push({ row: r.row, column: COLUMNS.name.header, message: `账号分属名册中的不同人员（${names}）` });
      continue;
    }
    const existing: MemberRow | undefined = byId.get([...candidates][0] ?? '');
    if (existing) {
      const earlier = claimedBy.get(existing.id);
      if (earlier !== undefined) {
        errors.push({ row: r.row, column: COLUMNS.name.header, message: `与第 ${earlier} 行是名册中的同一人` });
        continue;
      }
      claimedBy.set(existing.id, r.row);
    }

    const id = existing?.id ?? newId('m');
    const mobile = r.mobile === undefined ? (existing?.mobile ?? null) : r.mobile;
    const contacts = r.contacts ?? existing?.contacts ?? [];
    const partyGroup = r.partyGroup === undefined ? (existing?.partyGroup ?? null) : r.partyGroup;
    const fields = { name: r.name, orgId: org.id, roles: r.roles, mobile, contacts, partyGroup };
    let changed = false;
    if (!existing) {
      newOrChangedMembers.push({ id, ...fields, createdAt: now, updatedAt: now });
      summary.membersCreated++;
      changed = true;
    } else if (
      existing.name !== fields.name ||
      existing.orgId !== fields.orgId ||
      existing.mobile !== fields.mobile ||
      existing.partyGroup !== fields.partyGroup ||
      existing.roles.join() !== fields.roles.join() ||
      existing.contacts.join() !== fields.contacts.join()
    ) {
      newOrChangedMembers.push({ ...existing, ...fields, updatedAt: now });
      changed = true;
    }
    for (const [platform, wanted] of r.accounts) {
      if (wanted === undefined) continue;
      const current = accountOf.get(`${id}:${platform}`) ?? null;
      if (current === wanted) continue;
      if (current) goneAccounts.push([platform, current]);
      if (wanted) newAccounts.push({ platform, externalId: wanted, memberId: id });
      changed = true;
    }
    if (existing && changed) summary.membersUpdated++;
    if (existing && !changed) summary.membersUnchanged++;
    if (changed) {
      entries.push({
        actor,
        action: existing ? 'member.update' : 'member.create',
        subject: id,
        detail: { row: r.row, ...fields, ...Object.fromEntries(r.accounts) },
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.row - b.row) };
  if (opts.dryRun) return { ok: true, summary };
  const writes: WriteQuery[] = [];
  // The statements of a table at a time (tens of milliseconds each: the rows go into JSON), a turn between.
  for (const statements of [
    () =>
      jsonSlices([...changedOrgs].map((o) => [o.id, o.school, o.termEnds])).map((json) =>
        db
          .update(organisations)
          .set({ school: sql`json_extract(value, '$[1]')`, termEnds: sql`json_extract(value, '$[2]')` })
          .from(sql`json_each(${json})`)
          .where(sql`${organisations.id} = json_extract(value, '$[0]')`),
      ),
    // A new organisation as it stands at the end (its 学校 and 任期届满 set by its rows).
    () => rowsAsSelects(organisations, [...newOrgs]).map((rows) => db.insert(organisations).select(rows)),
    () =>
      rowsAsSelects(members, newOrChangedMembers).map((rows) =>
        db
          .insert(members)
          .select(rows)
          .onConflictDoUpdate({
            target: members.id,
            set: excluded(members, ['name', 'orgId', 'roles', 'mobile', 'contacts', 'partyGroup', 'updatedAt']),
          }),
      ),
    () =>
      jsonSlices(goneAccounts).map((json) =>
        db
          .delete(identities)
          .where(
            sql`(${identities.platform}, ${identities.externalId}) in (select json_extract(value, '$[0]'), json_extract(value, '$[1]') from json_each(${json}))`,
          ),
      ),
    // After every removed account: a new row may take an account another row gave up.
    () => rowsAsSelects(identities, newAccounts).map((rows) => db.insert(identities).select(rows)),
    () => auditInserts(db, now, entries),
  ]) {
    writes.push(...statements());
    await yieldToEventLoop();
  }
  // Who is reminded may have changed: the reminder job looks at every unit of work again.
  if (writes.length > 0) writes.push(writeValue(db, ROSTER_VERSION, newId('r')));
  try {
    await atomic(db, writes);
  } catch (err) {
    // Another process (`npm run roster`, a second Worker) wrote the roster while this one planned
    // on what it had read: an organisation or an account it meant to add is there now.
    if (!isConstraintViolation(err)) throw err;
    return { ok: false, errors: [{ row: 1, column: '-', message: CHANGED_MEANWHILE }] };
  }
  return { ok: true, summary };
}

/**
 * Rows read or planned between two turns of the event loop (tens of milliseconds), so that the
 * server answers callbacks meanwhile: a roster of 50,000 took seconds. Nothing is written until
 * every row is planned, and then in one transaction.
 */
const ROWS_BETWEEN_TURNS = 1000;

const CHANGED_MEANWHILE = '导入期间名册在别处被改动了（例如同时运行了另一次导入），这次没有做任何改动，请重新导入';

/** SQLite's and D1's word for a write a unique key refused (drizzle wraps the driver's error). */
function isConstraintViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (/constraint failed/i.test(e.message)) return true;
  }
  return false;
}

/** Rows a read takes at a time: a read of 50,000 members in one was 0.3 s of mapping rows. */
const READ_PAGE = 2000;

/** Every row a keyed read gives, a page at a time in key order with a turn of the event loop between. */
async function inPages<T>(page: (after: string) => Promise<T[]>, key: (row: T) => string): Promise<T[]> {
  const out: T[] = [];
  for (let after = ''; ; ) {
    const rows = await page(after);
    out.push(...rows);
    const last = rows.at(-1);
    if (rows.length < READ_PAGE || !last) return out;
    after = key(last);
    await yieldToEventLoop();
  }
}

/** An upsert's SET of these columns to the values the insert brought (the rest stay: created_at). */
function excluded<T extends Table>(table: T, keys: (keyof T['_']['columns'] & string)[]): Record<string, SQL> {
  const columns = getTableColumns(table);
  return Object.fromEntries(keys.map((k) => [k, sql.raw(`excluded."${columns[k]?.name}"`)]));
}

/** The items by a key of theirs. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const group = out.get(k);
    if (group) group.push(t);
    else out.set(k, [t]);
  }
  return out;
}

/** The roster as a table in the import format: export, edit, import is a round trip. */
export async function exportRoster(db: AppDb, accountColumns: readonly AccountColumn[]): Promise<string[][]> {
  const orgs = new Map((await db.select().from(organisations)).map((o) => [o.id, o]));
  const accounts = await db.select().from(identities);
  const accountOf = new Map(accounts.map((a) => [`${a.memberId}:${a.platform}`, a.externalId]));
  const rows = (await db.select().from(members)).map((m) => {
    const org = orgs.get(m.orgId);
    return [
      org?.path ?? '',
      org?.school ?? '',
      m.name,
      m.roles.join('、'),
      ...accountColumns.map((c) => accountOf.get(`${m.id}:${c.platform}`) ?? ''),
      m.mobile ?? '',
      m.contacts.join('、'),
      m.partyGroup ?? '',
      org?.termEnds ?? '',
    ];
  });
  rows.sort(
    (a, b) =>
      (a[0] as string).localeCompare(b[0] as string, 'zh') || (a[2] as string).localeCompare(b[2] as string, 'zh'),
  );
  const { org, school, name, roles, mobile, contacts, partyGroup, termEnds } = COLUMNS;
  const header = [org, school, name, roles, ...accountColumns, mobile, contacts, partyGroup, termEnds].map(
    (c) => c.header,
  );
  return [header, ...rows];
}
