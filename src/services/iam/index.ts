/** IAM (Query): operations arrive with their issue; until then every operation answers NotImplemented. */
import type { ServiceDef } from "../types.js";

export const iam: ServiceDef = {
  name: "iam",
  signingName: "iam",
  eventSource: "iam.amazonaws.com",
  protocols: ["awsQuery"],
  validationErrorCode: "ValidationError",
  handlers: {},
  resourceMembers: {
    UserName: "AWS::IAM::User",
    RoleName: "AWS::IAM::Role",
    PolicyArn: "AWS::IAM::Policy",
    GroupName: "AWS::IAM::Group",
  },
  global: true,
};
