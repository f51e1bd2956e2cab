/** ListQueues' and ListDeadLetterSourceQueues' pages: up to MaxResults (1 to 1,000) after an opaque NextToken. */
import { invalidParameter, invalidParameterValue } from "./errors.js";

export const MAX_LIST = 1000;

export interface Page {
  limit: number;
  after?: string;
  /** Whether a NextToken is answered when more follow (only when MaxResults was given, as AWS does). */
  paged: boolean;
}

export function pageOf(maxResults: number | undefined, nextToken: string | undefined): Page {
  if (maxResults !== undefined && (maxResults < 1 || maxResults > MAX_LIST))
    throw invalidParameter("MaxResults", maxResults, `MaxResults must be an integer between 1 and ${MAX_LIST}.`);
  let after: string | undefined;
  if (nextToken !== undefined) {
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(nextToken) ? Buffer.from(nextToken, "base64").toString("utf8") : "";
    if (!decoded.startsWith("q:")) throw invalidParameterValue("Invalid NextToken value.");
    after = decoded.slice(2);
  }
  return { limit: maxResults ?? MAX_LIST, after, paged: maxResults !== undefined };
}

export const nextTokenAfter = (name: string): string => Buffer.from(`q:${name}`, "utf8").toString("base64");
