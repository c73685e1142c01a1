// DingTalk's HTTP mode (for deployments without a long-lived process): the robot POSTs each
// message with `timestamp` and `sign` headers; card callbacks arrive the same way. A forged or
// stale signature is refused before anything is read. The signature does not cover the body, so
// a pair is taken once, for the first usable payload it comes with: the same pair with another
// body (another sender, another session webhook) is a forgery. Stream mode has none of this
// (docs/dingtalk.md).
import { type Context, Hono } from 'hono';
import { bodyLimit } from '../core/body-limit';
import type { Logger } from '../core/log';
import type { Inlet } from '../core/platform';
import { decodeCardCallback, decodeRobot } from './decode';
import { receiveCardClick, receiveRobot } from './receive';
import { signatureProblem } from './sign';

export interface DingtalkHttpDeps {
  inlet: Inlet;
  appSecret: string;
  log: Logger;
  now?: () => number;
}

export function dingtalkHttpRoutes(deps: DingtalkHttpDeps): Hono {
  const app = new Hono();
  const now = deps.now ?? Date.now;
  const limit = bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'payload too large' }, 413) });

  const refuse = (c: Context, problem: string) => {
    deps.log.warn('DingTalk callback refused', { problem });
    return c.json({ error: 'forbidden' }, 401);
  };
  /** Takes the request's signature; false when it came before. */
  const once = (c: Context) =>
    deps.inlet.firstUse('dingtalk', `sign:${c.req.header('timestamp')}:${c.req.header('sign')}`);

  app.use('*', async (c, next) => {
    const problem = signatureProblem(deps.appSecret, c.req.header('timestamp'), c.req.header('sign'), now());
    return problem ? refuse(c, problem) : next();
  });

  app.post('/robot', limit, async (c) => {
    const payload: unknown = await c.req.json().catch(() => null);
    const decoded = decodeRobot(payload);
    if (decoded.kind === 'ignored') {
      deps.log.info('DingTalk robot message ignored', { what: decoded.what });
      return c.json({ error: 'not a message the bot can use' }, 400);
    }
    if (!(await once(c))) return refuse(c, 'signature used before');
    await receiveRobot(deps.inlet, deps.log, payload);
    return c.json({});
  });

  app.post('/card', limit, async (c) => {
    const payload: unknown = await c.req.json().catch(() => null);
    const decoded = decodeCardCallback(payload);
    if (decoded.kind === 'ignored') {
      deps.log.info('DingTalk card callback ignored', { what: decoded.what });
      return c.json({});
    }
    if (!(await once(c))) return refuse(c, 'signature used before');
    return c.json((await receiveCardClick(deps.inlet, deps.log, payload)) ?? {});
  });
  return app;
}
