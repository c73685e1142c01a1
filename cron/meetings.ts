// Closes check-ins whose deadline has passed (also those that passed while the process was
// down), once each, and posts the card's final state and the summary to the group.
import type { Assistant } from '../bot/core/assistant';
import { closedOutputs, rollOf } from '../handlers/checkin';
import { closeMeeting, meetingsDue } from '../storage/meetings';

export async function closeDueMeetings(assistant: Assistant, now: Date): Promise<number> {
  let closed = 0;
  for (const m of await meetingsDue(assistant.db, now.getTime())) {
    if (!(await closeMeeting(assistant.db, m.id, 'deadline', m.endsAt))) continue;
    const meeting = { ...m, closedAt: m.endsAt };
    const outputs = closedOutputs(meeting, await rollOf(assistant, meeting), now.getTime());
    await assistant.send(m.platform, { kind: 'group', id: m.chatId }, `meeting-close:${m.id}`, outputs);
    closed++;
  }
  return closed;
}
