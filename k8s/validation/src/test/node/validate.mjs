// Validates rendered Kubernetes objects offline.
//   node validate.mjs <objects.json> <crd-schemas-dir>
// objects.json: [{"source": "...", "object": {...}}]. Built-in kinds: kubernetes-models (the Kubernetes
// API's OpenAPI schemas, via @kubernetes-models/validate). Custom resources: the openAPIV3Schema of their
// CRD (<dir>/<group>_<version>_<Kind>.json), compiled with ajv. Prints one JSON line per object and
// exits 1 when any object is invalid or of a kind nothing here can validate.
import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv";

const [objectsFile, schemaDir] = process.argv.slice(2);
const entries = JSON.parse(fs.readFileSync(objectsFile, "utf8"));
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new Map();
let failed = 0;

function crdValidator(group, version, kind) {
  const key = `${group}_${version}_${kind}`;
  if (!compiled.has(key)) {
    const file = path.join(schemaDir, `${key}.json`);
    compiled.set(key, fs.existsSync(file) ? ajv.compile(JSON.parse(fs.readFileSync(file, "utf8"))) : null);
  }
  return compiled.get(key);
}

async function builtin(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const module = group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  try {
    const models = await import(module);
    return models[kind] ?? null;
  } catch (e) {
    return null;
  }
}

for (const { source, object } of entries) {
  const apiVersion = object.apiVersion ?? "";
  const kind = object.kind ?? "";
  const name = object.metadata?.name ?? "";
  const result = { source, apiVersion, kind, name, validator: null, errors: [] };
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const crd = group.includes(".") && !group.endsWith(".k8s.io") ? crdValidator(group, version, kind) : null;
  if (crd) {
    result.validator = "crd-schema";
    if (!crd(object)) {
      result.errors = crd.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? `: ${e.params.additionalProperty}` : ""}${e.params?.allowedValues ? ` ${JSON.stringify(e.params.allowedValues)}` : ""}`);
    }
  } else {
    const Model = await builtin(apiVersion, kind);
    if (Model) {
      result.validator = "kubernetes-models";
      try {
        new Model(object).validate();
      } catch (e) {
        result.errors = [String(e.message ?? e)];
      }
    } else {
      result.errors = [`no schema for ${apiVersion} ${kind}`];
    }
  }
  if (result.errors.length > 0) failed++;
  console.log(JSON.stringify(result));
}
process.exit(failed > 0 ? 1 : 0);
