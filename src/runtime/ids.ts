/** Identifiers in the forms AWS uses. */
import { randomUUID, createHash } from "node:crypto";

export const requestId = (): string => randomUUID();
export const eventId = (): string => randomUUID();

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A stable IAM-style unique id (AIDA... for users) derived from a seed: same seed, same id. */
export function stableIamId(prefix: string, seed: string): string {
  const digest = createHash("sha256").update(seed).digest();
  let out = prefix;
  for (let i = 0; out.length < 21; i++) out += BASE32[digest[i]! % 32];
  return out;
}
