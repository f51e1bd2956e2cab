/** The cheapest signed call there is: measures the request pipeline itself (routing, auth, codec, audit record). */
import { getCallerIdentity } from "../lib/aws.js";
import { throughputWorkload } from "../lib/throughput.js";

export const stsGetCallerIdentity = throughputWorkload({
  name: "sts-get-caller-identity",
  title: "Cheap call throughput: sts:GetCallerIdentity",
  description:
    "`sts:GetCallerIdentity` as the AWS CLI sends it (Query protocol, form-encoded POST, SigV4-signed), from " +
    "concurrent closed-loop clients on keep-alive connections. Every call Vigil answers is also recorded in its " +
    "CloudTrail event history.",
  request: getCallerIdentity,
});
