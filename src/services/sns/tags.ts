/** Topic tags: at most 50, keys 1-128 and values 0-256 characters, no duplicate keys (TagResource API reference). */
import { invalidParameter } from "./errors.js";

export const MAX_TAGS = 50;

export function checkTags(tags: { Key: string; Value: string }[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    if (seen.has(t.Key)) throw invalidParameter("Duplicated keys are not allowed.");
    seen.add(t.Key);
  }
}

export const tagMap = (tags: { Key: string; Value: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value ?? ""]));

export const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
