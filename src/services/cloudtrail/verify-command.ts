/** The `vigil verify-trail` command: resolves the trail, keys and source, runs verifyTrail, prints as the AWS CLI. */
import { cloudTrailCall, directorySource, keysFromFile, vigilSource, type Endpoint } from "./verify-sources.js";
import { verifyTrail } from "./verify.js";

export interface VerifyCommandOptions {
  trailArn: string;
  startTime: string;
  endTime?: string;
  dir?: string;
  publicKeys?: string;
  s3Bucket?: string;
  s3Prefix?: string;
  endpointUrl?: string;
  accessKeyId?: string;
  region?: string;
}

/** Returns the exit code: 0 all valid, 1 something invalid, 255 could not verify (as validate-logs). */
export async function runVerifyTrail(
  o: VerifyCommandOptions,
  write: (s: string, err: boolean) => unknown = (s, err) => (err ? process.stderr : process.stdout).write(s),
): Promise<number> {
  try {
    const start = Date.parse(o.startTime);
    const end = o.endTime ? Date.parse(o.endTime) : Date.now();
    if (Number.isNaN(start) || Number.isNaN(end)) throw new Error("start-time and end-time must be ISO-8601 times");
    if (start > end) throw new Error("Invalid time range specified: start-time must occur before end-time");
    const home = o.trailArn.split(":")[3] ?? "us-east-1";
    const ep: Endpoint | undefined = o.endpointUrl
      ? {
          url: o.endpointUrl,
          accessKeyId: o.accessKeyId ?? process.env.AWS_ACCESS_KEY_ID ?? "AKIAVIGILVERIFY00001",
          region: o.region ?? home,
        }
      : undefined;
    let bucket = o.s3Bucket;
    let prefix = o.s3Prefix;
    if (!bucket) {
      if (!ep) throw new Error("--s3-bucket is required without --endpoint-url");
      const trails = (await cloudTrailCall(ep, "DescribeTrails", {})) as {
        trailList: { TrailARN: string; S3BucketName: string; S3KeyPrefix?: string }[];
      };
      const t = trails.trailList.find((x) => x.TrailARN === o.trailArn);
      if (!t) throw new Error(`A trail could not be found for ${o.trailArn}`);
      bucket = t.S3BucketName;
      prefix = t.S3KeyPrefix;
    }
    let keys: Map<string, Buffer>;
    if (o.publicKeys) keys = keysFromFile(o.publicKeys);
    else if (ep) {
      const r = (await cloudTrailCall(ep, "ListPublicKeys", {
        StartTime: start / 1000,
        EndTime: end / 1000 + 7200,
      })) as {
        PublicKeyList: { Fingerprint: string; Value: string }[];
      };
      keys = new Map(r.PublicKeyList.map((k) => [k.Fingerprint, Buffer.from(k.Value, "base64")]));
    } else throw new Error("--public-keys is required without --endpoint-url");
    if (keys.size === 0) throw new Error(`No public keys found between ${o.startTime} and ${o.endTime ?? "now"}`);
    const source = o.dir ? directorySource(o.dir) : ep ? vigilSource(ep, bucket) : undefined;
    if (!source) throw new Error("give --dir or --endpoint-url");
    const r = await verifyTrail(source, {
      trailArn: o.trailArn,
      bucket,
      prefix,
      start,
      end,
      region: o.region,
      publicKeys: keys,
    });
    for (const line of r.err) write(line + "\n", true);
    for (const line of r.out) write(line + "\n", false);
    return r.digestsInvalid + r.logsInvalid > 0 ? 1 : 0;
  } catch (e) {
    write(`${(e as Error).message}\n`, true);
    return 255;
  }
}
