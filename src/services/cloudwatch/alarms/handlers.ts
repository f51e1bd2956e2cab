/** CloudWatch alarm, composite alarm and anomaly detector operations; one file each under operations/. */
import type { Handler } from "../../types.js";
import { DisableAlarmActions, EnableAlarmActions } from "./operations/AlarmActions.js";
import { DeleteAnomalyDetector, DescribeAnomalyDetectors, PutAnomalyDetector } from "./operations/AnomalyDetectors.js";
import { DeleteAlarms } from "./operations/DeleteAlarms.js";
import { DescribeAlarmHistory } from "./operations/DescribeAlarmHistory.js";
import { DescribeAlarms } from "./operations/DescribeAlarms.js";
import { DescribeAlarmsForMetric } from "./operations/DescribeAlarmsForMetric.js";
import { PutCompositeAlarm } from "./operations/PutCompositeAlarm.js";
import { PutMetricAlarm } from "./operations/PutMetricAlarm.js";
import { SetAlarmState } from "./operations/SetAlarmState.js";
import { ListTagsForResource, TagResource, UntagResource } from "./operations/Tags.js";

export const alarmHandlers: Record<string, Handler> = {
  PutMetricAlarm,
  PutCompositeAlarm,
  DescribeAlarms,
  DescribeAlarmsForMetric,
  DeleteAlarms,
  SetAlarmState,
  EnableAlarmActions,
  DisableAlarmActions,
  DescribeAlarmHistory,
  TagResource,
  UntagResource,
  ListTagsForResource,
  PutAnomalyDetector,
  DescribeAnomalyDetectors,
  DeleteAnomalyDetector,
};
