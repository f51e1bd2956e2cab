/**
 * Bucket naming rules for general purpose buckets
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html) and the object key limit.
 */
import { awsError } from "../../errors/index.js";
import { invalidBucketName } from "./errors.js";

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Why a name breaks the rules, or undefined when it follows them. */
export function bucketNameProblem(name: string): string | undefined {
  // 3 to 63 characters; lower-case letters, digits, dots and hyphens; a letter or digit at both ends.
  if (name.length < 3 || name.length > 63) return "length";
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return "characters";
  if (name.includes("..")) return "adjacent periods";
  // Dots next to hyphens make invalid DNS labels.
  if (name.includes(".-") || name.includes("-.")) return "dot next to hyphen";
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return "IP address";
  if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) return "reserved prefix";
  if (RESERVED_SUFFIXES.some((s) => name.endsWith(s))) return "reserved suffix";
  return undefined;
}

/** CreateBucket checks every rule; other operations on an unknown bad name answer NoSuchBucket, as S3 does. */
export function checkBucketName(name: string): void {
  if (bucketNameProblem(name) !== undefined) throw invalidBucketName(name);
}

/** Object keys are at most 1024 bytes of UTF-8 (KeyTooLongError). */
export const MAX_KEY_BYTES = 1024;

export function checkKey(key: string): void {
  const size = Buffer.byteLength(key, "utf8");
  if (size > MAX_KEY_BYTES) {
    throw awsError("KeyTooLongError", "Your key is too long", 400, { Size: size, MaxSizeAllowed: MAX_KEY_BYTES });
  }
}
