/**
 * Digest files (spec cloudtrail.md §4): every digest interval, each trail with log file validation writes, per
 * source region, a signed digest listing the log files delivered since the previous digest of that region (an empty
 * list when none), chained through previousDigest*. A chain starts (previous* null) when logging starts or validation
 * is enabled, and a final digest closes it when logging stops.
 */
import { internal } from "../internal.js";
import type { Stores } from "../../storage/types.js";
import { cloudTrailPublisher } from "./checks.js";
import { digestBody, digestKey, gzip, isoSeconds, type DigestFile } from "./formats.js";
import type { KeyRing } from "./keys.js";
import { sha256Hex, signHex, stringToSign } from "./signing.js";
import { readState, withTrailLock } from "./state.js";
import { parseConfig } from "./trail.js";

export async function digestTrail(stores: Stores, keys: KeyRing, arn: string, now: number): Promise<void> {
  await withTrailLock(stores, arn, async () => {
    const stored = await stores.trails.get(arn);
    if (!stored) return;
    const t = parseConfig(stored);
    const { logging, state } = await readState(stores, arn);
    const save = () => stores.trails.putState(arn, logging, JSON.stringify(state));
    if (!t.cfg.LogFileValidationEnabled) {
      if (state.undigested.length || state.finalDigest) {
        state.undigested = [];
        state.chains = {};
        state.finalDigest = false;
        await save();
      }
      return;
    }
    if (!logging && !state.finalDigest) return;
    const regions = new Set([t.region, ...Object.keys(state.chains), ...state.undigested.map((f) => f.region)]);
    const put = internal(stores).s3PutObject;
    for (const region of [...regions].sort()) {
      const chain = state.chains[region];
      const start = chain?.end ?? state.digestFrom ?? state.startLoggingTime ?? now;
      if (start >= now) continue;
      const files = state.undigested.filter((f) => f.region === region && f.at <= now);
      const key = digestKey(t.cfg.S3KeyPrefix, t.account, region, t.name, t.region, now);
      const signing = await keys.current(region, now);
      const digest: DigestFile = {
        awsAccountId: t.account,
        digestStartTime: isoSeconds(start),
        digestEndTime: isoSeconds(now),
        digestS3Bucket: t.cfg.S3BucketName,
        digestS3Object: key,
        digestPublicKeyFingerprint: signing.fingerprint,
        digestSignatureAlgorithm: "SHA256withRSA",
        newestEventTime: files.length
          ? files
              .map((f) => f.newest)
              .sort()
              .pop()!
          : null,
        oldestEventTime: files.length ? files.map((f) => f.oldest).sort()[0] : null,
        previousDigestS3Bucket: chain?.key ? chain.bucket! : null,
        previousDigestS3Object: chain?.key ?? null,
        previousDigestHashValue: chain?.key ? chain.hash! : null,
        previousDigestHashAlgorithm: chain?.key ? "SHA-256" : null,
        previousDigestSignature: chain?.key ? chain.signature! : null,
        logFiles: files.map((f) => ({
          s3Bucket: f.bucket,
          s3Object: f.key,
          hashValue: f.hash,
          hashAlgorithm: "SHA-256",
          newestEventTime: f.newest,
          oldestEventTime: f.oldest,
        })),
      };
      const body = digestBody(digest);
      const hash = sha256Hex(body);
      const signature = signHex(
        signing.privateKey,
        stringToSign(digest.digestEndTime, t.cfg.S3BucketName, key, hash, digest.previousDigestSignature),
      );
      try {
        if (!put) throw Object.assign(new Error("S3 is not available"), { code: "NoSuchBucket" });
        await put(
          {
            bucket: t.cfg.S3BucketName,
            key,
            body: gzip(body),
            contentType: "application/json",
            contentEncoding: "gzip",
            metadata: { signature, "signature-algorithm": "SHA256withRSA" },
          },
          cloudTrailPublisher(t.account, t.arn),
        );
      } catch (e) {
        state.latestDigestDeliveryError = (e as { code?: string }).code ?? (e as Error).message;
        await save();
        return;
      }
      state.chains[region] = { end: now, bucket: t.cfg.S3BucketName, key, signature, hash };
      const covered = new Set(files.map((f) => f.key));
      state.undigested = state.undigested.filter((f) => !covered.has(f.key));
      state.latestDigestDeliveryTime = now;
      state.latestDigestDeliveryError = undefined;
    }
    if (state.finalDigest && !logging) {
      // The chain is broken until logging resumes (spec §4.6).
      state.finalDigest = false;
      state.chains = {};
      state.digestFrom = undefined;
    }
    await save();
  });
}
