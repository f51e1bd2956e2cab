/** Tags of buses and rules, found by ARN (TagResource, UntagResource, ListTagsForResource). */
import { awsError } from "../../errors/index.js";
import type { EventsScope } from "../../storage/events-store.js";
import type { Stores } from "../../storage/types.js";
import { busNotFound, DEFAULT_BUS, findBus, ruleNotFound, type BusDoc, type RuleDoc, type Tag } from "./resources.js";

const ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):(event-bus|rule)\/(.+)$/;

export interface Tagged {
  tags: Tag[];
  save(tags: Tag[]): Promise<void>;
}

export async function taggedResource(stores: Stores, arn: string, now: number): Promise<Tagged> {
  const m = ARN.exec(arn);
  if (!m) throw awsError("ValidationException", `Parameter ResourceARN is not valid.`);
  const scope: EventsScope = { region: m[1]!, account: m[2]! };
  if (m[3] === "event-bus") {
    const name = m[4]!;
    const bus = await findBus(stores, scope, name, now);
    if (!bus) throw busNotFound(name);
    return {
      tags: bus.tags,
      save: (tags) => stores.events.put(scope, "bus", "", name, { ...bus, tags } satisfies BusDoc),
    };
  }
  const path = m[4]!;
  const slash = path.lastIndexOf("/");
  const bus = slash < 0 ? DEFAULT_BUS : path.slice(0, slash);
  const name = path.slice(slash + 1);
  const rule = await stores.events.get<RuleDoc>(scope, "rule", bus, name);
  if (!rule) throw ruleNotFound(name, bus);
  return { tags: rule.tags, save: (tags) => stores.events.put(scope, "rule", bus, name, { ...rule, tags }) };
}

/** Tags merged by key (a new value replaces the old). */
export function mergeTags(old: Tag[], add: Tag[]): Tag[] {
  const map = new Map(old.map((t) => [t.Key, t.Value]));
  for (const t of add) map.set(t.Key, t.Value);
  return [...map].map(([Key, Value]) => ({ Key, Value }));
}
