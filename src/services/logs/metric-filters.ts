/**
 * CloudWatch Logs metric filters ("Creating metrics from log events using filters", user guide): the checks of
 * PutMetricFilter's transformations, and their application to every committed batch of log events (runtime.ts of
 * CloudWatch subscribes through onLogsIngest). A matching event emits one datapoint at its own timestamp: metricValue
 * "1", a literal number, `$.field` of a JSON event or `$field` of a space-delimited one, with dimensions taken from
 * fields; a batch with no match emits defaultValue once, when set.
 */
import { awsError } from "../../errors/index.js";
import { compileFilterPattern, filterPatternKind, type FilterPattern } from "../../filter-patterns/index.js";
import { GENERIC_MESSAGE } from "../../filter-patterns/errors.js";
import type { MetricFilterRow } from "../../storage/metrics-store.js";
import type { Stores } from "../../storage/types.js";
import type { MetricDatumInput } from "../internal.js";
import { ingestMetricData } from "../cloudwatch/metrics/ingest.js";
import type { IngestedBatch } from "./ingest.js";

export interface MetricTransformation {
  metricName: string;
  metricNamespace: string;
  metricValue: string;
  defaultValue?: number;
  dimensions?: Record<string, string>;
  unit?: string;
}

/** AWS: "The maximum number of metric filters that can be associated with a log group is 100." */
export const MAX_FILTERS_PER_GROUP = 100;
/** AWS: "One metric filter can include as many as three dimensions." */
export const MAX_DIMENSIONS = 3;
const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;

const invalid = (message: string) => awsError("InvalidParameterException", message);

const LITERAL = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const JSON_REF = /^\$\.[^\s]+$/;
const FIELD_REF = /^\$[A-Za-z0-9_]+$/;

/** Compiles a pattern as PutMetricFilter and TestMetricFilter do ("Invalid metric filter pattern"). */
export function compileMetricFilterPattern(pattern: string): FilterPattern {
  try {
    return compiledCache(pattern);
  } catch (e) {
    if (e instanceof Error && e.message === GENERIC_MESSAGE) throw invalid("Invalid metric filter pattern");
    throw e;
  }
}

const compiled = new Map<string, FilterPattern>();
function compiledCache(pattern: string): FilterPattern {
  let p = compiled.get(pattern);
  if (!p) {
    p = compileFilterPattern(pattern);
    if (compiled.size >= 10_000) compiled.clear();
    compiled.set(pattern, p);
  }
  return p;
}

/**
 * PutMetricFilter's rules for a transformation. Assumption (no recording): the wording of these messages.
 * A `$` reference needs a JSON or space-delimited pattern (a term pattern has no fields).
 */
export function checkTransformation(pattern: string, t: MetricTransformation): void {
  const kind = filterPatternKind(pattern);
  const ref = (v: string) => JSON_REF.test(v) || FIELD_REF.test(v);
  if (!LITERAL.test(t.metricValue) && !ref(t.metricValue))
    throw invalid(
      `Invalid metric value: ${t.metricValue}. It must be a number or a field reference ($.field or $field).`,
    );
  if (ref(t.metricValue) && kind === "terms")
    throw invalid(
      `Invalid metric value: ${t.metricValue}. Field references need a JSON or space-delimited filter pattern.`,
    );
  const dims = Object.entries(t.dimensions ?? {});
  if (dims.length > MAX_DIMENSIONS) throw invalid(`A metric filter can have at most ${MAX_DIMENSIONS} dimensions.`);
  if (dims.length > 0 && t.defaultValue !== undefined)
    throw invalid("A metric filter with dimensions cannot have a default value.");
  for (const [name, v] of dims) {
    if (!ref(v) || kind === "terms")
      throw invalid(`Invalid dimension value for ${name}: ${v}. It must be a field reference ($.field or $field).`);
  }
}

/** A field of a matched event: from the pattern's extraction, else (JSON) from the event itself. */
function fieldOf(ref: string, extracted: Record<string, unknown>, message: string, parsed: { v?: unknown }): unknown {
  if (ref in extracted) return extracted[ref];
  if (!ref.startsWith("$.")) return undefined;
  if (!("v" in parsed)) {
    try {
      parsed.v = JSON.parse(message);
    } catch {
      parsed.v = undefined;
    }
  }
  let cur: unknown = parsed.v;
  for (const step of ref.slice(2).split(/\.|(?=\[)/)) {
    if (cur === null || typeof cur !== "object") return undefined;
    const idx = /^\[(\d+)\]$/.exec(step);
    cur = idx ? (Array.isArray(cur) ? cur[Number(idx[1])] : undefined) : (cur as Record<string, unknown>)[step];
  }
  return cur;
}

/** The datapoints one filter emits for a batch. */
export function datapointsFor(
  f: MetricFilterRow,
  batch: Pick<IngestedBatch, "timestamps" | "messages" | "ingestionTime">,
  now: number,
): { namespace: string; datums: MetricDatumInput[] } {
  const t = (JSON.parse(f.transformations) as MetricTransformation[])[0];
  const pattern = compileMetricFilterPattern(f.filterPattern);
  const datums: MetricDatumInput[] = [];
  let matched = false;
  const literal = LITERAL.test(t.metricValue) ? Number(t.metricValue) : undefined;
  const dims = Object.entries(t.dimensions ?? {});
  batch.messages.forEach((message, i) => {
    const extracted = pattern.extract(message);
    if (!extracted) return;
    matched = true;
    const ts = batch.timestamps[i];
    // CloudWatch takes datapoints up to two weeks old: older events count nowhere.
    if (ts < now - TWO_WEEKS_MS) return;
    const parsed: { v?: unknown } = {};
    let value = literal;
    if (value === undefined) {
      const raw = fieldOf(t.metricValue, extracted, message, parsed);
      const n = typeof raw === "number" ? raw : typeof raw === "string" && LITERAL.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return;
      value = n;
    }
    const Dimensions: { Name: string; Value: string }[] = [];
    for (const [Name, ref] of dims) {
      const v = fieldOf(ref, extracted, message, parsed);
      if (v === undefined || v === null || typeof v === "object" || String(v) === "") return;
      Dimensions.push({ Name, Value: String(v).slice(0, 1024) });
    }
    datums.push({
      MetricName: t.metricName,
      Value: value,
      Timestamp: ts,
      ...(t.unit ? { Unit: t.unit } : {}),
      ...(Dimensions.length ? { Dimensions } : {}),
    });
  });
  if (!matched && t.defaultValue !== undefined)
    datums.push({
      MetricName: t.metricName,
      Value: t.defaultValue,
      Timestamp: batch.ingestionTime,
      ...(t.unit ? { Unit: t.unit } : {}),
    });
  return { namespace: t.metricNamespace, datums };
}

/** Runs every metric filter of the batch's group over it and stores what they emit. */
export async function applyMetricFilters(stores: Stores, batch: IngestedBatch): Promise<void> {
  const filters = await stores.metrics.metricFilters(batch.account, batch.region, batch.logGroupName);
  for (const f of filters) {
    const { namespace, datums } = datapointsFor(f, batch, batch.ingestionTime);
    for (let i = 0; i < datums.length; i += 1000)
      await ingestMetricData(
        stores,
        batch.ingestionTime,
        batch.account,
        batch.region,
        namespace,
        datums.slice(i, i + 1000),
        true,
      );
  }
}
