/** What the CloudWatch workloads share: JSON 1.0 calls (what boto3, the CLI and the JS SDK send) and a setup helper. */
import { jsonRequest, type HttpRequestSpec } from "../lib/aws.js";
import { oneShot, type Target } from "../lib/load.js";

export const cloudwatch = (host: string, operation: string, input: unknown): HttpRequestSpec =>
  jsonRequest(host, "monitoring", `GraniteServiceVersion20100801.${operation}`, "1.0", input);

/** Sends one call; throws with the answer unless it is 2xx. */
export async function cwCall(target: Target, host: string, operation: string, input: unknown): Promise<Buffer> {
  const r = await oneShot(target, cloudwatch(host, operation, input), 120_000);
  if (r.status < 200 || r.status >= 300)
    throw new Error(`${operation}: HTTP ${r.status} ${r.body.toString("utf8").slice(0, 300)}`);
  return r.body;
}
