/** NextToken of SNS's lists: the last ARN of the page, base64 (opaque to clients). */
import { invalidParameter } from "./errors.js";

export const encodeToken = (arn: string) => Buffer.from(arn, "utf8").toString("base64url");

export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const arn = Buffer.from(token, "base64url").toString("utf8");
  if (!arn.startsWith("arn:")) throw invalidParameter("NextToken");
  return arn;
}
