import { env } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/d1';
import type { AppDb } from '../../storage/db';
import * as schema from '../../storage/schema';

/** The test D1 through the same drizzle handle the worker builds. */
export const db: AppDb = drizzle(env.DB, { schema });

/** A request through the worker's fetch handler, from loopback to localhost as the simulator requires (`wrangler dev`). */
export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const { exports } = await import('cloudflare:workers');
  const headers = new Headers(init.headers);
  headers.set('cf-connecting-ip', '127.0.0.1');
  return exports.default.fetch(new Request(`http://localhost${path}`, { ...init, headers }));
}

/**
 * A request through the Worker entry with extra variables (the channels under test, pointed at
 * the fakes), and the work it left to `ctx.waitUntil` awaited, as the runtime would let it finish.
 */
export async function callWith(vars: Record<string, string>, path: string, init: RequestInit = {}): Promise<Response> {
  const { createExecutionContext, waitOnExecutionContext } = await import('cloudflare:test');
  const { default: worker } = await import('../../bot/worker');
  const ctx = createExecutionContext();
  const request = new Request(`http://bot.test${path}`, init) as Request<unknown, IncomingRequestCfProperties>;
  const res = await worker.fetch(request, { ...env, ...vars } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** What the fakes (in Node) received: see global-setup.ts. */
export async function fakeWindow<T>(path: string): Promise<T> {
  const { inject } = await import('vitest');
  return (await (await fetch(`${inject('fakes').window}${path}`)).json()) as T;
}

/**
 * Fires a cron trigger through the Worker entry as Cloudflare would, at `at`, with extra
 * variables, and waits for its waitUntil work; the D1 statements it ran, counted on the binding.
 */
export async function fire(cron: string, at: number, vars: Record<string, string> = {}): Promise<number> {
  const { createExecutionContext, createScheduledController, waitOnExecutionContext } = await import('cloudflare:test');
  const { default: worker } = await import('../../bot/worker');
  const { countStatements } = await import('../../bot/statements');
  let statements = 0;
  const DB = countStatements(env.DB, (n) => {
    statements += n;
  });
  const ctx = createExecutionContext();
  worker.scheduled(createScheduledController({ cron, scheduledTime: at }), { ...env, ...vars, DB } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return statements;
}
