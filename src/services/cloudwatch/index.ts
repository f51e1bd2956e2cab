/**
 * CloudWatch metrics, alarms and dashboards (JSON 1.0, rpcv2Cbor and Query). metrics/ holds metrics, metric math and
 * dashboards; alarms/ holds alarms, composite alarms and their evaluation; engine-api.ts is the seam between them.
 */
import type { ServiceDef } from "../types.js";
import { alarmHandlers } from "./alarms/handlers.js";
import { metricHandlers } from "./metrics/handlers.js";

export const cloudwatch: ServiceDef = {
  name: "cloudwatch",
  signingName: "monitoring",
  eventSource: "monitoring.amazonaws.com",
  protocols: ["awsJson1_0", "rpcv2Cbor", "awsQuery"],
  validationErrorCode: "ValidationError",
  handlers: { ...metricHandlers, ...alarmHandlers },
  dataEvents: new Set(["PutMetricData", "GetMetricData", "GetMetricStatistics", "ListMetrics", "GetMetricWidgetImage"]),
  resourceMembers: {
    AlarmName: "AWS::CloudWatch::Alarm",
    AlarmNames: "AWS::CloudWatch::Alarm",
    DashboardName: "AWS::CloudWatch::Dashboard",
    DashboardNames: "AWS::CloudWatch::Dashboard",
  },
};
