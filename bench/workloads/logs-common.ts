/** What the CloudWatch Logs workloads share: a group and stream to write to, and a column in events per second. */
import { jsonRequest, type HttpRequestSpec } from "../lib/aws.js";
import { oneShot, type Target } from "../lib/load.js";
import type { RunningServer } from "../lib/servers.js";
import type { Workload } from "../lib/types.js";

export const logs = (host: string, operation: string, input: unknown): HttpRequestSpec =>
  jsonRequest(host, "logs", `Logs_20140328.${operation}`, "1.1", input);

/** Sends one call; throws with the answer unless it is 2xx. */
export async function call(target: Target, host: string, operation: string, input: unknown): Promise<Buffer> {
  const r = await oneShot(target, logs(host, operation, input), 60_000);
  if (r.status < 200 || r.status >= 300) {
    throw new Error(`${operation}: HTTP ${r.status} ${r.body.toString("utf8").slice(0, 300)}`);
  }
  return r.body;
}

export async function createStream(server: RunningServer, host: string, group: string, stream: string) {
  await call(server.target, host, "CreateLogGroup", { logGroupName: group });
  await call(server.target, host, "CreateLogStream", { logGroupName: group, logStreamName: stream });
}

/** `count` events of exactly `bytes` ASCII bytes each, one millisecond apart, ending at `end`. */
export function events(count: number, bytes: number, end: number, mark?: (i: number) => string) {
  const filler = "abcdefghijklmnopqrstuvwxyz0123456789 ".repeat(Math.ceil(bytes / 37) + 1);
  return Array.from({ length: count }, (_, i) => {
    const head = `${i} ${mark?.(i) ?? "INFO"} `;
    return { timestamp: end - count + i, message: (head + filler).slice(0, bytes) };
  });
}

/** Adds a column: requests per second times the events each request carries (or scans). */
export function perEvent(workload: Workload, key: string, header: string, eventsPerRequest: number): Workload {
  return {
    ...workload,
    async run(ctx) {
      const result = await workload.run(ctx);
      // A copy: the throughput columns are one array shared by every throughput workload.
      result.columns = [...result.columns];
      const at = result.columns.findIndex((c) => c.key === "rps") + 1;
      result.columns.splice(at, 0, { key, header });
      for (const row of result.rows) {
        const rps = row.values.rps;
        if (typeof rps === "number") row.values[key] = rps * eventsPerRequest;
      }
      if (result.goal?.key === "rps") result.goal = { ...result.goal, key };
      return result;
    },
  };
}
