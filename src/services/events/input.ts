/**
 * What a target receives: the event, or its Input (constant JSON), InputPath (a part of the event), or
 * InputTransformer (InputPathsMap + InputTemplate), as "Transforming target input" documents, with the quoting rules
 * recorded on AWS (aws-recordings/events/test_events_inputs): inside a JSON string a value is written as text
 * (objects and lists in EventBridge's unquoted form `{k:v,...}` / `[a,b]`, a missing value as nothing); outside a
 * string as JSON (a missing value as null).
 */
import { awsError } from "../../errors/index.js";
import { evaluate, parsePath, type Step } from "./jsonpath.js";
import type { TargetDoc } from "./resources.js";

/** What the reserved variables read besides the event. */
export interface InputContext {
  ruleArn: string;
  ruleName: string;
  /** Epoch ms. */
  ingestionTime: number;
}

const RESERVED = new Set([
  "aws.events.rule-arn",
  "aws.events.rule-name",
  "aws.events.event.ingestion-time",
  "aws.events.event",
  "aws.events.event.json",
]);
const PLACEHOLDER = /<([^<>\s"]+)>/g;
/** The same, anchored where the template scan stands (its own object: lastIndex is state). */
const PLACEHOLDER_AT = /<([^<>\s"]+)>/y;
const KEY = /^[A-Za-z0-9_-]+$/;
/** InputPathsMap: "You can have as many as 100 key-value pairs" (InputTransformer API reference). */
const MAX_PATHS = 100;

const invalid = (message: string) => awsError("ValidationException", message);

/** Checks a target's input members as PutTargets does; throws ValidationException. */
export function checkTargetInput(t: TargetDoc): void {
  const given = [t.Input !== undefined, t.InputPath !== undefined, t.InputTransformer !== undefined].filter(Boolean);
  if (given.length > 1)
    throw invalid(`Only one of Input, InputPath, or InputTransformer must be provided for target ${t.Id}.`);
  if (t.Input !== undefined && !isJson(t.Input)) throw invalid(`Input for target ${t.Id} is not valid JSON text.`);
  // Assumption: AWS's exact wording for a path outside the subset is not recorded.
  if (t.InputPath !== undefined && !parsePath(t.InputPath))
    throw invalid(`InputPath for target ${t.Id} is not a valid JSONPath expression.`);
  const tr = t.InputTransformer;
  if (!tr) return;
  const paths = tr.InputPathsMap ?? {};
  const keys = Object.keys(paths);
  if (keys.length > MAX_PATHS) throw invalid(`InputPathsMap for target ${t.Id} has more than ${MAX_PATHS} entries.`);
  for (const k of keys) {
    if (RESERVED.has(k) || k.startsWith("aws."))
      throw invalid(`InputTransformer for target ${t.Id} contains reserved key ${k}.`);
    if (!KEY.test(k)) throw invalid(`InputPathsMap for target ${t.Id} contains invalid key ${k}.`);
    if (!parsePath(paths[k]!)) throw invalid(`InputPathsMap for target ${t.Id} contains invalid JSONPath ${paths[k]}.`);
  }
  for (const m of tr.InputTemplate.matchAll(new RegExp(PLACEHOLDER.source, "g"))) {
    const name = m[1]!;
    if (!RESERVED.has(name) && !Object.prototype.hasOwnProperty.call(paths, name))
      throw invalid(`InputTemplate for target ${t.Id} contains invalid placeholder ${name}.`);
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const compiledPaths = new Map<string, Step[]>();
function steps(path: string): Step[] {
  let s = compiledPaths.get(path);
  if (!s) {
    s = parsePath(path) ?? [];
    if (compiledPaths.size > 10_000) compiledPaths.clear();
    compiledPaths.set(path, s);
  }
  return s;
}

/**
 * The payload a target receives for an event (`event` parsed, `eventJson` its text); undefined when an InputPath
 * names nothing in the event (assumption: the target is then not invoked).
 */
export function renderInput(
  t: TargetDoc,
  event: Record<string, unknown>,
  eventJson: string,
  ctx: InputContext,
): string | undefined {
  if (t.Input !== undefined) return t.Input;
  if (t.InputPath !== undefined) {
    const v = evaluate(steps(t.InputPath), event);
    return v === undefined ? undefined : JSON.stringify(v);
  }
  const tr = t.InputTransformer;
  if (!tr) return eventJson;
  const values = new Map<string, unknown>();
  for (const [k, p] of Object.entries(tr.InputPathsMap ?? {})) values.set(k, evaluate(steps(p), event));
  const reserved = (name: string): unknown => {
    switch (name) {
      case "aws.events.rule-arn":
        return ctx.ruleArn;
      case "aws.events.rule-name":
        return ctx.ruleName;
      case "aws.events.event.ingestion-time":
        return new Date(ctx.ingestionTime).toISOString();
      case "aws.events.event":
        // Recorded: the envelope without detail, detail-type spelled detailType, time the ingestion time.
        return {
          id: event.id,
          account: event.account,
          detailType: event["detail-type"],
          time: new Date(ctx.ingestionTime).toISOString(),
          source: event.source,
          region: event.region,
          resources: event.resources,
          version: event.version,
        };
      default:
        return undefined;
    }
  };
  return fill(tr.InputTemplate, (name, inString) => {
    if (name === "aws.events.event.json") return inString ? unquoted(event) : eventJson;
    const v = values.has(name) ? values.get(name) : reserved(name);
    if (inString) return v === undefined || v === null ? "" : unquoted(v);
    return v === undefined ? "null" : JSON.stringify(v);
  });
}

/** Replaces each placeholder, telling the writer whether it sits inside a JSON string of the template. */
function fill(template: string, write: (name: string, inString: boolean) => string): string {
  let out = "";
  let inString = false;
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c === "\\" && inString) {
      out += template.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === "<") {
      PLACEHOLDER_AT.lastIndex = i;
      const m = PLACEHOLDER_AT.exec(template);
      if (m) {
        out += write(m[1]!, inString);
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

/** A value written inside a string: text as is, objects and lists without quotes (recorded). */
function unquoted(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `[${v.map(unquoted).join(",")}]`;
  if (typeof v === "object") {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}:${unquoted(x)}`)
      .join(",")}}`;
  }
  return String(v);
}
