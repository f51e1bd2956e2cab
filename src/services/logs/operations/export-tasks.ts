/**
 * CloudWatch Logs export tasks (CreateExportTask, DescribeExportTasks, CancelExportTask): a log group's events in
 * [from, to) written to an S3 bucket as AWS lays them out:
 *   <prefix>/aws-logs-write-test                       "Permission Check Successful" (written at creation)
 *   <prefix>/<taskId>/<logStreamName>/000000.gz        gzip of "<ISO-8601 time> <message>\n" lines, in time order
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/S3ExportTasks.html
 * A task is PENDING when created and runs on the next tick of the export job (every second of the server clock,
 * registered by the CloudTrail runtime), becoming COMPLETED or FAILED. AWS runs one active task per account and
 * region. Tasks live in the server's memory (they are not kept across a restart: a known gap).
 */
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { awsError } from "../../../errors/index.js";
import type { Stores } from "../../../storage/types.js";
import { internal, type Publisher } from "../../internal.js";
import type { Handler, RequestContext } from "../../types.js";
import { FilterLogEvents } from "./FilterLogEvents.js";

interface ExportTask {
  taskId: string;
  taskName?: string;
  logGroupName: string;
  logStreamNamePrefix?: string;
  from: number;
  to: number;
  destination: string;
  destinationPrefix: string;
  status: { code: "PENDING" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED" | "PENDING_CANCEL"; message?: string };
  executionInfo: { creationTime: number; completionTime?: number };
  account: string;
  region: string;
  ctx: RequestContext;
}

const tasks = new WeakMap<Stores, ExportTask[]>();
const wakers = new WeakMap<Stores, () => void>();
/** The runtime that runs export tasks says how to make its job due (it sleeps while no task is pending). */
export const installExportWaker = (stores: Stores, wake: () => void) => wakers.set(stores, wake);
/** Whether a task waits to run. */
export const exportsPending = (stores: Stores) => list(stores).some((t) => t.status.code === "PENDING");
const list = (stores: Stores) => {
  let l = tasks.get(stores);
  if (!l) tasks.set(stores, (l = []));
  return l;
};

const invalid = (m: string) => awsError("InvalidParameterException", m);
const publisher = (ctx: RequestContext, group: string): Publisher => ({
  account: ctx.account,
  service: "logs.amazonaws.com",
  sourceArn: `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${group}:*`,
  sourceAccount: ctx.account,
});

interface CreateInput {
  taskName?: string;
  logGroupName: string;
  logStreamNamePrefix?: string;
  from: number;
  to: number;
  destination: string;
  destinationPrefix?: string;
}

export const CreateExportTask: Handler = async (input: CreateInput, ctx) => {
  if (input.from > input.to) throw invalid("The from time must be before the to time.");
  if (!(await ctx.stores.logs.group({ account: ctx.account, region: ctx.region }, input.logGroupName))) {
    throw awsError("ResourceNotFoundException", "The specified log group does not exist.");
  }
  const mine = list(ctx.stores).filter((t) => t.account === ctx.account && t.region === ctx.region);
  if (mine.some((t) => t.status.code === "PENDING" || t.status.code === "RUNNING")) {
    throw awsError("LimitExceededException", "Resource limit exceeded.");
  }
  const prefix = (input.destinationPrefix ?? "exportedlogs").replace(/\/+$/, "");
  const s3 = internal(ctx.stores);
  if (!s3.s3CanWrite || !s3.s3PutObject) throw awsError("ServiceUnavailableException", "S3 is not available.");
  const who = publisher(ctx, input.logGroupName);
  const can = await s3.s3CanWrite(input.destination, `${prefix}/aws-logs-write-test`, who);
  if (can === "NoSuchBucket") throw invalid("The specified bucket does not exist.");
  if (can === "AccessDenied") {
    throw invalid(
      "GetBucketAcl call on the given bucket failed. Please check if CloudWatch Logs has been granted permission to perform this operation.",
    );
  }
  await s3.s3PutObject(
    {
      bucket: input.destination,
      key: `${prefix}/aws-logs-write-test`,
      body: Buffer.from("Permission Check Successful"),
    },
    who,
  );
  const task: ExportTask = {
    taskId: randomUUID(),
    taskName: input.taskName,
    logGroupName: input.logGroupName,
    logStreamNamePrefix: input.logStreamNamePrefix,
    from: input.from,
    to: input.to,
    destination: input.destination,
    destinationPrefix: prefix,
    status: { code: "PENDING", message: "Pending" },
    executionInfo: { creationTime: ctx.clock.now() },
    account: ctx.account,
    region: ctx.region,
    ctx,
  };
  list(ctx.stores).push(task);
  wakers.get(ctx.stores)?.();
  return { taskId: task.taskId };
};

const view = (t: ExportTask) => ({
  taskId: t.taskId,
  taskName: t.taskName,
  logGroupName: t.logGroupName,
  from: t.from,
  to: t.to,
  destination: t.destination,
  destinationPrefix: t.destinationPrefix,
  status: t.status,
  executionInfo: t.executionInfo,
});

export const DescribeExportTasks: Handler = async (
  input: { taskId?: string; statusCode?: string; nextToken?: string; limit?: number },
  ctx,
) => {
  let found = list(ctx.stores).filter((t) => t.account === ctx.account && t.region === ctx.region);
  if (input.taskId !== undefined) found = found.filter((t) => t.taskId === input.taskId);
  if (input.statusCode !== undefined) found = found.filter((t) => t.status.code === input.statusCode);
  const start = input.nextToken ? Number(input.nextToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalid("The specified nextToken is not valid.");
  const limit = input.limit ?? 50;
  const page = found.slice(start, start + limit);
  return {
    exportTasks: page.map(view),
    nextToken: start + limit < found.length ? String(start + limit) : undefined,
  };
};

export const CancelExportTask: Handler = async (input: { taskId: string }, ctx) => {
  const t = list(ctx.stores).find(
    (x) => x.taskId === input.taskId && x.account === ctx.account && x.region === ctx.region,
  );
  if (!t) throw awsError("ResourceNotFoundException", "The specified export task does not exist.");
  if (t.status.code !== "PENDING" && t.status.code !== "RUNNING") {
    throw awsError(
      "InvalidOperationException",
      `The specified export task has already finished. Current status: ${t.status.code}`,
    );
  }
  t.status = { code: "CANCELLED", message: "Cancelled by user" };
  t.executionInfo.completionTime = t.ctx.clock.now();
  return {};
};

/** Runs every pending task of this server (the export job). */
export async function runExportTasks(stores: Stores): Promise<void> {
  for (const t of list(stores)) {
    if (t.status.code !== "PENDING") continue;
    t.status = { code: "RUNNING", message: "Started" };
    try {
      const byStream = new Map<string, string[]>();
      let nextToken: string | undefined;
      do {
        const page = (await FilterLogEvents(
          {
            logGroupName: t.logGroupName,
            logStreamNamePrefix: t.logStreamNamePrefix,
            startTime: t.from,
            endTime: t.to - 1,
            nextToken,
          },
          t.ctx,
        )) as { events?: { logStreamName: string; timestamp: number; message: string }[]; nextToken?: string };
        for (const e of page.events ?? []) {
          const lines = byStream.get(e.logStreamName) ?? [];
          lines.push(`${new Date(e.timestamp).toISOString()} ${e.message}\n`);
          byStream.set(e.logStreamName, lines);
        }
        nextToken = page.nextToken;
      } while (nextToken && (t.status.code as string) === "RUNNING");
      if ((t.status.code as string) !== "RUNNING") continue;
      const put = internal(stores).s3PutObject!;
      for (const [stream, lines] of byStream) {
        await put(
          {
            bucket: t.destination,
            key: `${t.destinationPrefix}/${t.taskId}/${stream}/000000.gz`,
            body: gzipSync(Buffer.from(lines.join(""))),
            contentEncoding: "gzip",
          },
          publisher(t.ctx, t.logGroupName),
        );
      }
      t.status = { code: "COMPLETED", message: "Completed successfully" };
    } catch (e) {
      t.status = { code: "FAILED", message: (e as Error).message };
    }
    t.executionInfo.completionTime = t.ctx.clock.now();
  }
}

export const exportTaskHandlers: Record<string, Handler> = { CreateExportTask, DescribeExportTasks, CancelExportTask };
