/** Opens the storage Vigil runs on: the database, its migrations, and every store over it. */
import { createAlarmsStore } from "./alarms-store.js";
import { createAuditStore } from "./audit-store.js";
import { createDeliveryStore } from "./delivery-store.js";
import { createEventsStore } from "./events-store.js";
import { createLogEventsStore } from "./log-events-store.js";
import { createLogsStore } from "./logs-store.js";
import { createMetricsStore } from "./metrics-store.js";
import { createS3Store } from "./s3-store.js";
import { createSqsStore } from "./sqs-store.js";
import { createSnsStore } from "./sns-store.js";
import { createTrailsStore } from "./trails-store.js";
import { openDatabase, ping, wipe, type DatabaseOptions } from "./db.js";
import { migrate } from "./migrations/index.js";
import type { Stores } from "./types.js";

export type { DatabaseOptions } from "./db.js";
export { InvalidCursorError } from "./audit-store.js";
export type * from "./types.js";

/** Opens the database named by the options (see openDatabase), applies pending migrations and builds the stores. */
export async function openStores(options: DatabaseOptions): Promise<Stores> {
  const db = await openDatabase(options);
  try {
    await migrate(db, undefined, options.log);
  } catch (e) {
    await db.close();
    throw e;
  }
  const sqs = createSqsStore(db);
  const metrics = createMetricsStore(db);
  return {
    dialect: db.dialect,
    audit: createAuditStore(db),
    logs: createLogsStore(db),
    logEvents: createLogEventsStore(db),
    sqs,
    sns: createSnsStore(db),
    delivery: createDeliveryStore(db),
    trails: createTrailsStore(db),
    events: createEventsStore(db),
    alarms: createAlarmsStore(db),
    s3: createS3Store(db),
    metrics,
    ping: () => ping(db),
    reset: async () => {
      await wipe(db);
      sqs.forget();
      metrics.forget();
    },
    close: () => db.close(),
  };
}
