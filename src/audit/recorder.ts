/**
 * Group commit for audit records. Calls handled in the same turn of the event loop are written in one transaction;
 * each call is answered only after the transaction holding its record committed, so an acknowledged call is never
 * missing from the history, and the cost of a commit is shared by every concurrent call.
 */
import type { AuditRow, AuditStore } from "../storage/types.js";

interface Pending {
  row: AuditRow;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export type AuditListener = (rows: readonly AuditRow[]) => void;

export class AuditRecorder {
  private queue: Pending[] = [];
  private flushing = false;
  private scheduled = false;
  private readonly listeners: AuditListener[] = [];

  constructor(private readonly store: AuditStore) {}

  /** Resolves once the record is committed. */
  record(row: AuditRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.scheduled && !this.flushing) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Called with every committed batch (trails, EventBridge API-call events subscribe here). */
  onCommit(listener: AuditListener): void {
    this.listeners.push(listener);
  }

  /** Waits until everything recorded so far is committed. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing || this.scheduled) await new Promise((r) => setImmediate(r));
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const rows = batch.map((p) => p.row);
      try {
        await this.store.append(rows);
      } catch (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      for (const p of batch) p.resolve();
      for (const l of this.listeners) {
        try {
          l(rows);
        } catch {
          // A listener's failure never fails the calls that were recorded.
        }
      }
    }
    this.flushing = false;
  }
}
