/** CloudWatch Logs metadata: log groups, log streams, resource policies (tables of migration 0002). */
import type { Database } from "./db.js";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LogsStore {}

export function createLogsStore(_db: Database): LogsStore {
  return {};
}
