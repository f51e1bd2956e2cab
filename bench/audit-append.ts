/**
 * Micro-benchmark of the audit store's append, the hot path every API call takes: 50,000 CloudTrail-sized
 * rows in batches of 1, 10 and 100 on a SQLite file, in memory, and on PostgreSQL when DATABASE_URL is set.
 * Run: npx tsx bench/audit-append.ts [rows]
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openStores } from "../src/storage/index.js";
import type { AuditRow } from "../src/storage/types.js";

const TOTAL = Number(process.argv[2] ?? 50_000);
const BATCHES = [1, 10, 100];

function row(i: number): AuditRow {
  const eventId = randomUUID();
  const eventTime = Date.UTC(2025, 0, 1) + i;
  const write = i % 3 === 0;
  const eventName = write ? "PutLogEvents" : "DescribeLogGroups";
  const group = `/app/service-${i % 50}`;
  // About the size of a real record (~1 KB).
  const record = JSON.stringify({
    eventVersion: "1.08",
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDAEXAMPLE",
      arn: "arn:aws:iam::000000000000:user/alice",
      accountId: "000000000000",
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      userName: "alice",
    },
    eventTime: new Date(eventTime).toISOString(),
    eventSource: "logs.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: "127.0.0.1",
    userAgent: "aws-sdk-js/3.0.0 ua/2.1 os/linux lang/js md/nodejs#20.19.0 api/cloudwatch-logs#3.0.0",
    requestParameters: { logGroupName: group, padding: randomBytes(96).toString("hex") },
    responseElements: null,
    requestID: randomUUID(),
    eventID: eventId,
    readOnly: !write,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "000000000000",
    eventCategory: "Management",
  });
  return {
    eventId,
    account: "000000000000",
    region: "us-east-1",
    eventTime,
    eventName,
    eventSource: "logs.amazonaws.com",
    readOnly: !write,
    username: "alice",
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    eventCategory: "Management",
    resources: write ? [{ type: "AWS::Logs::LogGroup", name: group }] : [],
    record,
  };
}

async function run(
  label: string,
  open: () => Promise<{ stores: Awaited<ReturnType<typeof openStores>>; done(): Promise<void> }>,
) {
  for (const batch of BATCHES) {
    const { stores, done } = await open();
    const rows = Array.from({ length: TOTAL }, (_, i) => row(i));
    const start = performance.now();
    for (let i = 0; i < rows.length; i += batch) await stores.audit.append(rows.slice(i, i + batch));
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `${label.padEnd(13)} batch ${String(batch).padStart(3)}: ${Math.round(TOTAL / seconds)
        .toLocaleString("en-US")
        .padStart(9)} rows/s` + `  (${TOTAL} rows in ${seconds.toFixed(2)} s)`,
    );
    await stores.close();
    await done();
  }
}

await run("sqlite file", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-bench-"));
  return { stores: await openStores({ dataDir }), done: async () => rmSync(dataDir, { recursive: true, force: true }) };
});

// For reference: the CPU cost alone, without the file system.
await run("sqlite memory", async () => ({ stores: await openStores({ ephemeral: true }), done: async () => {} }));

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  await run("postgres", async () => {
    const schema = `vigil_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
    return {
      stores: await openStores({ databaseUrl, schema }),
      async done() {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA "${schema}" CASCADE`);
        await client.end();
      },
    };
  });
}
