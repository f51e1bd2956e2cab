/** A fake of the S3 internal entries (s3CanWrite / s3PutObject) for trail tests that do not need real S3. */
import type { Publisher, ServiceObjectWrite } from "../../src/services/internal.js";
import { internal } from "../../src/services/internal.js";
import type { Stores } from "../../src/storage/types.js";

export interface FakeS3 {
  objects: Map<string, ServiceObjectWrite>;
  /** bucket -> "ok" | "AccessDenied"; absent buckets do not exist. */
  buckets: Map<string, "ok" | "AccessDenied">;
  calls: { bucket: string; key: string; publisher: Publisher }[];
  /** Makes the next writes fail (crash simulation). */
  failWrites?: number;
}

export function installFakeS3(stores: Stores): FakeS3 {
  const fake: FakeS3 = { objects: new Map(), buckets: new Map(), calls: [] };
  const entries = internal(stores);
  entries.s3CanWrite = async (bucket, key, publisher) => {
    fake.calls.push({ bucket, key, publisher });
    return fake.buckets.get(bucket) ?? "NoSuchBucket";
  };
  entries.s3PutObject = async (write, publisher) => {
    fake.calls.push({ bucket: write.bucket, key: write.key, publisher });
    const state = fake.buckets.get(write.bucket);
    if (!state) throw Object.assign(new Error("The specified bucket does not exist"), { code: "NoSuchBucket" });
    if (state === "AccessDenied") throw Object.assign(new Error("Access Denied"), { code: "AccessDenied" });
    if (fake.failWrites && fake.failWrites > 0) {
      fake.failWrites--;
      throw Object.assign(new Error("injected"), { code: "InternalError" });
    }
    fake.objects.set(`${write.bucket}/${write.key}`, write);
    return { etag: '"x"' };
  };
  return fake;
}
