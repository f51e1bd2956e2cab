/** ListConnections: by name, NamePrefix, ConnectionState, Limit/NextToken. */
import type { Handler } from "../../types.js";
import { connectionArn, type ConnectionDoc } from "../api-destinations/resources.js";
import { decodeToken, page } from "../resources.js";

export const ListConnections: Handler = async (input, ctx) => {
  const rows = await ctx.stores.events.list<ConnectionDoc>(ctx, "connection", {
    parent: "",
    prefix: input.NamePrefix,
    after: decodeToken(input.NextToken),
  });
  const all = rows.map((r) => r.doc).filter((c) => !input.ConnectionState || c.state === input.ConnectionState);
  const { items, next } = page(all, input.Limit, (c) => c.name);
  return {
    Connections: items.map((c) => ({
      ConnectionArn: connectionArn(ctx, c),
      Name: c.name,
      ConnectionState: c.state,
      AuthorizationType: c.authorizationType,
      CreationTime: c.createdAt,
      LastModifiedTime: c.modifiedAt,
      LastAuthorizedTime: c.lastAuthorizedAt,
    })),
    NextToken: next,
  };
};
