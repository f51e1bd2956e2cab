/**
 * cloudtrail:LookupEvents with MaxResults 1: the newest event of the history, which under this load keeps growing
 * (every call is itself recorded). moto_server 5.2 does not implement LookupEvents (it answers HTTP 500), so only
 * Vigil's rows have numbers.
 */
import { jsonRequest } from "../lib/aws.js";
import { throughputWorkload } from "../lib/throughput.js";

export const cloudtrailLookupEvents = throughputWorkload({
  name: "cloudtrail-lookup-events",
  title: "CloudTrail LookupEvents throughput",
  description:
    '`cloudtrail:LookupEvents` with `{"MaxResults":1}` (JSON 1.1, ' +
    "`X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`, SigV4-signed), from " +
    "concurrent closed-loop clients on keep-alive connections. The event history grows by one event per call.",
  request: (host) =>
    jsonRequest(host, "cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", "1.1", {
      MaxResults: 1,
    }),
});
