/**
 * One scheduler for every periodic job (alarm evaluation, scheduled rules, trail delivery, retention), on the injectable
 * clock. With the system clock it runs jobs on timers; with the manual clock, advance() moves time forward and runs every
 * job that falls due, in order of due time, before it returns.
 */
import type { Clock, ManualClock } from "./clock.js";

export interface Job {
  name: string;
  /** Period in milliseconds. */
  intervalMs: number;
  /** Runs at each due time; `now` is the due instant. A failure is logged and the job keeps its schedule. */
  run(now: number): Promise<void> | void;
}

interface Entry {
  job: Job;
  due: number;
  running?: Promise<void>;
}

export class Scheduler {
  private readonly entries: Entry[] = [];
  private timer?: NodeJS.Timeout;
  private started = false;
  private advancing: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly onError: (job: string, err: unknown) => void = () => {},
  ) {}

  /** Registers a job; it first runs one interval from now. */
  register(job: Job): void {
    if (!(job.intervalMs > 0)) throw new Error(`job ${job.name}: interval must be positive`);
    this.entries.push({ job, due: this.clock.now() + job.intervalMs });
    if (this.started && !this.clock.manual) this.arm();
  }

  /**
   * Moves a job's next run to `due`, earlier or later (Infinity: not until moved again). For jobs that know when they
   * next have work, so that advancing a manual clock by months does not run them every interval.
   */
  setDue(name: string, due: number): void {
    const e = this.entries.find((x) => x.job.name === name);
    if (!e) throw new Error(`no job named ${name}`);
    e.due = due;
    if (this.started && !this.clock.manual) this.arm();
  }

  jobs(): { name: string; due: number }[] {
    return this.entries.map((e) => ({ name: e.job.name, due: e.due }));
  }

  start(): void {
    this.started = true;
    if (!this.clock.manual) this.arm();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all(this.entries.map((e) => e.running));
    await this.advancing;
  }

  /** Manual clock only: moves time forward by `ms`, running due jobs in order. Calls are serialized. */
  advance(ms: number): Promise<void> {
    if (!this.clock.manual) return Promise.reject(new Error("the clock is not manual"));
    const clock = this.clock as ManualClock;
    const run = async () => {
      const target = clock.now() + ms;
      for (;;) {
        const next = this.nextDue();
        if (!next || next.due > target) break;
        clock.set(Math.max(clock.now(), next.due));
        await this.runEntry(next);
      }
      clock.set(target);
    };
    const p = this.advancing.then(run);
    this.advancing = p.catch(() => {});
    return p;
  }

  private nextDue(skipRunning = false): Entry | undefined {
    let best: Entry | undefined;
    for (const e of this.entries) if (!(skipRunning && e.running) && (!best || e.due < best.due)) best = e;
    return best;
  }

  private async runEntry(e: Entry): Promise<void> {
    const at = e.due;
    e.due += e.job.intervalMs;
    try {
      await e.job.run(at);
    } catch (err) {
      this.onError(e.job.name, err);
    }
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    const next = this.nextDue(true);
    if (!next || !this.started) return;
    const delay = Math.max(0, next.due - this.clock.now());
    this.timer = setTimeout(() => this.tick(), Math.min(delay, 2 ** 31 - 1));
    this.timer.unref();
  }

  private tick(): void {
    const now = this.clock.now();
    for (const e of this.entries) {
      if (e.due > now || e.running) continue;
      // A job that overran skips the instants it missed rather than running back to back.
      e.running = this.runEntry(e).finally(() => {
        e.running = undefined;
        if (e.due <= this.clock.now()) e.due = this.clock.now() + e.job.intervalMs;
        if (this.started) this.arm();
      });
    }
    this.arm();
  }
}
