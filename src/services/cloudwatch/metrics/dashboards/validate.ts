/**
 * DashboardBody checks (CloudWatch "Dashboard Body Structure and Syntax"): a JSON object with a `widgets` array;
 * each widget has a known `type`, a `properties` object, and x/y/width/height within the 24-column grid. Problems
 * are reported as AWS does, a JSON-schema style list of { dataPath, message }.
 */

export interface ValidationMessage {
  DataPath: string;
  Message: string;
}

const TYPES = new Set(["metric", "text", "log", "alarm", "explorer", "custom"]);

export function validateDashboardBody(body: string): ValidationMessage[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return [{ DataPath: "", Message: "Invalid JSON" }];
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    return [{ DataPath: "", Message: "Should be object" }];
  const widgets = (doc as Record<string, unknown>).widgets;
  if (widgets === undefined) return [{ DataPath: "", Message: "Should have required property 'widgets'" }];
  if (!Array.isArray(widgets)) return [{ DataPath: "/widgets", Message: "Should be array" }];
  const out: ValidationMessage[] = [];
  widgets.forEach((w: unknown, i) => {
    const path = `/widgets/${i}`;
    if (w === null || typeof w !== "object" || Array.isArray(w)) {
      out.push({ DataPath: path, Message: "Should be object" });
      return;
    }
    const widget = w as Record<string, unknown>;
    if (widget.type === undefined) out.push({ DataPath: path, Message: "Should have required property 'type'" });
    else if (typeof widget.type !== "string" || !TYPES.has(widget.type))
      out.push({
        DataPath: `${path}/type`,
        Message: `Should be equal to one of the allowed values: ${[...TYPES].join(", ")}`,
      });
    if (widget.properties === undefined)
      out.push({ DataPath: path, Message: "Should have required property 'properties'" });
    else if (widget.properties === null || typeof widget.properties !== "object" || Array.isArray(widget.properties))
      out.push({ DataPath: `${path}/properties`, Message: "Should be object" });
    const bounds: [string, number, number][] = [
      ["x", 0, 23],
      ["y", 0, Number.MAX_SAFE_INTEGER],
      ["width", 1, 24],
      ["height", 1, 1000],
    ];
    for (const [k, lo, hi] of bounds) {
      const v = widget[k];
      if (v === undefined) continue;
      if (typeof v !== "number" || !Number.isInteger(v))
        out.push({ DataPath: `${path}/${k}`, Message: "Should be integer" });
      else if (v < lo) out.push({ DataPath: `${path}/${k}`, Message: `Should be >= ${lo}` });
      else if (v > hi) out.push({ DataPath: `${path}/${k}`, Message: `Should be <= ${hi}` });
    }
    const props = widget.properties as Record<string, unknown> | undefined;
    if (widget.type === "metric" && props && typeof props === "object") {
      const metrics = props.metrics;
      if (metrics !== undefined && !Array.isArray(metrics))
        out.push({ DataPath: `${path}/properties/metrics`, Message: "Should be array" });
      if (metrics === undefined && props.annotations === undefined && props.alarms === undefined)
        out.push({ DataPath: `${path}/properties`, Message: "Should have required property 'metrics'" });
    }
    if (widget.type === "text" && props && typeof props === "object" && typeof props.markdown !== "string")
      out.push({ DataPath: `${path}/properties`, Message: "Should have required property 'markdown'" });
  });
  return out;
}
