// What the reminder job finished planning, so that a run with nothing new due reads almost
// nothing (on D1 every statement counts against the invocation's limit). A unit of work (a
// duty's stage in a period, a 整改 deadline's stage, an organisation's 换届 notice) gets a mark
// once all its sends are in the outbox, stamped with what decides who they reach: the roster's
// version and the channels that deliver. A unit marked with the current stamp is skipped without
// reading its audience; a roster import or a new channel changes the stamp, and every unit due is
// looked at once more (its sends are keyed, so only someone new gets one). A fan-out goes a page
// of people at a time and records how far it got, so that a run the budget stopped is taken up
// where it stopped, not read again from the first page.
import type { Assistant } from '../bot/core/assistant';
import { readValues, writeValue } from '../storage/kv';
import { ROSTER_VERSION } from '../storage/roster';

const markOf = (unit: string) => `planned:${unit}`;
const progressOf = (unit: string) => `planned-upto:${unit}`;

/** How far a unit's fan-out got: the last member id planned (in id order), and who it could not reach so far. */
export interface Progress {
  after: string;
  unreachable: string[];
}

export class Planned {
  private constructor(
    private readonly assistant: Assistant,
    private readonly marks: Map<string, string>,
    private readonly stamp: string,
  ) {}

  /** The marks of these units, their progress and the current stamp, in one statement. */
  static async read(assistant: Assistant, units: readonly string[]): Promise<Planned> {
    const values = await readValues(assistant.db, [ROSTER_VERSION, ...units.map(markOf), ...units.map(progressOf)]);
    const channels = assistant.deliveringChannels()?.join(',') ?? '*';
    return new Planned(assistant, values, `${values.get(ROSTER_VERSION) ?? '-'}|${channels}`);
  }

  /** Whether the unit's sends were all planned with the roster and channels as they are now. */
  has(unit: string): boolean {
    return this.marks.get(markOf(unit)) === this.stamp;
  }

  /** Where the unit's fan-out stopped with the roster and channels as they are now; else at the start. */
  progress(unit: string): Progress {
    const stored = this.marks.get(progressOf(unit));
    const p = stored ? (JSON.parse(stored) as Progress & { stamp: string }) : undefined;
    return p?.stamp === this.stamp ? { after: p.after, unreachable: p.unreachable } : { after: '', unreachable: [] };
  }

  async advance(unit: string, progress: Progress): Promise<void> {
    const value = JSON.stringify({ stamp: this.stamp, ...progress });
    await writeValue(this.assistant.db, progressOf(unit), value);
    this.marks.set(progressOf(unit), value);
  }

  async done(unit: string): Promise<void> {
    await writeValue(this.assistant.db, markOf(unit), this.stamp);
    this.marks.set(markOf(unit), this.stamp);
  }
}
