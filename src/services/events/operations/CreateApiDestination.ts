/** CreateApiDestination: an HTTP endpoint invoked through a connection, at most InvocationRateLimitPerSecond (default 300). */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import {
  connectionByArn,
  destinationArn,
  destinationState,
  newId,
  type DestinationDoc,
} from "../api-destinations/resources.js";

export const DEFAULT_RATE_LIMIT = 300;

export const CreateApiDestination: Handler = async (input, ctx) => {
  const connection = await connectionByArn(ctx.stores, ctx, input.ConnectionArn);
  if (!connection) throw awsError("ResourceNotFoundException", `Connection '${input.ConnectionArn}' does not exist.`);
  const now = ctx.clock.now();
  const d: DestinationDoc = {
    name: input.Name,
    id: newId(),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    connectionArn: input.ConnectionArn,
    invocationEndpoint: input.InvocationEndpoint,
    httpMethod: input.HttpMethod,
    rateLimit: input.InvocationRateLimitPerSecond ?? DEFAULT_RATE_LIMIT,
    createdAt: now,
    modifiedAt: now,
  };
  if (!(await ctx.stores.events.create(ctx, "destination", "", d.name, d)))
    throw awsError("ResourceAlreadyExistsException", `An api-destination '${d.name}' already exists.`);
  return {
    ApiDestinationArn: destinationArn(ctx, d),
    ApiDestinationState: destinationState(connection),
    CreationTime: now,
    LastModifiedTime: now,
  };
};
