/**
 * Which records a trail delivers (spec cloudtrail.md §8): basic event selectors (ReadWriteType,
 * IncludeManagementEvents, DataResources, ExcludeManagementEventSources) or advanced ones (field selectors AND'ed,
 * selectors OR'ed), plus the region rules: a single-region trail takes its home region's events, a multi-region trail
 * every region's, and global-service events (recorded in us-east-1) only with IncludeGlobalServiceEvents.
 */
import { awsError } from "../../errors/index.js";
import type { TrailConfig } from "./trail.js";

export interface DataResource {
  Type: string;
  Values?: string[];
}
export interface EventSelector {
  ReadWriteType?: "ReadOnly" | "WriteOnly" | "All";
  IncludeManagementEvents?: boolean;
  DataResources?: DataResource[];
  ExcludeManagementEventSources?: string[];
}
export interface FieldSelector {
  Field: string;
  Equals?: string[];
  StartsWith?: string[];
  EndsWith?: string[];
  NotEquals?: string[];
  NotStartsWith?: string[];
  NotEndsWith?: string[];
}
export interface AdvancedEventSelector {
  Name?: string;
  FieldSelectors: FieldSelector[];
}

/** The record fields selection reads. */
export interface SelectableRecord {
  eventCategory: string;
  readOnly: boolean;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  resources: { type?: string; ARN?: string }[];
  errorCode?: string;
  eventType?: string;
  userIdentityArn?: string;
}

export const DEFAULT_SELECTORS: EventSelector[] = [
  { ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
];

const GLOBAL_SOURCES = new Set(["iam.amazonaws.com", "sts.amazonaws.com", "cloudfront.amazonaws.com"]);
const ALL_FORMS = new Set(["arn:aws:s3", "arn:aws:lambda", "arn:aws:dynamodb"]);
const BASIC_TYPES = new Set(["AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table"]);
const EXCLUDABLE = new Set(["kms.amazonaws.com", "rdsdata.amazonaws.com"]);
const ADVANCED_FIELDS = new Set([
  "eventCategory",
  "readOnly",
  "resources.type",
  "resources.ARN",
  "eventName",
  "eventSource",
  "eventType",
  "sessionCredentialFromConsole",
  "userIdentity.arn",
  "errorCode",
  "vpcEndpointId",
]);

const invalid = (m: string) => awsError("InvalidEventSelectorsException", m);

/** PutEventSelectors' checks on basic selectors (1-5 selectors, at most 250 data resource values, known types). */
export function checkBasic(selectors: EventSelector[]): void {
  if (selectors.length < 1 || selectors.length > 5) {
    throw invalid("You can specify from 1 to 5 event selectors per trail.");
  }
  let values = 0;
  for (const s of selectors) {
    for (const src of s.ExcludeManagementEventSources ?? []) {
      if (!EXCLUDABLE.has(src)) throw invalid(`Invalid ExcludeManagementEventSources value: ${src}.`);
    }
    for (const dr of s.DataResources ?? []) {
      if (!BASIC_TYPES.has(dr.Type)) throw invalid(`Invalid DataResource type: ${dr.Type}.`);
      for (const v of dr.Values ?? []) {
        if (!ALL_FORMS.has(v)) values++;
        const base =
          dr.Type === "AWS::S3::Object"
            ? "arn:aws:s3:::"
            : dr.Type === "AWS::Lambda::Function"
              ? "arn:aws:lambda:"
              : "arn:aws:dynamodb:";
        if (!ALL_FORMS.has(v) && !v.startsWith(base)) throw invalid(`Value ${v} for DataResources.Values is invalid.`);
      }
    }
  }
  if (values > 250) throw invalid("The number of data resources exceeds the maximum of 250 per trail.");
}

const OPS = ["Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith"] as const;

/** PutEventSelectors' checks on advanced selectors (known fields, operators allowed per field, 500 values). */
export function checkAdvanced(selectors: AdvancedEventSelector[]): void {
  if (selectors.length < 1) throw invalid("You must specify at least one advanced event selector.");
  let values = 0;
  for (const s of selectors) {
    const cat = s.FieldSelectors.find((f) => f.Field === "eventCategory");
    if (!cat?.Equals?.length)
      throw invalid("Each advanced event selector must have an eventCategory field selector with Equals.");
    for (const f of s.FieldSelectors) {
      if (!ADVANCED_FIELDS.has(f.Field)) throw invalid(`Invalid field name: ${f.Field}.`);
      const used = OPS.filter((op) => f[op] !== undefined);
      if (used.length === 0) throw invalid(`Field ${f.Field} must have at least one operator.`);
      if (
        (f.Field === "eventCategory" || f.Field === "readOnly" || f.Field === "resources.type") &&
        used.some((o) => o !== "Equals")
      ) {
        throw invalid(`Field ${f.Field} only supports the Equals operator.`);
      }
      for (const op of used) values += f[op]!.length;
    }
    for (const v of cat.Equals) {
      if (!["Management", "Data", "NetworkActivity"].includes(v))
        throw invalid(`Invalid value for eventCategory: ${v}.`);
    }
  }
  if (values > 500) throw invalid("The number of advanced event selector values exceeds the maximum of 500 per trail.");
}

function basicMatch(sel: EventSelector, ev: SelectableRecord): boolean {
  const rw = sel.ReadWriteType ?? "All";
  const rwOk = rw === "All" || (rw === "ReadOnly") === ev.readOnly;
  if (ev.eventCategory === "Management") {
    return (
      (sel.IncludeManagementEvents ?? true) &&
      rwOk &&
      !(sel.ExcludeManagementEventSources ?? []).includes(ev.eventSource)
    );
  }
  if (ev.eventCategory !== "Data" || !rwOk) return false;
  for (const dr of sel.DataResources ?? []) {
    for (const r of ev.resources) {
      if (r.type !== dr.Type) continue;
      for (const v of dr.Values ?? []) {
        if (ALL_FORMS.has(v)) return true;
        if (dr.Type === "AWS::Lambda::Function" ? r.ARN === v : (r.ARN ?? "").startsWith(v)) return true;
      }
    }
  }
  return false;
}

function fieldValues(f: string, ev: SelectableRecord): string[] {
  switch (f) {
    case "eventCategory":
      return [ev.eventCategory];
    case "readOnly":
      return [String(ev.readOnly)];
    case "resources.type":
      return ev.resources.map((r) => r.type ?? "");
    case "resources.ARN":
      return ev.resources.map((r) => r.ARN ?? "");
    case "eventName":
      return [ev.eventName];
    case "eventSource":
      return [ev.eventSource];
    case "eventType":
      return [ev.eventType ?? ""];
    case "errorCode":
      return [ev.errorCode ?? ""];
    case "userIdentity.arn":
      return [ev.userIdentityArn ?? ""];
    default:
      return [""];
  }
}

function fieldMatch(f: FieldSelector, ev: SelectableRecord): boolean {
  const vals = fieldValues(f.Field, ev);
  const any = (pred: (v: string, x: string) => boolean, xs?: string[]) =>
    xs === undefined || vals.some((v) => xs.some((x) => pred(v, x)));
  const none = (pred: (v: string, x: string) => boolean, xs?: string[]) =>
    xs === undefined || !vals.some((v) => xs.some((x) => pred(v, x)));
  return (
    any((v, x) => v === x, f.Equals) &&
    any((v, x) => v.startsWith(x), f.StartsWith) &&
    any((v, x) => v.endsWith(x), f.EndsWith) &&
    none((v, x) => v === x, f.NotEquals) &&
    none((v, x) => v.startsWith(x), f.NotStartsWith) &&
    none((v, x) => v.endsWith(x), f.NotEndsWith)
  );
}

/** Whether the trail delivers the record (selectors and region rules). */
export function selects(cfg: TrailConfig, homeRegion: string, ev: SelectableRecord): boolean {
  if (ev.eventCategory === "Insight") return false;
  const global = GLOBAL_SOURCES.has(ev.eventSource);
  if (global && !cfg.IncludeGlobalServiceEvents) return false;
  if (!cfg.IsMultiRegionTrail && ev.awsRegion !== homeRegion) return false;
  if (cfg.AdvancedEventSelectors) {
    return (cfg.AdvancedEventSelectors as AdvancedEventSelector[]).some((s) =>
      s.FieldSelectors.every((f) => fieldMatch(f, ev)),
    );
  }
  const basic = (cfg.EventSelectors as EventSelector[] | undefined) ?? DEFAULT_SELECTORS;
  return basic.some((s) => basicMatch(s, ev));
}

/** Whether the trail logs write (or any) management events: Insights prerequisites (spec §6.1). */
export function logsManagement(cfg: TrailConfig, write: boolean): boolean {
  const probe = (readOnly: boolean): SelectableRecord => ({
    eventCategory: "Management",
    readOnly,
    eventSource: "ec2.amazonaws.com",
    eventName: "X",
    awsRegion: "",
    resources: [],
  });
  const m = (ro: boolean) => selects({ ...cfg, IsMultiRegionTrail: true }, "", probe(ro));
  return write ? m(false) : m(false) || m(true);
}
