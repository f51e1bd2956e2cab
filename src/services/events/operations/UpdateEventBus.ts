/** UpdateEventBus: description, KMS key, dead-letter and log configuration of a bus (default when Name is omitted). */
import type { Handler } from "../../types.js";
import { busArn, requireBus, DEFAULT_BUS } from "../resources.js";

export const UpdateEventBus: Handler = async (input, ctx) => {
  const name: string = input.Name ?? DEFAULT_BUS;
  const bus = await requireBus(ctx.stores, ctx, name, ctx.clock.now());
  if (input.Description !== undefined) bus.description = input.Description;
  if (input.KmsKeyIdentifier !== undefined) bus.kmsKeyIdentifier = input.KmsKeyIdentifier;
  if (input.DeadLetterConfig !== undefined) bus.deadLetterConfig = input.DeadLetterConfig;
  if (input.LogConfig !== undefined) bus.logConfig = input.LogConfig;
  bus.modifiedAt = ctx.clock.now();
  await ctx.stores.events.put(ctx, "bus", "", name, bus);
  return {
    Arn: busArn(ctx, name),
    Name: name,
    Description: bus.description,
    KmsKeyIdentifier: bus.kmsKeyIdentifier,
    DeadLetterConfig: bus.deadLetterConfig,
    LogConfig: bus.logConfig,
  };
};
