/** Dashboards through the JS SDK on every protocol: the recorded lifecycle, body validation, prefixes and deletes. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  DeleteDashboardsCommand,
  GetDashboardCommand,
  ListDashboardsCommand,
  PutDashboardCommand,
} from "@aws-sdk/client-cloudwatch";
import { unique, type Vigil } from "../helpers/vigil.js";
import { cwOn, PROTOCOLS, rejects, startMetricsVigil, type ProtocolName } from "./metrics-helpers.js";

let vigil: Vigil;
before(async () => (vigil = await startMetricsVigil()));
after(() => vigil.close());

/** The body of the recorded lifecycle (Size is its length in bytes). */
const BODY = JSON.stringify({
  widgets: [
    {
      type: "metric",
      x: 0,
      y: 0,
      width: 6,
      height: 6,
      properties: {
        metrics: [["AWS/EC2", "CPUUtilization", "InstanceId", "i-12345678"]],
        region: "us-east-1",
        view: "timeSeries",
        stacked: false,
      },
    },
  ],
});

for (const protocol of Object.keys(PROTOCOLS) as ProtocolName[]) {
  test(`${protocol}: put, get, list by prefix, delete (recorded lifecycle)`, async () => {
    const cw = cwOn(vigil, protocol);
    const name = unique(`dash-${protocol}`);
    const put = await cw.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: BODY }));
    assert.deepEqual(put.DashboardValidationMessages, []);
    const got = await cw.send(new GetDashboardCommand({ DashboardName: name }));
    assert.deepEqual(got, {
      $metadata: got.$metadata,
      DashboardArn: `arn:aws:cloudwatch::000000000000:dashboard/${name}`,
      DashboardBody: BODY,
      DashboardName: name,
    });
    const list = await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: name }));
    assert.equal(list.DashboardEntries!.length, 1);
    const e = list.DashboardEntries![0];
    assert.deepEqual([e.DashboardName, e.DashboardArn, e.Size], [name, got.DashboardArn, Buffer.byteLength(BODY)]);
    assert.ok(e.LastModified instanceof Date);
    assert.deepEqual(
      (await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: `${name}x` }))).DashboardEntries,
      [],
    );
    await cw.send(new DeleteDashboardsCommand({ DashboardNames: [name] }));
    assert.deepEqual((await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: name }))).DashboardEntries, []);
  });

  test(`${protocol}: dashboard errors`, async () => {
    const cw = cwOn(vigil, protocol);
    await rejects(
      cw.send(new PutDashboardCommand({ DashboardName: "bad name!", DashboardBody: BODY })),
      "InvalidParameterValue",
      "The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).\n",
    );
    const err = (await rejects(
      cw.send(
        new PutDashboardCommand({
          DashboardName: unique("d"),
          DashboardBody: '{"widgets": [{"type": "metric", "width": 30}]}',
        }),
      ),
      "InvalidParameterInput",
      /^The dashboard body is invalid, there are 2 validation errors:/,
    )) as Error & { dashboardValidationMessages?: unknown };
    // The JS SDK reads the error's members on JSON and CBOR (its Query parser keeps only Code and Message).
    if (protocol !== "query")
      assert.deepEqual(err.dashboardValidationMessages, [
        { DataPath: "/widgets/0", Message: "Should have required property 'properties'" },
        { DataPath: "/widgets/0/width", Message: "Should be <= 24" },
      ]);
    await rejects(
      cw.send(new PutDashboardCommand({ DashboardName: unique("d"), DashboardBody: "not json" })),
      "InvalidParameterInput",
      /^The dashboard body is invalid, there are 1 validation errors:/,
    );
    await rejects(
      cw.send(new GetDashboardCommand({ DashboardName: "nope-nope" })),
      "ResourceNotFound",
      "Dashboard nope-nope does not exist",
    );
    const keep = unique("keep");
    await cw.send(new PutDashboardCommand({ DashboardName: keep, DashboardBody: BODY }));
    await rejects(
      cw.send(new DeleteDashboardsCommand({ DashboardNames: [keep, "nope-nope"] })),
      "ResourceNotFound",
      "The specified dashboard does not exist.",
    );
    assert.equal((await cw.send(new GetDashboardCommand({ DashboardName: keep }))).DashboardName, keep);
  });
}
