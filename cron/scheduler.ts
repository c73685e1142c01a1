// Runs jobs on a schedule in the Node process. A job takes "now" as input, so the same job runs
// from Workers' cron triggers and from tests that drive time explicitly.
import cron from 'node-cron';
import type { Logger } from '../bot/core/log';
import type { Job } from './jobs';

export function startScheduler(jobs: Job[], log: Logger): { stop(): void } {
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        try {
          await job.run(new Date());
        } catch (err) {
          log.error('job failed', { job: job.name, err });
        }
      },
      { timezone: 'UTC', noOverlap: true, name: job.name },
    ),
  );
  return {
    stop() {
      for (const t of tasks) t.stop();
    },
  };
}
