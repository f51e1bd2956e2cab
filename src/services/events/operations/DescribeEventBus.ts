/** DescribeEventBus: by name or ARN (default bus when omitted), with its resource policy. */
import type { Handler } from "../../types.js";
import { busArn, DEFAULT_BUS, ensureDefaultBus, requireBus, resolveBus } from "../resources.js";

export const DescribeEventBus: Handler = async (input, ctx) => {
  const ref = resolveBus(ctx, input.Name);
  const own = ref.account === ctx.account && ref.region === ctx.region;
  const bus =
    own && ref.name === DEFAULT_BUS
      ? await ensureDefaultBus(ctx.stores, ref, ctx.clock.now())
      : await requireBus(ctx.stores, ref, ref.name, ctx.clock.now());
  return {
    Name: bus.name,
    Arn: busArn(ref, bus.name),
    Description: bus.description,
    KmsKeyIdentifier: bus.kmsKeyIdentifier,
    DeadLetterConfig: bus.deadLetterConfig,
    Policy: bus.policy,
    LogConfig: bus.logConfig,
    CreationTime: bus.createdAt,
    LastModifiedTime: bus.modifiedAt,
  };
};
