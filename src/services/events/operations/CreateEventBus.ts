/** CreateEventBus: a custom bus in the caller's account and region (names are unique there; `default` always exists). */
import { awsError } from "../../../errors/index.js";
import type { Handler } from "../../types.js";
import { busArn, DEFAULT_BUS, type BusDoc } from "../resources.js";

export const CreateEventBus: Handler = async (input, ctx) => {
  const name: string = input.Name;
  // Partner buses (aws.partner/...) come with an EventSourceName; custom bus names carry no '/'.
  if (name.includes("/") && !input.EventSourceName)
    throw awsError("ValidationException", "Event bus name must not contain '/'.");
  const exists = () => awsError("ResourceAlreadyExistsException", `Event bus ${name} already exists.`);
  if (name === DEFAULT_BUS) throw exists();
  const now = ctx.clock.now();
  const doc: BusDoc = {
    name,
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: input.KmsKeyIdentifier } : {}),
    ...(input.DeadLetterConfig !== undefined ? { deadLetterConfig: input.DeadLetterConfig } : {}),
    ...(input.LogConfig !== undefined ? { logConfig: input.LogConfig } : {}),
    tags: input.Tags ?? [],
    createdAt: now,
    modifiedAt: now,
  };
  if (!(await ctx.stores.events.create(ctx, "bus", "", name, doc))) throw exists();
  return {
    EventBusArn: busArn(ctx, name),
    Description: doc.description,
    KmsKeyIdentifier: doc.kmsKeyIdentifier,
    DeadLetterConfig: doc.deadLetterConfig,
    LogConfig: doc.logConfig,
  };
};
