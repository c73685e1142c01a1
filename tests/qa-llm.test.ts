// The optional chat model, scripted, behind a local fake OpenAI-compatible endpoint reached
// through the real HTTP client: it is shown the evidence retrieval found and the kind of answer
// the documents allow; its reply is used when it cites only passages it was given and states no
// number they do not hold, and dropped (the extractive answer stands) when it invents a citation
// or a figure, says 文件未涉及, fails or is late.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureDefaultCorpus } from '../bot/cli/corpus';
import { ConfigError, llmConfig, loadConfig } from '../bot/config';
import { PLATFORMS } from '../bot/platforms';
import { Knowledge } from '../handlers/qa/knowledge';
import type { AppDb } from '../storage/db';
import { openSqlite } from '../storage/sqlite';

let server: Server;
let base: string;
let reply: { status: number; content: string; delayMs: number };
const requests: { model: string; messages: { role: string; content: string }[] }[] = [];
let db: AppDb;
let close: () => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      requests.push(JSON.parse(body));
      setTimeout(() => {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: reply.content } }] }));
      }, reply.delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  ({ db, close } = openSqlite(':memory:'));
  await ensureDefaultCorpus(db);
});
afterAll(() => {
  server.close();
  close();
});
beforeEach(() => {
  requests.length = 0;
  reply = { status: 200, content: '', delayMs: 0 };
});

// In time means answered at once: the default timeout is far beyond that, so a busy machine is never "late".
const kb = (timeoutMs = 30_000) =>
  new Knowledge(db, { baseUrl: base, apiKey: 'test-key', model: 'fake-model', timeoutMs });
const QUESTION = '党组织活动经费不低于多少？';
const prompted = () => requests[0]?.messages[1]?.content ?? '';

describe('optional chat model', () => {
  it('is shown the evidence and the kind, and its right answer is used with the passages it cites', async () => {
    reply.content = '学校党组织活动经费不低于学校公用经费的2%[1]。';
    const a = await kb().ask(QUESTION);
    expect(a).toMatchObject({ kind: 'direct', found: true, answer: '学校党组织活动经费不低于学校公用经费的2%[1]。' });
    expect(a.citations.map((c) => c.docNo)).toEqual(['固党教工委〔2022〕23号']);
    // The citation quotes the sentence the reply rests on, and 原文 shows the passage.
    expect(a.citations[0]?.quote).toContain('不低于学校公用经费的2%');
    expect(a.citations[0]?.passage).toContain('民办学校要将党组织活动经费列入年度经费预算');
    expect(requests[0]?.model).toBe('fake-model');
    // [1] is the passage the extractive answer rests on; more of the evidence follows it.
    expect(prompted()).toMatch(/\[1\] 《关于创建“四强化六提升”学校党建品牌的实施方案》[^\n]*\n[^\n]*公用经费的2%/);
    expect(prompted()).toContain('[2] ');
    expect(prompted()).toContain('段落中有直接回答这个问题的规定');
  });

  it('is told when the documents only speak of the subject, and its answer stays a related one', async () => {
    reply.content = '文件没有直接规定党费按工资交纳的比例[1]，只要求党费及时足额收缴[1]。';
    const a = await kb().ask('党员每个月按工资交多少比例的党费？');
    expect(prompted()).toContain('段落没有直接规定所问的内容，只有相关规定');
    expect(a).toMatchObject({ kind: 'related', found: true });
    expect(a.answer).toBe(reply.content);
  });

  it('drops a reply that cites a passage it was not given', async () => {
    reply.content = '不低于公用经费的2%[7]。';
    const a = await kb().ask(QUESTION);
    expect(a.answer).toContain('不低于学校公用经费的2%。');
    expect(a.answer).toContain('（固原市');
  });

  it('drops a reply stating a figure no cited passage holds', async () => {
    reply.content = '学校党组织活动经费不低于学校公用经费的5%[1]。';
    const a = await kb().ask(QUESTION);
    expect(a.answer).not.toContain('5%');
    expect(a.answer).toContain('（固原市');
  });

  it('keeps the extractive answer when the model says the documents do not cover it', async () => {
    reply.content = '文件未涉及。';
    const a = await kb().ask(QUESTION);
    expect(requests).toHaveLength(1);
    expect(a).toMatchObject({ kind: 'direct' });
    expect(a.answer).toContain('（固原市');
  });

  it('drops a reply with no citation, an error, or one later than the timeout', async () => {
    reply.content = '大概是百分之二吧。';
    expect((await kb().ask(QUESTION)).answer).toContain('（固原市');
    reply = { status: 500, content: 'x', delayMs: 0 };
    expect((await kb().ask(QUESTION)).answer).toContain('（固原市');
    reply = { status: 200, content: '不低于2%[1]。', delayMs: 600 };
    expect((await kb(200).ask(QUESTION)).answer).toContain('（固原市');
  });

  it('is shown no mobile number or e-mail address', async () => {
    reply.content = '文件未涉及。';
    await kb().ask('兰陵小学党支部书记的电话和邮箱是多少？');
    expect(requests).toHaveLength(1);
    expect(prompted()).toContain('139****5757');
    expect(prompted()).not.toContain('13961295757');
    expect(prompted()).not.toContain('tjuxwx@163.com');
  });

  it('is never asked when the documents do not speak of the subject', async () => {
    const a = await kb().ask('预备党员的预备期是多久？');
    expect(a.kind).toBe('none');
    expect(requests).toHaveLength(0);
  });

  it('is never asked what a document’s front page answers (its date, whether it is a draft)', async () => {
    reply.content = '正式稿于10月14日印发[1]。';
    const a = await kb().ask('瑞安那个方案的正式稿是哪天印发的？');
    expect(a.answer).toContain('是征求意见稿');
    expect(requests).toHaveLength(0);
  });

  it('is configured by all three variables or none', () => {
    expect(llmConfig(loadConfig({}, PLATFORMS))).toBeUndefined();
    expect(() => loadConfig({ LLM_MODEL: 'deepseek-chat' }, PLATFORMS)).toThrow(ConfigError);
    expect(
      llmConfig(
        loadConfig({ LLM_BASE_URL: 'https://api.example.com/v1', LLM_API_KEY: 'k', LLM_MODEL: 'm' }, PLATFORMS),
      ),
    ).toEqual({ baseUrl: 'https://api.example.com/v1', apiKey: 'k', model: 'm', timeoutMs: 8000 });
  });
});
