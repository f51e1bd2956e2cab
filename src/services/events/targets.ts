/**
 * Delivering one event to one target (the events.target delivery kind) and dead-lettering it (events.dlq), by the
 * target ARN's service: SQS queues, SNS topics, CloudWatch Logs log groups, event buses (same or another account or
 * region) and API destinations. Other services Vigil does not run (Lambda, Kinesis, Firehose, ...) fail permanently,
 * as a target that does not exist does on AWS. Error codes in the dead-letter attributes follow "Using dead-letter
 * queues to process undelivered events" (RESOURCE_NOT_FOUND, NO_PERMISSIONS, SDK_CLIENT_ERROR, ...).
 */
import {
  delivered,
  permanent,
  retryable,
  type DeadLetterEvent,
  type Delivery,
  type Outcome,
} from "../../delivery/index.js";
import { isAwsError } from "../../errors/index.js";
import type { Stores } from "../../storage/types.js";
import { internal, type Publisher } from "../internal.js";
import { sendToApiDestination } from "./api-destinations/send.js";
import { canPutEvents } from "./permissions.js";
import { findBus } from "./resources.js";
import { routeEvents, type DeadLetterTarget, type Envelope, type TargetDelivery } from "./dispatch.js";
import type { EventsEnv } from "./state.js";

const ARN = /^arn:aws[\w-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/;

export function parseArn(
  arn: string,
): { service: string; region: string; account: string; resource: string } | undefined {
  const m = ARN.exec(arn);
  return m ? { service: m[1]!, region: m[2]!, account: m[3]!, resource: m[4]! } : undefined;
}

const notFound = (what: string) => permanent("RESOURCE_NOT_FOUND", what);

function fromAwsError(err: unknown): Outcome {
  if (!isAwsError(err)) return retryable("INTERNAL_ERROR", String(err));
  if (/NotFound|NonExistent/i.test(err.code)) return notFound(err.message);
  if (/Authorization|AccessDenied/i.test(err.code)) return permanent("NO_PERMISSIONS", err.message);
  if (err.httpStatus >= 500 || /Throttl/i.test(err.code)) return retryable("THROTTLING", err.message);
  return permanent("SDK_CLIENT_ERROR", err.message);
}

export async function sendToTarget(env: EventsEnv, d: Delivery<TargetDelivery>, signal: AbortSignal): Promise<Outcome> {
  const { stores } = env.deps;
  const t = d.target;
  const arn = parseArn(t.arn);
  const payload = d.payload.toString("utf8");
  const publisher: Publisher = {
    account: t.account,
    service: "events.amazonaws.com",
    sourceArn: t.ruleArn,
    sourceAccount: t.account,
  };
  if (!arn) return notFound(`Target ${t.arn} does not exist.`);
  try {
    switch (arn.service) {
      case "sqs": {
        const send = internal(stores).sqsSend;
        if (!send) return retryable("SERVICE_UNAVAILABLE", "SQS is not available.");
        const fifo = t.arn.endsWith(".fifo");
        const id = await send(
          t.arn,
          {
            MessageBody: payload,
            // FIFO: the target's message group; the event id deduplicates retries of the same delivery.
            ...(fifo ? { MessageGroupId: t.messageGroupId, MessageDeduplicationId: t.eventId } : {}),
          },
          publisher,
        );
        return id === undefined ? notFound(`Queue ${t.arn} does not exist.`) : delivered;
      }
      case "sns": {
        const publish = internal(stores).snsPublish;
        // SNS is written concurrently by another part of Vigil: until it is installed, retry.
        if (!publish) return retryable("SERVICE_UNAVAILABLE", "SNS is not available.");
        await publish(t.arn, { message: payload }, publisher);
        return delivered;
      }
      case "logs": {
        const put = internal(stores).putLogEvents;
        if (!put) return retryable("SERVICE_UNAVAILABLE", "CloudWatch Logs is not available.");
        const m = /^log-group:(.+?)(:\*)?$/.exec(arn.resource);
        if (!m) return notFound(`Log group ${t.arn} does not exist.`);
        // Assumption: one stream per event, named after the event id, as AWS does for rule targets.
        await put(arn.account, arn.region, m[1]!, t.eventId, [{ timestamp: t.eventTime, message: payload }]);
        return delivered;
      }
      case "events": {
        if (arn.resource.startsWith("event-bus/")) return await toBus(env, t, arn, payload);
        if (arn.resource.startsWith("api-destination/"))
          return await sendToApiDestination(env, t, arn, payload, signal);
        return notFound(`Target ${t.arn} does not exist.`);
      }
      default:
        return notFound(`Target ${t.arn} is not a service Vigil delivers to.`);
    }
  } catch (err) {
    return fromAwsError(err);
  }
}

/**
 * Another bus: the event keeps its account; a bus in another region gets a new event id (recorded on AWS:
 * cross-account same-region forwarding keeps the id). Another account's bus must allow it in its resource policy.
 */
async function toBus(
  env: EventsEnv,
  t: TargetDelivery,
  arn: { region: string; account: string; resource: string },
  payload: string,
): Promise<Outcome> {
  const { stores, clock } = env.deps;
  const scope = { account: arn.account, region: arn.region, name: arn.resource.slice("event-bus/".length) };
  const bus = await findBus(stores, scope, scope.name, clock.now());
  if (!bus) return notFound(`Event bus ${scope.name} does not exist.`);
  if (!canPutEvents(bus, scope, `arn:aws:iam::${t.account}:root`, t.account, { "aws:SourceArn": t.ruleArn }))
    return permanent("NO_PERMISSIONS", `Not authorized to put events on ${t.arn}.`);
  let event: Envelope;
  try {
    event = JSON.parse(payload) as Envelope;
  } catch {
    return permanent("SDK_CLIENT_ERROR", "The event is not valid JSON.");
  }
  if (scope.region !== t.region) event = { ...event, id: crypto.randomUUID(), region: scope.region };
  await routeEvents({ stores, delivery: env.delivery }, scope, [{ envelope: event, ingestedAt: clock.now() }]);
  return delivered;
}

/** The dead-letter queue receives the event with the documented attributes. */
export async function deadLetter(stores: Stores, e: DeadLetterEvent<DeadLetterTarget, TargetDelivery>): Promise<void> {
  const send = internal(stores).sqsSend;
  if (!send) throw new Error("SQS is not available");
  const dl = e.deadLetter.target;
  const str = (v: string) => ({ DataType: "String", StringValue: v });
  const id = await send(
    dl.arn,
    {
      MessageBody: dl.event ?? e.delivery.payload.toString("utf8"),
      MessageAttributes: {
        RULE_ARN: str(dl.ruleArn),
        TARGET_ARN: str(dl.targetArn),
        ERROR_CODE: str(e.error.code),
        ERROR_MESSAGE: str(e.error.message),
        EXHAUSTED_RETRY_CONDITION: str(e.condition),
        RETRY_ATTEMPTS: str(String(e.retryAttempts)),
      },
      ...(dl.arn.endsWith(".fifo")
        ? { MessageGroupId: e.delivery.target.ruleName, MessageDeduplicationId: e.delivery.target.eventId }
        : {}),
    },
    {
      account: e.delivery.target.account,
      service: "events.amazonaws.com",
      sourceArn: dl.ruleArn,
      sourceAccount: e.delivery.target.account,
    },
  );
  if (id === undefined) throw new Error(`Dead-letter queue ${dl.arn} does not exist`);
}
