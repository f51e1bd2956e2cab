/**
 * A trail's delivery state (ct_trail_state.state), written by StartLogging/StopLogging and the delivery and digest
 * jobs under one in-process lock per trail, and the per-server runtime objects handlers reach (signing keys).
 */
import type { Stores } from "../../storage/types.js";
import type { ActiveInsight } from "./insights.js";
import type { KeyRing } from "./keys.js";

/** A log file delivered and not yet covered by a digest. */
export interface DeliveredFile {
  region: string;
  bucket: string;
  key: string;
  hash: string;
  newest: string;
  oldest: string;
  /** Epoch ms. */
  at: number;
}

/** The end of a region's digest chain. */
export interface DigestChain {
  /** Epoch ms: the next digest starts here. */
  end: number;
  bucket?: string;
  key?: string;
  signature?: string;
  hash?: string;
}

/** A delivery batch: audit rows (from, to] delivered at `at`. Stored before writing, so a redo writes the same keys. */
export interface PendingBatch {
  from: number;
  to: number;
  at: number;
}

export interface TrailState {
  /** Audit seq up to which records are delivered (or skipped). */
  cursor: number;
  pending?: PendingBatch;
  /** Set by StopLogging: records up to this instant are still delivered. */
  deliverUntil?: number;
  undigested: DeliveredFile[];
  /** Per source region; absent: the next digest starts a chain. */
  chains: Record<string, DigestChain>;
  /** Set when digests must be written (validation on and logging, or a final digest after a stop). */
  digestFrom?: number;
  finalDigest?: boolean;
  startLoggingTime?: number;
  stopLoggingTime?: number;
  latestDeliveryTime?: number;
  latestDeliveryError?: string;
  latestDeliveryAttemptTime?: number;
  latestNotificationTime?: number;
  latestNotificationError?: string;
  latestCloudWatchLogsDeliveryTime?: number;
  latestCloudWatchLogsDeliveryError?: string;
  latestDigestDeliveryTime?: number;
  latestDigestDeliveryError?: string;
  /** Insights in progress (Start written, End not yet), by insight type, region and API. */
  insights?: Record<string, ActiveInsight>;
}

export const initialState = (): TrailState => ({ cursor: 0, undigested: [], chains: {} });

export async function readState(stores: Stores, arn: string): Promise<{ logging: boolean; state: TrailState }> {
  const r = await stores.trails.getState(arn);
  return r
    ? { logging: r.logging, state: JSON.parse(r.state) as TrailState }
    : { logging: false, state: initialState() };
}

const locks = new WeakMap<Stores, Map<string, Promise<unknown>>>();

/** Runs `fn` after every earlier locked call on the same trail of this server has finished. */
export function withTrailLock<T>(stores: Stores, arn: string, fn: () => Promise<T>): Promise<T> {
  let m = locks.get(stores);
  if (!m) locks.set(stores, (m = new Map()));
  const prev = m.get(arn) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const tail = next.catch(() => undefined);
  m.set(arn, tail);
  void tail.then(() => {
    if (m.get(arn) === tail) m.delete(arn);
  });
  return next;
}

/** Per-server CloudTrail objects, installed by the runtime. */
export interface CloudTrailServer {
  keys: KeyRing;
  /** Delivers pending records of one trail now (StopLogging, DeleteTrail final delivery). */
  flush(arn: string): Promise<void>;
  /** Makes the sleeping trail jobs due again (logging started or stopped, Insights enabled). */
  wake(): void;
}

const servers = new WeakMap<Stores, CloudTrailServer>();
export const installServer = (stores: Stores, s: CloudTrailServer) => servers.set(stores, s);
export function serverFor(stores: Stores): CloudTrailServer {
  const s = servers.get(stores);
  if (!s) throw new Error("the CloudTrail runtime is not started");
  return s;
}
