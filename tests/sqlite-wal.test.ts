// The server's database keeps a burst of writes in its WAL instead of copying it back into the
// file every 1,000 pages (a checkpoint syncs both, in the middle of a callback's commit), and a
// clean close still writes everything back: nothing committed is lost, no WAL is left behind.

import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../storage/sqlite';

const PAGE = 4096;

describe('the server database under a burst of writes', () => {
  it('keeps ~12 MB of commits in the WAL, one commit at a time, and writes them back on close', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhibu-wal-')), 'zhibu.db');
    const opened = openSqlite(file);
    const before = statSync(file).size;
    opened.sqlite.exec('create table burst (id integer primary key, body text)');
    const insert = opened.sqlite.prepare('insert into burst (body) values (?)');
    // 3,000 commits of a page each: three times the default bound of 1,000 pages.
    for (let i = 0; i < 3000; i++) insert.run('x'.repeat(PAGE - 100));
    // Not copied back yet: the file is as it was opened, the commits are in the WAL.
    expect(statSync(file).size).toBe(before);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(3000 * PAGE);
    opened.close();

    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = openSqlite(file);
    expect(reopened.sqlite.prepare('select count(*) as n from burst').get()).toEqual({ n: 3000 });
    reopened.close();
  });
});
