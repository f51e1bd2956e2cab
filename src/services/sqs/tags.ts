/** Queue tags: TagQueue's rules (Amazon SQS Developer Guide, "Quotas related to queues": up to 50 tags a queue). */
import { invalidParameterValue } from "./errors.js";

export const MAX_TAGS = 50;

export function checkTags(
  tags: Record<string, string>,
  queueName: string,
  existing: Record<string, string> = {},
): void {
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128)
      throw invalidParameterValue(`Tag key ${k} must be between 1 and 128 characters.`);
    if (v.length > 256) throw invalidParameterValue(`Tag value for key ${k} must be at most 256 characters.`);
  }
  if (Object.keys({ ...existing, ...tags }).length > MAX_TAGS)
    throw invalidParameterValue(`Too many tags added for queue ${queueName}.`);
}
