// A body size limit that leaves the body alone when the request declares its length. hono's
// bodyLimit looks at `c.req.raw.body`, which makes @hono/node-server build a whole Web Request and
// stream for every request (~4% of the server's CPU on a WeCom callback) and loses its fast
// `text()`. The HTTP parser holds a body to its Content-Length, so that header is enough; a body
// sent in chunks (no length) is counted as it is read, by hono's bodyLimit.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as countingBodyLimit } from 'hono/body-limit';

export function bodyLimit(options: {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}): MiddlewareHandler {
  const counting = countingBodyLimit(options);
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counting(c, next);
    if (Number.parseInt(length, 10) > options.maxSize) return options.onError(c);
    await next();
  };
}
