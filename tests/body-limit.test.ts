// The body limit judges a request by its Content-Length when it has one (the body is left for the
// handler's fast read) and counts a chunked body as it reads it: either way an oversized body is
// refused and a small one reaches the handler whole.

import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodyLimit } from '../bot/core/body-limit';

const app = new Hono().post('/', bodyLimit({ maxSize: 1000, onError: (c) => c.text('太大', 413) }), async (c) =>
  c.text(await c.req.text()),
);

const chunked = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of text.match(/.{1,300}/gs) ?? []) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });
const post = (body: string | ReadableStream<Uint8Array>) =>
  app.request('/', {
    method: 'POST',
    body,
    ...(typeof body === 'string'
      ? { headers: { 'content-length': String(new TextEncoder().encode(body).length) } }
      : { duplex: 'half' }),
  });

describe('the body limit', () => {
  it('refuses an oversized body whether it declares its length or is sent in chunks', async () => {
    expect((await post('x'.repeat(1001))).status).toBe(413);
    expect((await post(chunked('x'.repeat(1001)))).status).toBe(413);
  });

  it('passes a body within the limit to the handler whole, declared or chunked', async () => {
    const body = '你'.repeat(300); // 900 bytes
    expect(await (await post(body)).text()).toBe(body);
    expect(await (await post(chunked(body))).text()).toBe(body);
  });
});
