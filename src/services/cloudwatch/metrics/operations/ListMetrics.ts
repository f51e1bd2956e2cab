/**
 * ListMetrics: metrics of the account and region, filtered by Namespace, MetricName, dimension filters (a name, or a
 * name and value, that the metric's dimension set contains) and RecentlyActive PT3H (data received in the last three
 * hours); up to 500 per page; OwningAccounts with IncludeLinkedAccounts.
 */
import { awsError } from "../../../../errors/index.js";
import type { Handler } from "../../../types.js";
import type { Dimension } from "../datums.js";

interface Input {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value?: string }[];
  NextToken?: string;
  RecentlyActive?: string;
  IncludeLinkedAccounts?: boolean;
}

export const PAGE = 500;
/** Series examined per call at most: a filter matching little ends the page early with a NextToken. */
const SCAN_CAP = 50_000;
const THREE_HOURS_MS = 3 * 3600 * 1000;

const invalidToken = () => awsError("InvalidParameterValue", "Invalid NextToken.");

function decodeToken(t: string): number {
  const m = /^v1:(\d{1,15})$/.exec(Buffer.from(t, "base64url").toString("utf8"));
  if (!m) throw invalidToken();
  return Number(m[1]);
}
const encodeToken = (id: number) => Buffer.from(`v1:${id}`).toString("base64url");

export const ListMetrics: Handler = async (input: Input, ctx) => {
  let after = input.NextToken === undefined ? 0 : decodeToken(input.NextToken);
  const activeSince = input.RecentlyActive === "PT3H" ? ctx.clock.now() - THREE_HOURS_MS : undefined;
  const filters = input.Dimensions ?? [];
  const metrics: { Namespace: string; MetricName: string; Dimensions: Dimension[] }[] = [];
  let scanned = 0;
  let more = false;
  while (metrics.length < PAGE) {
    const batch = await ctx.stores.metrics.listSeries({
      account: ctx.account,
      region: ctx.region,
      namespace: input.Namespace,
      name: input.MetricName,
      activeSince,
      afterId: after,
      limit: 1000,
    });
    for (const s of batch) {
      after = s.id;
      scanned++;
      const dims = JSON.parse(s.dims) as Dimension[];
      const match = filters.every((f) =>
        dims.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)),
      );
      if (match) metrics.push({ Namespace: s.namespace, MetricName: s.name, Dimensions: dims });
      if (metrics.length === PAGE) break;
    }
    if (batch.length < 1000 && metrics.length < PAGE) break;
    if (metrics.length === PAGE || scanned >= SCAN_CAP) {
      more = true;
      break;
    }
  }
  // A full page says more may follow; the next call finds out.
  const out: Record<string, unknown> = { Metrics: metrics };
  if (more) out.NextToken = encodeToken(after);
  if (input.IncludeLinkedAccounts) out.OwningAccounts = metrics.map(() => ctx.account);
  return out;
};
