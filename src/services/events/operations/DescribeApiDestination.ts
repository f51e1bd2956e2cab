/** DescribeApiDestination. */
import type { Handler } from "../../types.js";
import {
  connectionByArn,
  destinationArn,
  destinationState,
  requireDestination,
} from "../api-destinations/resources.js";

export const DescribeApiDestination: Handler = async (input, ctx) => {
  const d = await requireDestination(ctx.stores, ctx, input.Name, "describe");
  return {
    ApiDestinationArn: destinationArn(ctx, d),
    Name: d.name,
    Description: d.description,
    ApiDestinationState: destinationState(await connectionByArn(ctx.stores, ctx, d.connectionArn)),
    ConnectionArn: d.connectionArn,
    InvocationEndpoint: d.invocationEndpoint,
    HttpMethod: d.httpMethod,
    InvocationRateLimitPerSecond: d.rateLimit,
    CreationTime: d.createdAt,
    LastModifiedTime: d.modifiedAt,
  };
};
