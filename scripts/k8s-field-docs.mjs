#!/usr/bin/env node
// `node scripts/k8s-field-docs.mjs`: writes src/routes/openapi-k8s/field-docs.txt (JSON), Kubernetes'
// own descriptions (from the generated models of @kubernetes/client-node, i.e. the apiserver's
// OpenAPI) for exactly the fields podgate's published Pod schema has, so kubectl explain reads
// the apiserver's words. Shape: { "<K8sType>": { "": type description, "<field>": [description,
// "<K8sType of the field>"?] } }, one entry per Kubernetes type (a Probe's words are stored once
// for its three uses). Run after `npm run openapi` when the Pod schema changes; commit the result.
// A .txt (wrangler Text module): parsed only when a /openapi document is first asked for.
// client-node's models omit the description of a field whose type is another object (spec,
// status, probes...); pass k8s.io/api's core/v1/types_swagger_doc_generated.go (the source of
// the apiserver's descriptions) to fill those in:
//   node scripts/k8s-field-docs.mjs path/to/types_swagger_doc_generated.go
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const models = `${root}node_modules/@kubernetes/client-node/dist/gen/models/`;
const doc = JSON.parse(readFileSync(`${root}openapi/openapi.json`, 'utf8'));

/** Our component schema → the Kubernetes model it mirrors. */
const ROOTS = {
  Pod: 'V1Pod',
  PodList: 'V1PodList',
  ObjectMeta: 'V1ObjectMeta',
  ListMeta: 'V1ListMeta',
  PodSpec: 'V1PodSpec',
  Container: 'V1Container',
  PodStatus: 'V1PodStatus',
  PodCondition: 'V1PodCondition',
  ContainerStatus: 'V1ContainerStatus',
  Status: 'V1Status',
};

const unescapeQuotes = (s) => s.replace(/\\(['"\\])/g, '$1');

/** `map_Type = map[string]string{"field": "text", ...}` blocks of the Go swagger-doc file. */
function goSwaggerDocs(file) {
  const docs = {};
  if (!file) return docs;
  const text = readFileSync(file, 'utf8');
  for (const block of text.matchAll(/^var map_(\w+) = map\[string\]string\{\n([\s\S]*?)\n\}/gm)) {
    const fields = {};
    for (const line of block[2].matchAll(/^\t"([^"]*)":\s+("(?:[^"\\]|\\.)*"),$/gm)) {
      fields[line[1]] = JSON.parse(line[2]);
    }
    docs[`V1${block[1]}`] = fields;
  }
  return docs;
}
const goDocs = goSwaggerDocs(process.argv[2]);

const cache = new Map();
/** A model's description, property descriptions and property types. */
async function model(name) {
  if (cache.has(name)) return cache.get(name);
  let dts;
  try {
    dts = readFileSync(`${models}${name}.d.ts`, 'utf8');
  } catch {
    cache.set(name, undefined);
    return undefined;
  }
  const { [name]: cls } = await import(`${models}${name}.js`);
  const head = dts.match(/\/\*\*\n\* ([\s\S]*?)\n\*\/\nexport declare class/);
  const props = {};
  for (const m of dts.matchAll(
    /\/\*\*\n\s*\* ((?:(?!\*\/)[\s\S])*?)\n\s*\*\/\n\s*'([^']+)'\??:/g,
  )) {
    props[m[2]] = unescapeQuotes(m[1].trim());
  }
  const types = {};
  for (const a of cls.getAttributeTypeMap()) {
    types[a.baseName] = a.type
      .replace(/^Array<(.*)>$/, '$1')
      .replace(/^\{ \[key: string\]: (.*); \}$/, '$1');
    if (a.name !== a.baseName && props[a.name]) props[a.baseName] = props[a.name];
  }
  for (const [field, text] of Object.entries(goDocs[name] ?? {})) {
    if (field && !props[field]) props[field] = text;
  }
  const entry = { description: head ? unescapeQuotes(head[1].trim()) : undefined, props, types };
  cache.set(name, entry);
  return entry;
}

const out = {};
const note = (type, key, value) => {
  out[type] ??= {};
  out[type][key] = value;
};
async function walk(schema, key, k8sType) {
  if (!schema || typeof schema !== 'object' || schema.$ref) return;
  const target =
    schema.items ??
    (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
  if (schema.type === 'array' || (schema.type === 'object' && !schema.properties && target)) {
    return walk(target, key, k8sType);
  }
  const m = k8sType && (await model(k8sType));
  if (!m || !schema.properties) return;
  for (const [prop, sub] of Object.entries(schema.properties)) {
    const text = m.props[prop];
    const child = m.types[prop];
    const childModel = child && (await model(child));
    if (text) note(k8sType, prop, childModel ? [text, child] : [text]);
    if (childModel?.description) note(child, '', childModel.description);
    await walk(sub, `${key}.${prop}`, child);
  }
}

for (const [schemaName, k8sType] of Object.entries(ROOTS)) {
  const schema = doc.components.schemas[schemaName];
  if (!schema) continue;
  const m = await model(k8sType);
  if (m?.description) note(k8sType, '', m.description);
  await walk(schema, schemaName, k8sType);
}
const file = `${root}src/routes/openapi-k8s/field-docs.txt`;
writeFileSync(file, `${JSON.stringify(out)}\n`);
console.log(`${file}: ${Object.keys(out).length} types`);
