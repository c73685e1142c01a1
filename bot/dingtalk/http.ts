// DingTalk's HTTP mode (for deployments without a long-lived process): the robot POSTs each
// message with `timestamp` and `sign` headers; card callbacks arrive the same way. A forged or
// stale signature is refused before anything is read or written.
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
  now?: () => number;
}

export function dingtalkHttpRoutes(deps: DingtalkHttpDeps): Hono {
  const app = new Hono();
  const now = deps.now ?? Date.now;
  const limit = bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'payload too large' }, 413) });

  app.use('*', async (c, next) => {
    const problem = signatureProblem(deps.appSecret, c.req.header('timestamp'), c.req.header('sign'), now());
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
