/** ListEventBuses: the default bus and the custom ones, by name, NamePrefix and Limit/NextToken. */
import type { Handler } from "../../types.js";
import { busArn, decodeToken, DEFAULT_BUS, ensureDefaultBus, page, type BusDoc } from "../resources.js";

export const ListEventBuses: Handler = async (input, ctx) => {
  const prefix: string | undefined = input.NamePrefix;
  const after = decodeToken(input.NextToken);
  const rows = await ctx.stores.events.list<BusDoc>(ctx, "bus", { parent: "", prefix, after });
  const buses = rows.map((r) => r.doc);
  const hasDefault = buses.some((b) => b.name === DEFAULT_BUS);
  if (!hasDefault && (!prefix || DEFAULT_BUS.startsWith(prefix)) && (after === undefined || DEFAULT_BUS > after)) {
    buses.push(await ensureDefaultBus(ctx.stores, ctx, ctx.clock.now()));
    buses.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  const { items, next } = page(buses, input.Limit, (b) => b.name);
  return {
    EventBuses: items.map((b) => ({
      Name: b.name,
      Arn: busArn(ctx, b.name),
      Description: b.description,
      Policy: b.policy,
      CreationTime: b.createdAt,
      LastModifiedTime: b.modifiedAt,
    })),
    NextToken: next,
  };
};
