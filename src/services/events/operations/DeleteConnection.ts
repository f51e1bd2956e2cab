/** DeleteConnection: answers the connection in state DELETING (recorded); it is gone for the next call. */
import type { Handler } from "../../types.js";
import { connectionArn, requireConnection } from "../api-destinations/resources.js";

export const DeleteConnection: Handler = async (input, ctx) => {
  const c = await requireConnection(ctx.stores, ctx, input.Name, "delete");
  await ctx.stores.events.delete(ctx, "connection", "", c.name);
  return {
    ConnectionArn: connectionArn(ctx, c),
    ConnectionState: "DELETING",
    CreationTime: c.createdAt,
    LastModifiedTime: c.modifiedAt,
    LastAuthorizedTime: c.lastAuthorizedAt,
  };
};
