// The SQL text the operator commands send to a remote D1 (wrangler d1 execute takes no bound
// parameters, so values are written in as literals): run on SQLite, it must do what the bound
// statements do, whatever the values hold (quotes, question marks, semicolons, comment marks).

import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqlTextDb } from '../bot/cli/d1';
import { ACCOUNT_COLUMNS } from '../bot/platforms';
import { indexDocument } from '../handlers/qa/ingest';
import type { AppDb } from '../storage/db';
import { DEMO_ROSTER } from '../storage/demo';
import { documentBySource, passagesContaining, putDocument } from '../storage/kb';
import { exportRoster, importRoster } from '../storage/roster';
import { openSqlite } from '../storage/sqlite';

const opened: (() => void)[] = [];
afterEach(() => {
  for (const close of opened.splice(0)) close();
});

/** A migrated in-memory SQLite, and a handle on it that speaks only SQL text, as the remote D1 path does. */
function sqliteBehindText(): { bound: AppDb; text: AppDb } {
  const { db: bound, close } = openSqlite(':memory:');
  opened.push(close);
  const raw = (bound as unknown as { $client: Database.Database }).$client;
  const text = sqlTextDb({
    read: async (statement) => raw.prepare(statement).all() as Record<string, unknown>[],
    write: async (file) => {
      raw.transaction(() => raw.exec(file))();
    },
  });
  return { bound, text };
}

describe('the remote D1 commands’ SQL text', () => {
  it('imports a roster as the bound statements do, and reads it back the same', async () => {
    const { bound, text } = sqliteBehindText();
    const odd = [...DEMO_ROSTER, ['天宁区教育工委', '', "O'Neil?; --明", '党员', 'oneil', '', '', '']];
    const result = await importRoster(text, odd, 1_000, 'test', ACCOUNT_COLUMNS);
    expect(result).toMatchObject({ ok: true, summary: { membersCreated: 10 } });

    const direct = sqliteBehindText().bound;
    await importRoster(direct, odd, 1_000, 'test', ACCOUNT_COLUMNS);
    expect(await exportRoster(bound, ACCOUNT_COLUMNS)).toEqual(await exportRoster(direct, ACCOUNT_COLUMNS));
    expect(await exportRoster(text, ACCOUNT_COLUMNS)).toEqual(await exportRoster(bound, ACCOUNT_COLUMNS));
  });

  it('stores a document’s text exactly, quotes and question marks included', async () => {
    const { bound, text } = sqliteBehindText();
    const body = "关于“测试”的通知\n\n一、问：经费够吗？答：'够'; -- 见附件?\n二、/* 不是注释 */ 按时上报。\n";
    await putDocument(text, await indexDocument('测试.txt', body), 1_000);
    const doc = await documentBySource(bound, '测试.txt');
    expect(doc?.title).toBe('关于“测试”的通知');
    expect(await passagesContaining(bound, "答：'够'; -- 见附件?", 5, doc?.id)).toHaveLength(1);
    expect(await passagesContaining(bound, '/* 不是注释 */', 5, doc?.id)).toHaveLength(1);
  });
});
