/** GetCallerIdentity: who the credentials belong to. In dev mode the identity is derived from the access key (see gateway/identity.ts). */
import type { Handler } from "../../types.js";

export const GetCallerIdentity: Handler = (_input, ctx) => ({
  UserId: ctx.identity.principalId,
  Account: ctx.identity.account,
  Arn: ctx.identity.arn,
});
