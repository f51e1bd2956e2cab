/** CloudWatch Logs events, stored in chunks per stream. */
import type { Database } from "./db.js";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LogEventsStore {}

export function createLogEventsStore(_db: Database): LogEventsStore {
  return {};
}
