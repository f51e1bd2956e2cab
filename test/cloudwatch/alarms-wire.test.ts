/** Alarm operations on each of CloudWatch's three protocols, through boto3 forced onto JSON 1.0, Query and CBOR. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { awsEnv, python, unique, type Vigil } from "../helpers/vigil.js";
import { BOTO_PROTOCOLS, modelVariant, startAlarmsVigil } from "./alarms-helpers.js";

let vigil: Vigil;
before(async () => (vigil = await startAlarmsVigil()));
after(() => vigil.close());

for (const protocol of BOTO_PROTOCOLS) {
  test(`boto3 manages alarms over ${protocol}`, async () => {
    const name = unique(`wire-${protocol}`);
    const out = await python(
      `
import boto3, json
cw = boto3.client("cloudwatch")
assert cw.meta.service_model.resolved_protocol == ${JSON.stringify(protocol)}
name = ${JSON.stringify(name)}
def err(f):
    try:
        f()
    except cw.exceptions.ClientError as e:
        # AWS's Query answer has no Message element at all when the message is empty; JSON and CBOR send "".
        return [e.response["Error"]["Code"], e.response["Error"].get("Message") or "", e.response["ResponseMetadata"]["HTTPStatusCode"]]
cw.put_metric_alarm(AlarmName=name, AlarmDescription="<", MetricName="m", Namespace="Vigil/Wire", Statistic="Average",
    Dimensions=[{"Name": "InstanceId", "Value": "abc"}], Period=10, Unit="Seconds", EvaluationPeriods=1, Threshold=21.5,
    ComparisonOperator="GreaterThanThreshold", TreatMissingData="ignore", Tags=[{"Key": "k", "Value": "v"}])
a = cw.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]
cw.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="testing alarm", StateReasonData='{"a": 1}')
b = cw.describe_alarms(AlarmNames=[name], StateValue="ALARM")["MetricAlarms"][0]
h = cw.describe_alarm_history(AlarmName=name, HistoryItemType="StateUpdate")["AlarmHistoryItems"]
tags = cw.list_tags_for_resource(ResourceARN=a["AlarmArn"])["Tags"]
print(json.dumps({
  "a": {k: a[k] for k in ["AlarmDescription", "Threshold", "Period", "Unit", "TreatMissingData", "StateValue", "Dimensions"]},
  "ts": a["StateUpdatedTimestamp"].isoformat(),
  "b": [b["StateValue"], b["StateReason"], json.loads(b["StateReasonData"])],
  "h": [json.loads(x["HistoryData"]) for x in h],
  "tags": tags,
  "missing": err(lambda: cw.set_alarm_state(AlarmName="nope-" + name, StateValue="OK", StateReason="r")),
  "invalid": err(lambda: cw.put_metric_alarm(AlarmName=name, MetricName="m", Namespace="n", Statistic="Sum", Period=45, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold")),
  "math": err(lambda: cw.put_metric_alarm(AlarmName=name, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold",
      Metrics=[{"Id": "a", "Expression": "1", "ReturnData": False}, {"Id": "b", "Expression": "2", "ReturnData": False}])),
}))
`,
      { ...awsEnv(vigil.url), AWS_DATA_PATH: modelVariant(protocol) },
    );
    const r = JSON.parse(out);
    assert.deepEqual(r.a, {
      AlarmDescription: "<",
      Threshold: 21.5,
      Period: 10,
      Unit: "Seconds",
      TreatMissingData: "ignore",
      StateValue: "INSUFFICIENT_DATA",
      Dimensions: [{ Name: "InstanceId", Value: "abc" }],
    });
    assert.equal(r.ts, "2026-11-23T10:00:00+00:00");
    assert.deepEqual(r.b, ["ALARM", "testing alarm", { a: 1 }]);
    assert.deepEqual(r.h, [
      {
        version: "1.0",
        oldState: { stateValue: "INSUFFICIENT_DATA", stateReason: "Unchecked: Initial alarm creation" },
        newState: { stateValue: "ALARM", stateReason: "testing alarm", stateReasonData: { a: 1 } },
      },
    ]);
    assert.deepEqual(r.tags, [{ Key: "k", Value: "v" }]);
    assert.deepEqual(r.missing, ["ResourceNotFound", "", 404]);
    assert.deepEqual(r.invalid, [
      "ValidationError",
      "The parameter Period must be 10, 20, 30 or a multiple of 60.",
      400,
    ]);
    assert.deepEqual(r.math, ["ValidationError", "Exactly one element of the metrics list should return data.", 400]);
  });
}
