/**
 * `aws logs tail` exists only in AWS CLI v2 (Debian's awscli package, /usr/bin/aws; .ci/run installs it). It pages
 * FilterLogEvents from `--since` and prints events interleaved across streams, which is what this checks.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { awsEnv, type Vigil } from "../helpers/vigil.js";
import { startLogsVigil } from "./metadata-helpers.js";
import { addStream, newStream, put } from "./events-helpers.js";

const CLI_V2 = "/usr/bin/aws";

let vigil: Vigil;
let logs: CloudWatchLogsClient;
before(async () => {
  vigil = await startLogsVigil();
  logs = vigil.client(CloudWatchLogsClient);
});
after(() => vigil.close());

test(
  "aws logs tail (CLI v2) prints a group's events across streams in time order",
  { skip: !existsSync(CLI_V2) && "AWS CLI v2 is not installed" },
  async () => {
    const a = await newStream(logs);
    const b = { group: a.group, stream: await addStream(logs, a.group) };
    const t = Date.now() - 60_000;
    await put(logs, a, [
      { timestamp: t, message: "first from a" },
      { timestamp: t + 2000, message: "third from a" },
    ]);
    await put(logs, b, [{ timestamp: t + 1000, message: "second from b" }]);
    const { stdout } = await promisify(execFile)(
      CLI_V2,
      ["logs", "tail", a.group, "--since", "10m", "--format", "short", "--endpoint-url", vigil.url],
      { env: { ...awsEnv(vigil.url), AWS_PAGER: "" }, timeout: 60_000 },
    );
    const lines = stdout.trim().split("\n");
    assert.deepEqual(
      lines.map((l) => l.replace(/^\S+\s+/, "")),
      ["first from a", "second from b", "third from a"],
    );
    assert.match(lines[0]!, new RegExp(`^${new Date(t).toISOString().slice(0, 19)}`));
  },
);
