/** CreateConnection: the authorization an API destination uses (BASIC, API_KEY or OAUTH_CLIENT_CREDENTIALS). */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { checkAuth, connectionArn, initialState, newId, type ConnectionDoc } from "../api-destinations/resources.js";

export const CreateConnection: Handler = async (input, ctx) => {
  checkAuth(input.AuthorizationType, input.AuthParameters);
  const now = ctx.clock.now();
  const c: ConnectionDoc = {
    name: input.Name,
    id: newId(),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    authorizationType: input.AuthorizationType,
    auth: input.AuthParameters,
    state: initialState(input.AuthorizationType),
    createdAt: now,
    modifiedAt: now,
    lastAuthorizedAt: now,
  };
  if (!(await ctx.stores.events.create(ctx, "connection", "", c.name, c)))
    throw awsError("ResourceAlreadyExistsException", `Connection ${c.name} already exists.`);
  return { ConnectionArn: connectionArn(ctx, c), ConnectionState: c.state, CreationTime: now, LastModifiedTime: now };
};
