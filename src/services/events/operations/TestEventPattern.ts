/**
 * TestEventPattern: whether an event matches a pattern. The event must carry the envelope fields EventBridge
 * requires (id, account, source, time, region, detail-type), as the API reference says.
 */
import { awsError } from "../../../errors/index.js";
import { compilePattern } from "../../../event-patterns/index.js";
import type { Handler } from "../../types.js";

const REQUIRED = ["id", "account", "source", "time", "region", "detail-type"];

export const TestEventPattern: Handler = async (input) => {
  const pattern = compilePattern(input.EventPattern);
  let event: unknown;
  try {
    event = JSON.parse(input.Event);
  } catch {
    throw awsError("InvalidEventPatternException", "Event is not valid JSON.");
  }
  if (event === null || typeof event !== "object" || Array.isArray(event))
    throw awsError("ValidationException", "Parameter Event is not valid.");
  const missing = REQUIRED.filter((f) => !(f in event));
  // Assumption: AWS's wording, "Parameter Event is not valid." with the missing fields, as botocore users report it.
  if (missing.length > 0)
    throw awsError(
      "ValidationException",
      `Parameter Event is not valid. Reason: Event is missing ${missing.join(", ")}.`,
    );
  return { Result: pattern.matches(event) };
};
