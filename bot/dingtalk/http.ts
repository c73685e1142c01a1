// DingTalk's HTTP mode (for deployments without a long-lived process): the robot POSTs each
// message with `timestamp` and `sign` headers; card callbacks arrive the same way. A forged or
// stale signature is refused before anything is read; so is a pair seen before, since the
// signature does not cover the body: a captured pair with another body (another sender, another
// session webhook) is a forgery. Stream mode has none of this (docs/dingtalk.md).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from '../core/log';
import type { DingtalkChannel } from './channel';
import type { CardCallbackPayload, RobotPayload } from './decode';
import { signatureProblem } from './sign';

export interface DingtalkHttpDeps {
  channel: DingtalkChannel;
  appSecret: string;
  log: Logger;
  /** Records a key; false when it was recorded before (the bot's inbound de-duplication). */
  firstUse: (key: string) => Promise<boolean>;
  now?: () => number;
}

export function dingtalkHttpRoutes(deps: DingtalkHttpDeps): Hono {
  const app = new Hono();
  const now = deps.now ?? Date.now;
  const limit = bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'payload too large' }, 413) });

  app.use('*', async (c, next) => {
    const timestamp = c.req.header('timestamp');
    const sign = c.req.header('sign');
    const problem =
      signatureProblem(deps.appSecret, timestamp, sign, now()) ??
      ((await deps.firstUse(`sign:${timestamp}:${sign}`)) ? null : 'signature used before');
    if (problem) {
      deps.log.warn('DingTalk callback refused', { problem });
      return c.json({ error: 'forbidden' }, 401);
    }
    return next();
  });

  app.post('/robot', limit, async (c) => {
    const payload = (await c.req.json().catch(() => null)) as RobotPayload | null;
    if (!payload || typeof payload !== 'object') return c.json({ error: 'body is not JSON' }, 400);
    const used = await deps.channel.receiveRobot(payload);
    return used ? c.json({}) : c.json({ error: 'not a message the bot can use' }, 400);
  });

  app.post('/card', limit, async (c) => {
    const payload = (await c.req.json().catch(() => null)) as CardCallbackPayload | null;
    if (!payload || typeof payload !== 'object') return c.json({ error: 'body is not JSON' }, 400);
    return c.json((await deps.channel.receiveCardClick(payload)) ?? {});
  });
  return app;
}
