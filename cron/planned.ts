// What the reminder job finished planning, so that a run with nothing new due reads almost
// nothing (on D1 every statement counts against the invocation's limit). A unit of work (a
// duty's stage in a period, a 整改 deadline's stage, an organisation's 换届 notice) gets a mark
// once all its sends are in the outbox, stamped with what decides who they reach: the roster's
// version and the channels that deliver. A unit marked with the current stamp is skipped without
// reading its audience; a roster import or a new channel changes the stamp, and every unit due is
// looked at once more (its sends are keyed, so only someone new gets one).
import type { Assistant } from '../bot/core/assistant';
import { readValues, writeValue } from '../storage/kv';
import { ROSTER_VERSION } from '../storage/roster';

const markOf = (unit: string) => `planned:${unit}`;

export class Planned {
  private constructor(
    private readonly assistant: Assistant,
    private readonly marks: Map<string, string>,
    private readonly stamp: string,
  ) {}

  /** The marks of these units and the current stamp, in one statement. */
  static async read(assistant: Assistant, units: readonly string[]): Promise<Planned> {
    const values = await readValues(assistant.db, [ROSTER_VERSION, ...units.map(markOf)]);
    const channels = assistant.deliveringChannels()?.join(',') ?? '*';
    return new Planned(assistant, values, `${values.get(ROSTER_VERSION) ?? '-'}|${channels}`);
  }

  /** Whether the unit's sends were all planned with the roster and channels as they are now. */
  has(unit: string): boolean {
    return this.marks.get(markOf(unit)) === this.stamp;
  }

  async done(unit: string): Promise<void> {
    await writeValue(this.assistant.db, markOf(unit), this.stamp);
    this.marks.set(markOf(unit), this.stamp);
  }
}
