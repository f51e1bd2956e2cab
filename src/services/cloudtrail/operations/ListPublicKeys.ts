/**
 * ListPublicKeys: this region's digest signing keys whose validity overlaps [StartTime, EndTime] (each defaulting to
 * now), as base64 of the PKCS#1 DER (the codec encodes the blob) and the MD5 fingerprint (spec §4.5). The region's
 * current key is made on first use, so the list is never empty for a window reaching now.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListPublicKeys.html
 */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { serverFor } from "../state.js";

export const ListPublicKeys: Handler = async (input: { StartTime?: Date; EndTime?: Date; NextToken?: string }, ctx) => {
  const now = ctx.clock.now();
  const start = input.StartTime?.getTime() ?? now;
  const end = input.EndTime?.getTime() ?? now;
  if (start > end) throw awsError("InvalidTimeRangeException", "Start time must be before end time.");
  if (input.NextToken !== undefined) throw awsError("InvalidTokenException", "Invalid token.");
  const keys = serverFor(ctx.stores).keys;
  await keys.current(ctx.region, now);
  return {
    PublicKeyList: keys.list(ctx.region, start, end).map((k) => ({
      Value: k.der,
      ValidityStartTime: new Date(k.validityStart),
      ValidityEndTime: new Date(k.validityEnd),
      Fingerprint: k.fingerprint,
    })),
  };
};
