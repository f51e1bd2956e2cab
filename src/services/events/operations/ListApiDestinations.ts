/** ListApiDestinations: by name, NamePrefix, ConnectionArn, Limit/NextToken. */
import type { Handler } from "../../types.js";
import {
  connectionByArn,
  destinationArn,
  destinationState,
  type DestinationDoc,
} from "../api-destinations/resources.js";
import { decodeToken, page } from "../resources.js";

export const ListApiDestinations: Handler = async (input, ctx) => {
  const rows = await ctx.stores.events.list<DestinationDoc>(ctx, "destination", {
    parent: "",
    prefix: input.NamePrefix,
    after: decodeToken(input.NextToken),
  });
  const all = rows.map((r) => r.doc).filter((d) => !input.ConnectionArn || d.connectionArn === input.ConnectionArn);
  const { items, next } = page(all, input.Limit, (d) => d.name);
  const out = [];
  for (const d of items)
    out.push({
      ApiDestinationArn: destinationArn(ctx, d),
      Name: d.name,
      ApiDestinationState: destinationState(await connectionByArn(ctx.stores, ctx, d.connectionArn)),
      ConnectionArn: d.connectionArn,
      InvocationEndpoint: d.invocationEndpoint,
      HttpMethod: d.httpMethod,
      InvocationRateLimitPerSecond: d.rateLimit,
      CreationTime: d.createdAt,
      LastModifiedTime: d.modifiedAt,
    });
  return { ApiDestinations: out, NextToken: next };
};
