/**
 * requestParameters and responseElements come from converters compiled per shape (audit/record.ts). Checked against
 * the plain definition (walk the model for every value, build the object CloudTrail shows, then JSON.stringify it) on
 * random values of every input and output shape of every vendored model, wrong types and absent members included.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { HIDDEN, recordElementsJson } from "../../src/audit/record.js";
import { loadModel, type ServiceModel } from "../../src/protocol/model.js";

const lowerFirst = (s: string) => (s.length === 0 ? s : s[0]!.toLowerCase() + s.slice(1));

/** The definition: lower-camel keys, ISO timestamps, sensitive values hidden, blobs and streams left out. */
function reference(model: ServiceModel, shapeName: string, value: unknown): unknown {
  const shape = model.shapes[shapeName];
  if (value === undefined || value === null || !shape) return value ?? null;
  if (shape.sensitive) return HIDDEN;
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object") return value;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = (value as Record<string, unknown>)[name];
        if (v === undefined || v === null || ref.streaming || model.shapes[ref.shape]?.type === "blob") continue;
        out[lowerFirst(name)] = reference(model, ref.shape, v);
      }
      return out;
    }
    case "list":
      return Array.isArray(value) ? value.map((v) => reference(model, shape.member!.shape, v)) : value;
    case "map": {
      if (typeof value !== "object") return value;
      // Without a prototype, a "__proto__" key is a key like any other (as JSON.parse makes it).
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        out[k] = reference(model, shape.value!.shape, v);
      return out;
    }
    case "timestamp": {
      if (!(value instanceof Date) && typeof value !== "number") return value;
      // An invalid time is null.
      const t = new Date(value);
      return Number.isNaN(t.getTime()) ? null : t.toISOString();
    }
    default:
      return value;
  }
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = ["", "a", 'quote " and \\ backslash', "line\nbreak", "\u0000nul", "é ünïcode ✓", "1", "__proto__"];

function valueOf(model: ServiceModel, shapeName: string, r: () => number, depth: number): unknown {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  // Now and then a value of the wrong type, or none.
  const odd = r();
  if (odd < 0.04) return pick([null, undefined, 7, "text", true, [1], { x: 1 }, Number.NaN]);
  const shape = model.shapes[shapeName]!;
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      for (const [name, ref] of Object.entries(shape.members ?? {}))
        if (r() < 0.6) out[name] = valueOf(model, ref.shape, r, depth + 1);
      return out;
    }
    case "list":
      return depth > 4
        ? []
        : Array.from({ length: Math.floor(r() * 3) }, () => valueOf(model, shape.member!.shape, r, depth + 1));
    case "map": {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      // Keys as JSON.parse makes them: "__proto__" is an own key.
      for (let i = Math.floor(r() * 3); i > 0; i--)
        Object.defineProperty(out, pick([...STRINGS, "2", "10"]), {
          value: valueOf(model, shape.value!.shape, r, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    }
    case "timestamp":
      return r() < 0.5
        ? new Date(1_700_000_000_000 + Math.floor(r() * 1e9))
        : 1_700_000_000_000 + Math.floor(r() * 1e9);
    case "blob":
      return Buffer.from("blob");
    case "boolean":
      return r() < 0.5;
    case "integer":
    case "long":
      return Math.floor(r() * 2000) - 1000;
    case "float":
    case "double":
      return pick([0, -1.5, 1e300, 3.25, Number.POSITIVE_INFINITY]);
    default:
      return shape.enum ? pick(shape.enum) : pick(STRINGS);
  }
}

const MODELS = readdirSync(new URL("../../models/", import.meta.url))
  .filter((f) => f.endsWith(".json"))
  .map((f) => loadModel(f.slice(0, -5)));

test("records' elements are the JSON of the definition, for every operation's input and output", () => {
  const shapes = MODELS.flatMap((model) =>
    Object.values(model.operations).flatMap((op) =>
      [op.input?.shape, op.output?.shape].filter((s): s is string => !!s).map((s) => ({ model, s })),
    ),
  );
  assert.ok(shapes.length > 300, `${shapes.length} shapes`);
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const r = rng(seed);
      for (const { model, s } of shapes) {
        const v = valueOf(model, s, r, 0);
        const got = recordElementsJson(model, s, v);
        const want = JSON.stringify(reference(model, s, v) ?? null);
        assert.equal(got, want, `${model.metadata.endpointPrefix} ${s}`);
      }
    }),
    { numRuns: 40 },
  );
});
