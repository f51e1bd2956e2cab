/**
 * A bus's enabled rules compiled into one RuleSet (matched in one pass over each event) with their targets, kept in
 * memory per server and rebuilt after any change to the bus's rules or targets through this server. PutEvents reads
 * the store only when the cache is cold. (Several nodes on one PostgreSQL would each see their own changes at once
 * and the others' after `BUS_CACHE_TTL_MS`.)
 */
import { RuleSet } from "../../event-patterns/index.js";
import type { EventsScope } from "../../storage/events-store.js";
import type { Stores } from "../../storage/types.js";
import { ruleArn, targetParent, type RuleDoc, type TargetDoc } from "./resources.js";

export const BUS_CACHE_TTL_MS = 5000;

export interface CompiledRule {
  rule: RuleDoc;
  arn: string;
  targets: TargetDoc[];
}

export interface BusState {
  /** Ids are indexes into `rules`. */
  ruleSet: RuleSet<number>;
  rules: CompiledRule[];
  /** The rules in ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS (they also receive read-only API-call events). */
  allManagement: Set<number>;
  /** Sources some rule names literally, or null when a rule may match any source (cheap skip for API-call events). */
  sources: Set<string> | null;
  loadedAt: number;
  /** The bus's enabled archives: those with a pattern compiled together, and those that keep every event. */
  archiveSet: RuleSet<string>;
  archiveAll: string[];
}

/** An archive as kept in events_resources (kind "archive"). */
export interface ArchiveDoc {
  name: string;
  /** The bus it archives (same account and region). */
  bus: string;
  description?: string;
  eventPattern?: string;
  /** 0: kept indefinitely. */
  retentionDays: number;
  state: "ENABLED" | "DISABLED";
  createdAt: number;
}

const caches = new WeakMap<Stores, Map<string, Promise<BusState>>>();
const key = (s: EventsScope, bus: string) => `${s.account}\n${s.region}\n${bus}`;

function cacheOf(stores: Stores) {
  let c = caches.get(stores);
  if (!c) caches.set(stores, (c = new Map()));
  return c;
}

/** Forgets a bus's compiled rules (call after a change to its rules or targets). */
export function invalidateBus(stores: Stores, scope: EventsScope, bus: string): void {
  cacheOf(stores).delete(key(scope, bus));
}

/** Whether a bus gives events to anything: a rule, or an archive. */
export const hasListeners = (state: BusState): boolean =>
  state.rules.length > 0 || state.archiveSet.size > 0 || state.archiveAll.length > 0;

export function busState(stores: Stores, scope: EventsScope, bus: string): Promise<BusState> {
  const cache = cacheOf(stores);
  const k = key(scope, bus);
  const hit = cache.get(k);
  if (hit) return hit;
  const p = load(stores, scope, bus);
  cache.set(k, p);
  p.then(
    () => setTimeout(() => cache.get(k) === p && cache.delete(k), BUS_CACHE_TTL_MS).unref(),
    () => cache.get(k) === p && cache.delete(k),
  );
  return p;
}

async function load(stores: Stores, scope: EventsScope, bus: string): Promise<BusState> {
  const ruleRows = await stores.events.list<RuleDoc>(scope, "rule", { parent: bus });
  const ruleSet = new RuleSet<number>();
  const rules: CompiledRule[] = [];
  const allManagement = new Set<number>();
  let sources: Set<string> | null = new Set();
  const active = ruleRows.filter((r) => r.doc.state !== "DISABLED" && r.doc.eventPattern !== undefined);
  const targetsByRule = new Map<string, TargetDoc[]>();
  if (active.length > 0) {
    const prefix = targetParent(bus, "");
    for (const t of await stores.events.list<TargetDoc>(scope, "target", {})) {
      if (!t.parent.startsWith(prefix)) continue;
      const rule = t.parent.slice(prefix.length);
      let list = targetsByRule.get(rule);
      if (!list) targetsByRule.set(rule, (list = []));
      list.push(t.doc);
    }
  }
  for (const r of active) {
    const i = rules.length;
    rules.push({ rule: r.doc, arn: ruleArn(scope, bus, r.name), targets: targetsByRule.get(r.name) ?? [] });
    try {
      ruleSet.add(i, r.doc.eventPattern!);
    } catch {
      continue; // stored patterns were validated at PutRule
    }
    if (r.doc.state === "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS") allManagement.add(i);
    const src = literalSources(r.doc.eventPattern!);
    if (src === null) sources = null;
    else if (sources) for (const s of src) sources.add(s);
  }
  const archiveSet = new RuleSet<string>();
  const archiveAll: string[] = [];
  for (const a of await stores.events.list<ArchiveDoc>(scope, "archive", { parent: "" })) {
    if (a.doc.bus !== bus || a.doc.state !== "ENABLED") continue;
    if (a.doc.eventPattern === undefined) archiveAll.push(a.name);
    else {
      try {
        archiveSet.add(a.name, a.doc.eventPattern);
      } catch {
        // validated at CreateArchive
      }
    }
  }
  return { ruleSet, rules, allManagement, sources, loadedAt: Date.now(), archiveSet, archiveAll };
}

/** The exact strings a pattern's top-level `source` lists, or null when it may match other sources too. */
function literalSources(pattern: string): string[] | null {
  try {
    const p = JSON.parse(pattern) as Record<string, unknown>;
    const s = p.source;
    if (!Array.isArray(s) || p.$or !== undefined) return null;
    return s.every((x) => typeof x === "string") ? (s as string[]) : null;
  } catch {
    return null;
  }
}
