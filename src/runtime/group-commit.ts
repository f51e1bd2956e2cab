/**
 * Group commit: items added in the same turn of the event loop are committed together, and each add resolves only
 * after the commit that holds its item. An acknowledged write is therefore never missing, and the cost of a commit
 * (a transaction, a WAL append, a round trip to PostgreSQL) is shared by every concurrent request. Items added while
 * a commit is in flight form the next batch.
 */
interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<T> {
  private queue: Pending<T>[] = [];
  private flushing = false;
  private scheduled = false;

  /**
   * `commit` writes a batch in one transaction (all or nothing); `committed` runs after each successful commit, and
   * its failure never fails the items that were written.
   */
  constructor(
    private readonly commit: (items: T[]) => Promise<void>,
    private readonly committed?: (items: T[]) => void,
  ) {}

  /** Resolves once the item is committed; rejects with the commit's error if its batch failed. */
  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && !this.flushing) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Waits until everything added so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing || this.scheduled) await new Promise((r) => setImmediate(r));
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const items = batch.map((p) => p.item);
      try {
        await this.commit(items);
      } catch (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      for (const p of batch) p.resolve();
      try {
        this.committed?.(items);
      } catch {
        // Listeners of committed batches never fail the writes.
      }
    }
    this.flushing = false;
  }
}
