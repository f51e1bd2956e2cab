/** What SNS keeps per server besides its store: the delivery engine, the signer, the config (set by startSns). */
import type { DeliveryEngine } from "../../delivery/engine.js";
import type { Stores } from "../../storage/types.js";
import type { ServiceDeps } from "../internal.js";
import { loadSigner, type Signer } from "./signing.js";

export interface SnsState {
  deps: ServiceDeps;
  delivery: DeliveryEngine;
  signer(): Signer;
}

const states = new WeakMap<Stores, SnsState>();

export function initSnsState(deps: ServiceDeps): SnsState {
  let signer: Signer | undefined;
  const state: SnsState = {
    deps,
    delivery: deps.delivery,
    signer: () => (signer ??= loadSigner(deps.config.ephemeral ? undefined : deps.config.dataDir, deps.clock.now())),
  };
  states.set(deps.stores, state);
  return state;
}

/** The state of the server owning `stores`; SNS operations need the server's runtime. */
export function snsState(stores: Stores): SnsState {
  const s = states.get(stores);
  if (!s) throw new Error("sns: the server did not start the SNS runtime");
  return s;
}

/** The signer, when the server runs SNS (the certificate route asks without failing). */
export function maybeSigner(stores: Stores): Signer | undefined {
  return states.get(stores)?.signer();
}
