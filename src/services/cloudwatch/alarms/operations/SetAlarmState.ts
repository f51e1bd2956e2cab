/**
 * SetAlarmState: sets an alarm's state for testing; a transition writes history and runs the new state's actions.
 * The next evaluation sets the state the data says. StateReasonData must be a JSON object.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
 */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";
import type { AlarmStateValue } from "../model.js";
import { alarmNotFound, engineOf, getAlarm } from "./common.js";

interface Input {
  AlarmName: string;
  StateValue: AlarmStateValue;
  StateReason: string;
  StateReasonData?: string;
}

export const SetAlarmState: Handler = async (input: Input, ctx) => {
  if (input.StateReasonData !== undefined) {
    let ok = false;
    try {
      const v = JSON.parse(input.StateReasonData);
      ok = typeof v === "object" && v !== null && !Array.isArray(v);
    } catch {
      ok = false;
    }
    if (!ok) throw awsError("InvalidFormat", "Invalid JSON in StateReasonData."); // assumed wording
  }
  const row = await getAlarm(ctx, input.AlarmName);
  if (!row) throw alarmNotFound();
  await engineOf(ctx).commit([
    { row, state: input.StateValue, reason: input.StateReason, reasonData: input.StateReasonData ?? null },
  ]);
  return {};
};
