// How much one invocation may still do. On Node nothing limits a run (`unlimited`); a Worker
// invocation may run at most 1,000 D1 statements (paid plan), and the work it leaves to
// waitUntil is cut off 30 s after the event. Long work goes in steps (a unit of reminders, a
// fan-out batch, a send); before each, the worker asks whether another step fits, and when it
// does not it stops cleanly: what is planned stays planned, what is sent is marked sent, and
// the rest is left to the next run.
export interface Budget {
  /** Whether another step may start now. Once false, false for the rest of the invocation. */
  allows(): boolean;
  /** Whether some step was refused (the run stopped early). */
  readonly stopped: boolean;
}

export const unlimited: Budget = { allows: () => true, stopped: false };

export interface BudgetLimits {
  /** D1 statements the invocation may run (each statement of a batch counts). */
  statements: number;
  /** No step starts after this many milliseconds; the step in flight and its marks fit in the rest. */
  ms: number;
}

/**
 * A budget that learns its steps: a step may start while as many statements are left as the
 * largest step so far took (the statements run between two `allows` calls), and before the
 * first step, `firstStep`. A fan-out batch of 200 people takes about 40.
 */
export class InvocationBudget implements Budget {
  private largest: number;
  private mark = 0;
  private refused = false;
  private readonly started: number;

  constructor(
    private readonly limits: BudgetLimits,
    /** Statements run so far in this invocation. */
    readonly spent: () => number,
    private readonly now: () => number = Date.now,
    firstStep = 50,
  ) {
    this.largest = firstStep;
    this.started = now();
  }

  allows(): boolean {
    const used = this.spent();
    this.largest = Math.max(this.largest, used - this.mark);
    this.mark = used;
    if (used + this.largest > this.limits.statements || this.elapsed() >= this.limits.ms) this.refused = true;
    return !this.refused;
  }

  get stopped(): boolean {
    return this.refused;
  }

  elapsed(): number {
    return this.now() - this.started;
  }
}
