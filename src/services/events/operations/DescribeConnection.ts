/** DescribeConnection: a connection without its secrets (recorded shape). */
import type { Handler } from "../../types.js";
import { connectionArn, publicAuth, requireConnection, secretArn } from "../api-destinations/resources.js";

export const DescribeConnection: Handler = async (input, ctx) => {
  const c = await requireConnection(ctx.stores, ctx, input.Name, "describe");
  return {
    ConnectionArn: connectionArn(ctx, c),
    Name: c.name,
    Description: c.description,
    ConnectionState: c.state,
    AuthorizationType: c.authorizationType,
    SecretArn: secretArn(ctx, c),
    AuthParameters: publicAuth(c.auth),
    CreationTime: c.createdAt,
    LastModifiedTime: c.modifiedAt,
    LastAuthorizedTime: c.lastAuthorizedAt,
  };
};
