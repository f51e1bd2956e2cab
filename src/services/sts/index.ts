/** STS (Query): GetCallerIdentity answers from the dev-mode identity; the rest arrives with secure mode. */
import type { ServiceDef } from "../types.js";
import { GetCallerIdentity } from "./operations/GetCallerIdentity.js";

export const sts: ServiceDef = {
  name: "sts",
  signingName: "sts",
  eventSource: "sts.amazonaws.com",
  protocols: ["awsQuery"],
  validationErrorCode: "ValidationError",
  handlers: { GetCallerIdentity },
};
