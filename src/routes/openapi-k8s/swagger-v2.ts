/**
 * The Swagger 2.0 form of the `api/v1` OpenAPI 3 document, as the apiserver serves `/openapi/v2`
 * (definitions, paths with consumes/produces and parameters, the x-kubernetes extensions).
 * kubectl ≤ 1.26 validates, explains and computes client-side apply patches from it.
 * Pure: an OpenAPI 3.0 document in, a Swagger 2.0 document out.
 */
export type Json = { [key: string]: unknown };

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const v2Ref = (ref: string) => ref.replace('#/components/schemas/', '#/definitions/');

/** What Swagger 2.0 can say of an OpenAPI 3 schema; a union it cannot type stays untyped. */
export function schemaToV2(schema: unknown): Json {
  if (!isObject(schema)) return {};
  if (typeof schema.$ref === 'string') return { $ref: v2Ref(schema.$ref) };
  const out: Json = {};
  for (const key of ['description', 'format', 'title', 'required']) {
    if (schema[key] !== undefined) out[key] = schema[key];
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-')) out[key] = value;
  }
  if (Array.isArray(schema.allOf)) {
    // kube writes a described reference as allOf: [{$ref}]; Swagger 2.0 keeps the $ref.
    const ref = schema.allOf.find((s) => isObject(s) && typeof s.$ref === 'string') as
      | Json
      | undefined;
    if (ref) return { ...out, $ref: v2Ref(String(ref.$ref)) };
  }
  const type = Array.isArray(schema.type)
    ? schema.type.filter((t) => t !== 'null')
    : schema.type !== undefined
      ? [schema.type]
      : [];
  if (type.length === 1) out.type = type[0];
  if (schema.items !== undefined) out.items = schemaToV2(schema.items);
  if (isObject(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, schemaToV2(v)]),
    );
  }
  // A loose object's `additionalProperties: {}` is not a map: only a typed value schema is.
  if (isObject(schema.additionalProperties) && Object.keys(schema.additionalProperties).length) {
    out.additionalProperties = schemaToV2(schema.additionalProperties);
  }
  return out;
}

type Operation = {
  tags?: string[];
  summary?: string;
  description?: string;
  operationId?: string;
  parameters?: Json[];
  requestBody?: { content?: Json; description?: string; required?: boolean };
  responses?: Record<string, { description?: string; content?: Json }>;
  [key: `x-${string}`]: unknown;
};

function parameterToV2(parameter: Json): Json {
  const schema = isObject(parameter.schema) ? schemaToV2(parameter.schema) : {};
  return {
    name: parameter.name,
    in: parameter.in,
    ...(parameter.description ? { description: parameter.description } : {}),
    ...(parameter.required ? { required: true } : {}),
    type: typeof schema.type === 'string' ? schema.type : 'string',
    uniqueItems: true,
  };
}

function operationToV2(operation: Operation): Json {
  const content = operation.requestBody?.content ?? {};
  const consumes = Object.keys(content);
  const bodySchema = Object.values(content).find(isObject)?.schema;
  const parameters = (operation.parameters ?? []).map(parameterToV2);
  if (operation.requestBody) {
    parameters.push({
      name: 'body',
      in: 'body',
      required: operation.requestBody.required ?? false,
      schema: schemaToV2(bodySchema),
    });
  }
  const produces = new Set<string>();
  const responses: Json = {};
  for (const [code, response] of Object.entries(operation.responses ?? {})) {
    const media = Object.entries(response.content ?? {});
    for (const [type] of media) produces.add(type);
    const schema = media.map(([, m]) => (isObject(m) ? m.schema : undefined)).find(isObject);
    responses[code] = {
      description: response.description ?? '',
      ...(schema ? { schema: schemaToV2(schema) } : {}),
    };
  }
  const out: Json = {
    ...(operation.tags ? { tags: operation.tags } : {}),
    ...(operation.description || operation.summary
      ? { description: operation.description ?? operation.summary }
      : {}),
    ...(operation.operationId ? { operationId: operation.operationId } : {}),
    ...(consumes.length ? { consumes } : {}),
    ...(produces.size ? { produces: [...produces] } : {}),
    parameters,
    responses,
  };
  for (const [key, value] of Object.entries(operation)) {
    if (key.startsWith('x-')) out[key] = value;
  }
  return out;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/** The Swagger 2.0 document for an OpenAPI 3 document. */
export function swaggerV2(doc: {
  info: { title: string; version: string };
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
}): Json {
  const paths: Json = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!isObject(item)) continue;
    const out: Json = {};
    for (const method of METHODS) {
      if (isObject(item[method])) out[method] = operationToV2(item[method] as Operation);
    }
    paths[path] = out;
  }
  const definitions = Object.fromEntries(
    Object.entries(doc.components?.schemas ?? {}).map(([name, s]) => [name, schemaToV2(s)]),
  );
  return {
    swagger: '2.0',
    info: { title: doc.info.title, version: doc.info.version },
    paths,
    definitions,
  };
}
