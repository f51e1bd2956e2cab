/**
 * Log group tags (TagResource, TagLogGroup, CreateLogGroup's tags): keys and values are checked against the model's
 * patterns and lengths by the codec; here are the rules the model cannot say. A resource has at most 50 tags
 * (TooManyTagsException: "A resource can have no more than 50 tags.", the model's documentation of the error), and
 * keys starting with `aws:` are reserved for AWS, as everywhere in AWS tagging.
 */
import { awsError } from "../../errors/index.js";
import type { LogsScope } from "../../storage/logs-store.js";
import { groupNameFromArn, parseLogsArn } from "./arns.js";
import { groupNotFound, invalidParameter } from "./errors.js";
import { invalidResourceArn } from "./validation.js";

export const MAX_TAGS = 50;

export function checkTagKeys(keys: Iterable<string>): void {
  for (const key of keys)
    if (key.toLowerCase().startsWith("aws:"))
      throw invalidParameter(`Tag keys starting with 'aws:' are reserved for AWS use: ${key}`);
}

/** The tags after merging `add`; throws when the result would have more than 50. */
export function mergeTags(
  current: Record<string, string>,
  add: Record<string, string>,
  tooMany: () => Error,
): Record<string, string> {
  const merged = { ...current, ...add };
  if (Object.keys(merged).length > MAX_TAGS) throw tooMany();
  return merged;
}

export const tooManyTags = (resourceArn: string) =>
  awsError("TooManyTagsException", "A resource can have no more than 50 tags.", 400, { resourceName: resourceArn });

export function withoutKeys(tags: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const out = { ...tags };
  for (const k of keys) delete out[k];
  return out;
}

/**
 * The log group a tagging `resourceArn` names. The bare group ARN is the only form for groups (the `:*` form is
 * "Invalid resourceArn", a ValidationException, as AWS answers it); destinations are taggable too but not implemented
 * yet, so none exists.
 */
export function taggedGroupName(scope: LogsScope, resourceArn: string): string {
  const arn = parseLogsArn(resourceArn);
  if (!arn) throw invalidResourceArn();
  if (arn.resourceType === "destination")
    throw awsError("ResourceNotFoundException", "The specified destination does not exist.");
  if (arn.resourceType !== "log-group" || arn.resource === "" || arn.resource.includes(":")) throw invalidResourceArn();
  const name = groupNameFromArn(scope, resourceArn);
  if (name === undefined) throw groupNotFound();
  return name;
}
