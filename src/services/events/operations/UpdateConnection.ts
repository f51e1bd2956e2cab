/** UpdateConnection: description, authorization type and parameters (given members replace the old ones). */
import type { Handler } from "../../types.js";
import {
  checkAuth,
  connectionArn,
  initialState,
  requireConnection,
  type AuthParams,
} from "../api-destinations/resources.js";

export const UpdateConnection: Handler = async (input, ctx) => {
  const c = await requireConnection(ctx.stores, ctx, input.Name, "update");
  if (input.Description !== undefined) c.description = input.Description;
  if (input.AuthorizationType !== undefined) c.authorizationType = input.AuthorizationType;
  if (input.AuthParameters !== undefined) {
    const merged: AuthParams = { ...c.auth };
    for (const [k, v] of Object.entries(input.AuthParameters as AuthParams)) {
      const old = (c.auth as Record<string, unknown>)[k];
      (merged as Record<string, unknown>)[k] =
        old && typeof old === "object" && v && typeof v === "object" ? { ...old, ...v } : v;
    }
    c.auth = merged;
  }
  checkAuth(c.authorizationType, c.auth);
  c.state = initialState(c.authorizationType);
  c.modifiedAt = ctx.clock.now();
  await ctx.stores.events.put(ctx, "connection", "", c.name, c);
  return {
    ConnectionArn: connectionArn(ctx, c),
    ConnectionState: c.state,
    CreationTime: c.createdAt,
    LastModifiedTime: c.modifiedAt,
    LastAuthorizedTime: c.lastAuthorizedAt,
  };
};
