// The Node entry's fetch for the platforms' API calls: what the platform clients rely on of fetch.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveFetch } from '../bot/server/keep-alive-fetch';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

async function serving(handle: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('keepAliveFetch', () => {
  it('posts a body with its headers and reads the answer as a Response, on one connection', async () => {
    const seen: { method?: string; type?: string; body: string; socket: unknown }[] = [];
    const url = await serving((req, body, res) => {
      seen.push({ method: req.method, type: req.headers['content-type'], body, socket: req.socket });
      res.writeHead(req.url === '/busy' ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errcode: 0, echo: JSON.parse(body) }));
    });
    const post = (path: string) =>
      keepAliveFetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: '你好' }),
      });
    const ok = await post('/send');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(await ok.json()).toEqual({ errcode: 0, echo: { text: '你好' } });
    const busy = await post('/busy');
    expect([busy.status, busy.ok]).toEqual([503, false]);
    expect(seen.map((s) => [s.method, s.type, s.body])).toEqual([
      ['POST', 'application/json', '{"text":"你好"}'],
      ['POST', 'application/json', '{"text":"你好"}'],
    ]);
    expect(seen[1]?.socket).toBe(seen[0]?.socket);
  });

  it('gives up when its signal aborts, with the signal’s reason', async () => {
    const controller = new AbortController();
    const url = await serving(() => controller.abort(new Error('timed out'))); // never answers
    await expect(keepAliveFetch(url, { signal: controller.signal })).rejects.toThrow('timed out');
  });
});
