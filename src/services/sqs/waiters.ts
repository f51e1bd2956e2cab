/**
 * Long polling: a ReceiveMessage that found nothing waits here until a message may have become available in its queue
 * (a send, a visibility change, a dead-letter move notifies the queue) or its wait ends. In-process only: receivers on
 * other nodes of a PostgreSQL deployment see a message sent elsewhere when their wait ends or their next timer fires
 * (see receive.ts).
 */
export class WaitHub {
  private readonly byQueue = new Map<number, Set<() => void>>();
  private readonly everyone = new Set<() => void>();
  private stopped = false;

  /** Set once the server stops: receives stop waiting. */
  get closed(): boolean {
    return this.stopped;
  }

  /** Called whenever a receive starts waiting (the manual clock's tick wakes up for it). */
  onWait?: () => void;

  /** Resolves when the queue is notified, everyone is woken, or after `ms` milliseconds (real time). */
  wait(queueId: number, ms: number): Promise<void> {
    if (this.stopped || ms <= 0) return Promise.resolve();
    this.onWait?.();
    return new Promise((resolve) => {
      let set = this.byQueue.get(queueId);
      if (!set) this.byQueue.set(queueId, (set = new Set()));
      const waiters = set;
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(finish);
        if (waiters.size === 0 && this.byQueue.get(queueId) === waiters) this.byQueue.delete(queueId);
        this.everyone.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      waiters.add(finish);
      this.everyone.add(finish);
    });
  }

  /** Something may have become receivable in the queue. */
  notify(queueId: number): void {
    const set = this.byQueue.get(queueId);
    if (set) for (const finish of [...set]) finish();
  }

  /** Time moved (manual clock) or the server stops: every waiter looks again. */
  wakeAll(): void {
    for (const finish of [...this.everyone]) finish();
  }

  /** Stops waiting for good: pending and later waits resolve at once. */
  close(): void {
    this.stopped = true;
    this.wakeAll();
  }

  get size(): number {
    return this.everyone.size;
  }
}
