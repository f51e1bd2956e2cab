/**
 * nextToken for the Describe operations: opaque to the caller, and valid only for the query it was issued for (the
 * same scope and filters; `limit` may change between pages, as AWS allows). The token carries the keyset cursor and a
 * fingerprint of the query; anything else, or a token of another query, is "The specified nextToken is invalid.".
 */
import { createHash } from "node:crypto";
import { invalidNextToken } from "./errors.js";

const fingerprint = (query: unknown): string =>
  createHash("sha256").update(JSON.stringify(query)).digest("base64url").slice(0, 22);

export function encodePageToken(query: unknown, cursor: unknown): string {
  return Buffer.from(JSON.stringify([fingerprint(query), cursor])).toString("base64url");
}

/** The cursor a token carries, checked with `isCursor`; throws InvalidParameterException for any other token. */
export function decodePageToken<T>(token: string, query: unknown, isCursor: (c: unknown) => c is T): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalidNextToken();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== fingerprint(query) || !isCursor(parsed[1]))
    throw invalidNextToken();
  return parsed[1];
}
