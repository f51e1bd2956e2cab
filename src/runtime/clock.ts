/** The one clock everything time-based reads. The system clock in production; a manual clock in tests that only moves when told. */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  readonly manual: boolean;
}

export class SystemClock implements Clock {
  readonly manual = false;
  now(): number {
    return Date.now();
  }
}

/** Starts at the given instant (default: the real time at creation) and moves only through advance(). */
export class ManualClock implements Clock {
  readonly manual = true;
  private t: number;
  constructor(start: number = Date.now()) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  /** Sets the clock forward; the scheduler drives this so due jobs run in order. */
  set(t: number): void {
    if (t < this.t) throw new Error("the manual clock never moves backwards");
    this.t = t;
  }
}
