/**
 * The S3 runtime: the delivery engine handle the handlers enqueue notifications with, the sender of the
 * EventBridge notification kind, and the internal entries other services write through (CloudTrail trails,
 * Logs exports): `s3CanWrite` and `s3PutObject`.
 */
import { delivered, permanent, retryable, type Delivery, type DeliveryEngine } from "../../delivery/engine.js";
import type { Stores } from "../../storage/types.js";
import { internal, type ServiceDeps, type ServiceEvent, type ServiceRuntime } from "../internal.js";
import { EVENTBRIDGE_KIND, type EventBridgeTarget } from "./notifications.js";
import { canWrite, writeObject } from "./objects.js";

export interface S3Runtime {
  delivery?: DeliveryEngine;
}

const runtimes = new WeakMap<Stores, S3Runtime>();

export function s3Runtime(stores: Stores): S3Runtime {
  let rt = runtimes.get(stores);
  if (!rt) runtimes.set(stores, (rt = {}));
  return rt;
}

export function startS3(deps: ServiceDeps): ServiceRuntime {
  const { stores, clock, delivery } = deps;
  const rt = s3Runtime(stores);
  rt.delivery = delivery;
  const entries = internal(stores);
  entries.s3CanWrite = async (bucket, key, publisher) => (await canWrite(stores, bucket, key, publisher)).result;
  entries.s3PutObject = (write, publisher) => writeObject({ stores, clock, delivery }, write, publisher);
  delivery.registerSender<EventBridgeTarget>(EVENTBRIDGE_KIND, async (d: Delivery<EventBridgeTarget>) => {
    const putEvents = internal(stores).putEvents;
    if (!putEvents) return retryable("NotReady", "EventBridge is not running");
    try {
      await putEvents(d.target.account, d.target.region, [JSON.parse(d.payload.toString()) as ServiceEvent]);
      return delivered;
    } catch (err) {
      return permanent("PutEventsFailed", String(err));
    }
  });
  return {};
}
