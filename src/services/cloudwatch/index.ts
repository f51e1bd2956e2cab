/** CloudWatch metrics, alarms and dashboards (JSON 1.0, rpcv2Cbor and Query): operations arrive with their issue; until then every operation answers NotImplemented. */
import type { ServiceDef } from "../types.js";

export const cloudwatch: ServiceDef = {
  name: "cloudwatch",
  signingName: "monitoring",
  eventSource: "monitoring.amazonaws.com",
  protocols: ["awsJson1_0", "rpcv2Cbor", "awsQuery"],
  validationErrorCode: "ValidationError",
  handlers: {},
  dataEvents: new Set(["PutMetricData", "GetMetricData", "GetMetricStatistics", "ListMetrics", "GetMetricWidgetImage"]),
  resourceMembers: {
    AlarmName: "AWS::CloudWatch::Alarm",
    AlarmNames: "AWS::CloudWatch::Alarm",
    DashboardName: "AWS::CloudWatch::Dashboard",
    DashboardNames: "AWS::CloudWatch::Dashboard",
  },
};
