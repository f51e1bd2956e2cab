/** UpdateApiDestination: the given members replace the old ones. */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import {
  connectionByArn,
  destinationArn,
  destinationState,
  requireDestination,
} from "../api-destinations/resources.js";

export const UpdateApiDestination: Handler = async (input, ctx) => {
  const d = await requireDestination(ctx.stores, ctx, input.Name, "update");
  if (input.ConnectionArn !== undefined) {
    if (!(await connectionByArn(ctx.stores, ctx, input.ConnectionArn)))
      throw awsError("ResourceNotFoundException", `Connection '${input.ConnectionArn}' does not exist.`);
    d.connectionArn = input.ConnectionArn;
  }
  if (input.Description !== undefined) d.description = input.Description;
  if (input.InvocationEndpoint !== undefined) d.invocationEndpoint = input.InvocationEndpoint;
  if (input.HttpMethod !== undefined) d.httpMethod = input.HttpMethod;
  if (input.InvocationRateLimitPerSecond !== undefined) d.rateLimit = input.InvocationRateLimitPerSecond;
  d.modifiedAt = ctx.clock.now();
  await ctx.stores.events.put(ctx, "destination", "", d.name, d);
  return {
    ApiDestinationArn: destinationArn(ctx, d),
    ApiDestinationState: destinationState(await connectionByArn(ctx.stores, ctx, d.connectionArn)),
    CreationTime: d.createdAt,
    LastModifiedTime: d.modifiedAt,
  };
};
