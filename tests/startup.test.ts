// What `npm start` refuses, in one line an operator can act on: a database path it cannot use,
// and the demo organisation (whose admin is a plausible user id) beside a real platform.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as rosterCli } from '../bot/cli/roster';
import { ACCOUNT_COLUMNS } from '../bot/platforms';
import { seedDemo } from '../storage/demo';
import { openSqlite } from '../storage/sqlite';
import { wecomAppEnv } from './fakes/accounts';
import { runMain } from './helpers/cli';
import { startUpOutcome } from './helpers/server';

// Nothing listens at this API address: the server must decide before it talks to WeCom.
const WECOM = wecomAppEnv('http://127.0.0.1:9');

/** A line of a stack trace, which an operator should never have to read. */
const STACK = /^\s+at /m;

describe('start-up', () => {
  it('refuses a database path it cannot use with a line naming ZHIBU_DB, not a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-start-'));
    writeFileSync(join(dir, 'a-file'), '');
    mkdirSync(join(dir, 'a-dir'));
    for (const path of [join(dir, 'a-file', 'zhibu.db'), join(dir, 'a-dir')]) {
      const r = await startUpOutcome({ ZHIBU_DB: path });
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n')).toContainEqual(
        expect.stringMatching(/^配置错误：ZHIBU_DB 数据库文件“.+”无法使用：/),
      );
      expect(r.stderr).not.toMatch(STACK);
    }
  });

  it('refuses to go live on a platform with the demo in the database, and names the command that removes it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhibu-start-')), 'zhibu.db');
    const { db, close } = openSqlite(file);
    await seedDemo(db, Date.now(), ACCOUNT_COLUMNS);
    close();
    const refused = await startUpOutcome({ ZHIBU_DB: file, ...WECOM });
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n')).toContainEqual(
      expect.stringMatching(/^数据库里还有演示组织.*npm run roster -- remove-demo/),
    );
    expect(refused.stderr).not.toMatch(STACK);

    const removed = await runMain(rosterCli, ['remove-demo'], { env: { ZHIBU_DB: file } });
    expect(removed.stdout).toContain('已删除演示数据：成员 9 人，组织 3 个，模拟群 3 个。');
    expect((await startUpOutcome({ ZHIBU_DB: file, ...WECOM })).code).toBe('started');
  });

  it('does not load the demo into an empty database once a platform is configured', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhibu-start-')), 'zhibu.db');
    expect((await startUpOutcome({ ZHIBU_DB: file, ...WECOM })).code).toBe('started');
    const { db, close } = openSqlite(file);
    const seededAgain = await seedDemo(db, Date.now(), ACCOUNT_COLUMNS);
    close();
    expect(seededAgain).toBe(true); // the database was still empty
  });
});
