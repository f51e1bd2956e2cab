/**
 * The JSONPath subset EventBridge accepts in InputPath and InputPathsMap ("Transforming inputs to targets"): a path
 * from the root `$` through `.key`, `['key']` / `["key"]`, `[n]` and the wildcard `[*]` / `.*`. No filters, scripts,
 * slices or recursive descent: a small own evaluator (jsonpath libraries carry code-execution CVEs), linear in the
 * path and bounded by the event.
 */

export type Step = { key: string } | { index: number } | { wildcard: true };

/** The maximum length of a path (the model caps TargetInputPath at 256 characters). */
const MAX_PATH = 256;

/** Parses a path; undefined when it is not in the subset. */
export function parsePath(path: string): Step[] | undefined {
  if (path.length > MAX_PATH || path[0] !== "$") return undefined;
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === ".") {
      if (path[i + 1] === "*") {
        steps.push({ wildcard: true });
        i += 2;
        continue;
      }
      const m = /^[^.[\]\s]+/.exec(path.slice(i + 1));
      if (!m) return undefined;
      steps.push({ key: m[0] });
      i += 1 + m[0].length;
    } else if (c === "[") {
      const rest = path.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^\[(\d+)\]/.exec(rest))) steps.push({ index: Number(m[1]) });
      else if ((m = /^\[\*\]/.exec(rest))) steps.push({ wildcard: true });
      else if ((m = /^\['([^']*)'\]/.exec(rest)) || (m = /^\["([^"]*)"\]/.exec(rest))) steps.push({ key: m[1]! });
      else return undefined;
      i += m[0].length;
    } else return undefined;
  }
  return steps;
}

/**
 * The value at the path, or undefined when the event has nothing there. A wildcard step collects what every element
 * or member yields, as a list.
 */
export function evaluate(steps: readonly Step[], value: unknown, from = 0): unknown {
  let cur = value;
  for (let s = from; s < steps.length; s++) {
    const step = steps[s]!;
    if ("wildcard" in step) {
      if (cur === null || typeof cur !== "object") return undefined;
      const out: unknown[] = [];
      for (const v of Array.isArray(cur) ? cur : Object.values(cur)) {
        const r = evaluate(steps, v, s + 1);
        if (r !== undefined) out.push(r);
      }
      return out;
    }
    if ("index" in step) {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step.index];
    } else {
      if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
      if (!Object.prototype.hasOwnProperty.call(cur, step.key)) return undefined;
      cur = (cur as Record<string, unknown>)[step.key];
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}
