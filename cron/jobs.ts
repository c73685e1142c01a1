// The bot's scheduled jobs, runtime-neutral: node-cron runs them in the Node process, the Worker
// runs those of the cron trigger that fired (wrangler.toml lists the same three schedules).
import type { Assistant } from '../bot/core/assistant';
import type { Duty } from '../domain/duties';
import type { AppDb } from '../storage/db';
import { forgetSeenBefore } from '../storage/dedup';
import { forgetInboundBefore } from '../storage/inbound';
import { closeDueMeetings } from './meetings';
import { runReminders } from './reminders';

export interface Job {
  name: string;
  /** Five fields, UTC (as Cloudflare's cron triggers are). */
  schedule: string;
  run(now: Date): Promise<unknown>;
}

export const CRONS = { everyMinute: '* * * * *', duties: '*/10 * * * *', daily: '17 19 * * *' } as const;

/** How long the ids of accepted callbacks are kept to recognise a platform's re-sends. */
const REMEMBER_MS = 7 * 24 * 3600_000;

/** What runs on a schedule whatever the runtime; each entry adds how it drains its outbox. */
export function scheduledJobs(assistant: Assistant, db: AppDb, duties: readonly Duty[]): Job[] {
  return [
    { name: 'close-meetings', schedule: CRONS.everyMinute, run: (now) => closeDueMeetings(assistant, now) },
    // Work a crash (or a failed invocation) left behind: accepted callbacks whose lease ended.
    { name: 'inbound', schedule: CRONS.everyMinute, run: () => assistant.inbound.kick() },
    { name: 'reminders', schedule: CRONS.duties, run: (now) => runReminders(assistant, duties, now) },
    {
      name: 'forget-old-inbound-ids',
      schedule: CRONS.daily,
      run: async (now) => {
        await forgetSeenBefore(db, now.getTime() - REMEMBER_MS);
        await forgetInboundBefore(db, now.getTime() - REMEMBER_MS);
      },
    },
  ];
}
