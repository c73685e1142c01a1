// The one reminder job: duties, rectification deadlines and 换届 notices, planned into the outbox for `now`.
// The Node scheduler, `npm run jobs -- run` and the Worker's cron trigger all run this.
import type { Assistant } from '../bot/core/assistant';
import type { Duty } from '../domain/duties';
import { remindDuties } from './duty-reminders';
import { remindRectifications } from './rectification';
import { remindTerms } from './term-reminders';

export async function runReminders(assistant: Assistant, duties: readonly Duty[], now: Date): Promise<number> {
  return (
    (await remindDuties(assistant, duties, now)) +
    (await remindRectifications(assistant, now)) +
    (await remindTerms(assistant, now))
  );
}
