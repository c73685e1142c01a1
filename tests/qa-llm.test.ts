// The optional chat model, against a local fake OpenAI-compatible endpoint: used when its reply
// cites only the passages it was given, dropped (extractive answer) when it does not, fails or is late.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureDefaultCorpus } from '../bot/cli/corpus';
import { ConfigError, llmConfig, loadConfig } from '../bot/config';
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

describe('optional chat model', () => {
  it('uses a reply that cites only the passages it was given, keeping those citations', async () => {
    reply.content = '学校党组织活动经费不低于学校公用经费的2%[1]。';
    const a = await kb().ask(QUESTION);
    expect(a.answer).toBe('学校党组织活动经费不低于学校公用经费的2%[1]。');
    expect(a.citations.map((c) => c.docNo)).toEqual(['固党教工委〔2022〕23号']);
    const [req] = requests;
    expect(req?.model).toBe('fake-model');
    expect(req?.messages[1]?.content).toContain('[1] 《关于创建“四强化六提升”学校党建品牌的实施方案》');
  });

  it('drops a reply that cites a passage it was not given', async () => {
    reply.content = '不低于公用经费的5%[7]。';
    const a = await kb().ask(QUESTION);
    expect(a.answer).toContain('不低于学校公用经费的2%。');
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

  it('is never asked when the documents are silent', async () => {
    const a = await kb().ask('入党年龄有什么限制');
    expect(a.found).toBe(false);
    expect(requests).toHaveLength(0);
  });

  it('is configured by all three variables or none', () => {
    expect(llmConfig(loadConfig({}))).toBeUndefined();
    expect(() => loadConfig({ LLM_MODEL: 'deepseek-chat' })).toThrow(ConfigError);
    expect(
      llmConfig(loadConfig({ LLM_BASE_URL: 'https://api.example.com/v1', LLM_API_KEY: 'k', LLM_MODEL: 'm' })),
    ).toEqual({ baseUrl: 'https://api.example.com/v1', apiKey: 'k', model: 'm', timeoutMs: 8000 });
  });
});
