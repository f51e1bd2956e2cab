/**
 * Runs the SEARCH calls of GetMetricData (the language itself is math/search.ts): finds the metrics of the account and
 * region that match and received data in the last two weeks (AWS: search expressions find only those), reads each one
 * with the call's statistic and period over the query's range, and labels them.
 */
import type { MetricsStore } from "../../../storage/metrics-store.js";
import type { Dimension } from "./datums.js";
import type { Series } from "./math/eval.js";
import { requiredMetricName, searchMatcher, type SearchQuery } from "./math/search.js";
import { roundStart } from "./periods.js";
import { readStat } from "./read.js";
import { parseStat } from "./stats.js";

export interface SearchCall {
  query: SearchQuery;
  stat: string;
  period: number;
}

export interface SearchScope {
  store: MetricsStore;
  account: string;
  region: string;
  now: number;
}

/**
 * Search finds what the metric index holds, which (as ListMetrics documents) leaves out metrics that have not reported
 * data in the past two weeks.
 */
export const SEARCH_WINDOW_MS = 14 * 24 * 3600 * 1000;
const PAGE = 1000;
/** Series read at once. */
const PARALLEL = 16;

interface Hit {
  id: number;
  namespace: string;
  name: string;
  dims: Dimension[];
  label: string;
}

/**
 * Default labels (assumption, not recorded: AWS does not document them): the metric's dimension values (in the
 * schema's order, else by dimension name), then the metric name when the matches have several names or the metric
 * has no dimensions. The guide's dynamic-label example shows ${LABEL} of SEARCH('{AWS/Lambda, FunctionName} Errors')
 * as the function name.
 */
function label(hit: Omit<Hit, "label">, order: string[], severalNames: boolean): string {
  const rank = (n: string) => {
    const i = order.indexOf(n);
    return i < 0 ? order.length : i;
  };
  const dims = [...hit.dims].sort((a, b) => rank(a.Name) - rank(b.Name) || (a.Name < b.Name ? -1 : 1));
  const parts = dims.map((d) => d.Value);
  if (severalNames || parts.length === 0) parts.push(hit.name);
  return parts.join(" ");
}

/**
 * The metrics one SEARCH finds, sorted by label (then namespace, name and dimensions), at most `limit` of them read;
 * `total` says how many matched.
 */
export async function searchMetrics(
  scope: SearchScope,
  call: SearchCall,
  start: number,
  end: number,
  limit: number,
): Promise<{ series: Series[]; total: number }> {
  const match = searchMatcher(call.query);
  const name = requiredMetricName(call.query);
  const found: Omit<Hit, "label">[] = [];
  for (let after = 0; ;) {
    const batch = await scope.store.listSeries({
      account: scope.account,
      region: scope.region,
      namespace: call.query.schema?.namespace,
      name,
      activeSince: scope.now - SEARCH_WINDOW_MS,
      afterId: after,
      limit: PAGE,
    });
    for (const r of batch) {
      after = r.id;
      const m = { id: r.id, namespace: r.namespace, name: r.name, dims: JSON.parse(r.dims) as Dimension[] };
      if (match(m)) found.push(m);
    }
    if (batch.length < PAGE) break;
  }
  const severalNames = new Set(found.map((h) => h.name)).size > 1;
  const order = call.query.schema?.dims ?? [];
  const key = (h: Hit) => `${h.label}\u0000${h.namespace}\u0000${h.name}\u0000${JSON.stringify(h.dims)}`;
  const hits = found
    .map((h) => ({ ...h, label: label(h, order, severalNames) }))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .slice(0, Math.max(0, limit));

  const spec = parseStat(call.stat)!;
  const origin = roundStart(start, call.period, scope.now);
  const series: Series[] = [];
  for (let i = 0; i < hits.length; i += PARALLEL) {
    const chunk = hits.slice(i, i + PARALLEL);
    const read = await Promise.all(
      chunk.map((h) => readStat(scope.store, h.id, { period: call.period, stat: spec }, origin, end, scope.now)),
    );
    chunk.forEach((h, j) =>
      series.push({
        label: h.label,
        ts: read[j].ts,
        vs: read[j].vs,
        meta: {
          props: {
            MetricName: h.name,
            Namespace: h.namespace,
            Period: String(call.period),
            Stat: call.stat,
            ...Object.fromEntries(h.dims.map((d) => [`Dim.${d.Name}`, d.Value])),
          },
        },
      }),
    );
  }
  return { series, total: found.length };
}
