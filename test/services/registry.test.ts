import assert from "node:assert/strict";
import { test } from "node:test";
import { loadModel } from "../../src/protocol/model.js";
import { byApiVersion, byTargetPrefix, SERVICES } from "../../src/services/registry.js";

test("every service's model is vendored and its handlers name real operations", () => {
  for (const def of SERVICES) {
    const model = loadModel(def.name);
    for (const op of Object.keys(def.handlers))
      assert.ok(model.operations[op], `${def.name}:${op} is not in the model`);
    for (const op of def.dataEvents ?? [])
      assert.ok(model.operations[op], `${def.name}:${op} (data event) is not in the model`);
  }
});

test("routing tables agree with the models' metadata", () => {
  for (const [prefix, def] of byTargetPrefix) {
    const full = loadModel(def.name).metadata.targetPrefix!;
    assert.ok(full === prefix || full.endsWith(`.${prefix}`), `${prefix} names ${def.name}`);
  }
  for (const [version, def] of byApiVersion) assert.equal(loadModel(def.name).metadata.apiVersion, version);
  for (const def of SERVICES) {
    const md = loadModel(def.name).metadata;
    if (md.targetPrefix) assert.equal(byTargetPrefix.get(md.targetPrefix), def, `${def.name} target prefix is routed`);
    assert.equal(md.signingName ?? md.endpointPrefix, def.signingName, `${def.name} signing name`);
  }
});
