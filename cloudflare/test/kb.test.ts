// The knowledge base on D1: the shipped documents indexed by the first cron run (FTS5 table of
// migration 0002, writes through db.batch), answering as tests/qa.test.ts expects on better-sqlite3.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CRONS } from '../../bot/worker';
import { Knowledge } from '../../handlers/qa/knowledge';
import { allDocuments } from '../../storage/kb';
import { db, fire } from './helpers';

beforeAll(async () => {
  await fire(CRONS.everyMinute, Date.now());
});

describe('knowledge base on D1', () => {
  it('is loaded with the five shipped documents by the first cron run, once', async () => {
    expect((await allDocuments(db)).map((d) => d.source).sort()).toEqual([
      '000_f2ea2df98cfd2a4c.txt',
      '001_dc050af0dc608467.txt',
      '002_045b0a022792e96e.txt',
      '003_1a5507e8c81473ec.txt',
      '004_36ca56f47988dc24.txt',
    ]);
    const [row] = await db.all<{ n: number }>(sql`select count(*) as n from kb_fts`);
    expect(row?.n).toBe(186); // every passage, as on better-sqlite3
    await fire(CRONS.everyMinute, Date.now());
    expect(await allDocuments(db)).toHaveLength(5);
  });

  it('answers, quotes the closest rule and refuses as on better-sqlite3 (Intl.Segmenter in workerd splits as Node 20 does)', async () => {
    const kb = new Knowledge(db);
    const a = await kb.ask('党组织活动经费不低于多少？');
    expect(a).toMatchObject({ kind: 'direct', found: true });
    expect(a.answer).toContain('不低于学校公用经费的2%');
    expect(a.citations[0]).toMatchObject({
      doc: '000_f2ea2df98cfd2a4c.txt',
      section: '三、(二) 四是 二、要强化经费保障',
    });
    expect((await kb.ask('班子成员多久去一次联系点？')).answer).toContain('每季度到联络点不少于1次');
    const related = await kb.ask('党员每个月按工资交多少比例的党费？');
    expect(related.kind).toBe('related');
    expect(related.answer).not.toContain('%');
    expect(await kb.ask('预备党员的预备期是多久？')).toMatchObject({ kind: 'none', found: false });
  });
});
