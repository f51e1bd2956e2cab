/**
 * Group commit for audit records. Calls handled in the same turn of the event loop are written in one transaction;
 * each call is answered only after the transaction holding its record committed, so an acknowledged call is never
 * missing from the history, and the cost of a commit is shared by every concurrent call.
 */
import { GroupCommit } from "../runtime/group-commit.js";
import type { AuditRow, AuditStore } from "../storage/types.js";

export type AuditListener = (rows: readonly AuditRow[]) => void;

export class AuditRecorder {
  private readonly listeners: AuditListener[] = [];
  private readonly writer: GroupCommit<AuditRow>;

  constructor(store: AuditStore) {
    this.writer = new GroupCommit(
      (rows) => store.append(rows),
      (rows) => {
        for (const l of this.listeners) {
          try {
            l(rows);
          } catch {
            // A listener's failure never fails the calls that were recorded.
          }
        }
      },
    );
  }

  /** Resolves once the record is committed. */
  record(row: AuditRow): Promise<void> {
    return this.writer.add(row);
  }

  /** Called with every committed batch (trails, EventBridge API-call events subscribe here). */
  onCommit(listener: AuditListener): void {
    this.listeners.push(listener);
  }

  /** Waits until everything recorded so far is committed. */
  drain(): Promise<void> {
    return this.writer.drain();
  }
}
