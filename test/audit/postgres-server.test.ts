import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import pg from "pg";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { startVigil } from "../helpers/vigil.js";

const url = process.env.DATABASE_URL;

test(
  "with --database-url the event history lives in PostgreSQL and survives a restart",
  { skip: !url && "DATABASE_URL is not set" },
  async () => {
    const schema = `vigil_server_${randomBytes(4).toString("hex")}`;
    try {
      const first = await startVigil({ databaseUrl: url, schema, ephemeral: false });
      let id: string;
      try {
        await first.client(STSClient).send(new GetCallerIdentityCommand({}));
        const events = await first.client(CloudTrailClient).send(new LookupEventsCommand({}));
        assert.deepEqual(
          events.Events!.map((e) => e.EventName),
          ["GetCallerIdentity"],
        );
        id = events.Events![0]!.EventId!;
      } finally {
        await first.close();
      }
      const second = await startVigil({ databaseUrl: url, schema, ephemeral: false });
      try {
        const events = await second.client(CloudTrailClient).send(new LookupEventsCommand({ MaxResults: 50 }));
        assert.deepEqual(
          events.Events!.map((e) => e.EventName),
          ["LookupEvents", "GetCallerIdentity"],
        );
        assert.equal(events.Events![1]!.EventId, id);
        const health = await fetch(`${second.url}/_vigil/health`).then(
          (r) => r.json() as Promise<{ storage: unknown }>,
        );
        assert.deepEqual(health.storage, { dialect: "postgres", ready: true });
      } finally {
        await second.close();
      }
    } finally {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  },
);
