/**
 * `/openapi/v2` in protobuf: the Swagger 2.0 document as gnostic's `openapi.v2.Document`
 * (OpenAPIv2.proto), encoded by protobufjs' generated encoder — what kubectl ≤ 1.26 asks for
 * with `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`. Vendor extensions
 * travel as `Any { yaml }` (JSON is YAML), as kube-openapi reads them.
 */
import protobuf from 'protobufjs/minimal.js';
import { openapi } from './openapi-v2.pb.js';
import type { Json } from './swagger-v2';

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const extensions = (value: Json) =>
  Object.entries(value)
    .filter(([key]) => key.startsWith('x-'))
    .map(([name, v]) => ({ name, value: { yaml: `${JSON.stringify(v)}\n` } }));

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function schemaMessage(schema: unknown): Json {
  if (!isObject(schema)) return {};
  const out: Json = {
    _ref: str(schema.$ref),
    format: str(schema.format),
    title: str(schema.title),
    description: str(schema.description),
    required: Array.isArray(schema.required) ? schema.required : undefined,
    type: typeof schema.type === 'string' ? { value: [schema.type] } : undefined,
    items: schema.items !== undefined ? { schema: [schemaMessage(schema.items)] } : undefined,
    properties: isObject(schema.properties)
      ? {
          additional_properties: Object.entries(schema.properties).map(([name, v]) => ({
            name,
            value: schemaMessage(v),
          })),
        }
      : undefined,
    additional_properties: isObject(schema.additionalProperties)
      ? { schema: schemaMessage(schema.additionalProperties) }
      : undefined,
    vendor_extension: extensions(schema),
  };
  return out;
}

function parameterMessage(parameter: Json): Json {
  if (parameter.in === 'body') {
    return {
      parameter: {
        body_parameter: {
          name: str(parameter.name),
          in: 'body',
          required: parameter.required === true,
          schema: schemaMessage(parameter.schema),
        },
      },
    };
  }
  const sub = {
    name: str(parameter.name),
    in: str(parameter.in),
    description: str(parameter.description),
    required: parameter.required === true,
    type: str(parameter.type),
    unique_items: parameter.uniqueItems === true,
  };
  const kind = parameter.in === 'path' ? 'path_parameter_sub_schema' : 'query_parameter_sub_schema';
  return { parameter: { non_body_parameter: { [kind]: sub } } };
}

function operationMessage(operation: Json): Json {
  const responses = isObject(operation.responses) ? operation.responses : {};
  return {
    tags: operation.tags,
    description: str(operation.description),
    operation_id: str(operation.operationId),
    consumes: operation.consumes,
    produces: operation.produces,
    parameters: Array.isArray(operation.parameters)
      ? operation.parameters.filter(isObject).map(parameterMessage)
      : [],
    responses: {
      response_code: Object.entries(responses).map(([name, r]) => ({
        name,
        value: {
          response: {
            description: isObject(r) ? (str(r.description) ?? '') : '',
            ...(isObject(r) && r.schema ? { schema: { schema: schemaMessage(r.schema) } } : {}),
          },
        },
      })),
    },
    vendor_extension: extensions(operation),
  };
}

/** Encodes a Swagger 2.0 document (swagger-v2.ts) as gnostic's protobuf Document. */
export function encodeGnosticV2(doc: Json): Uint8Array {
  const info = isObject(doc.info) ? doc.info : {};
  const paths = isObject(doc.paths) ? doc.paths : {};
  const definitions = isObject(doc.definitions) ? doc.definitions : {};
  const message = {
    swagger: '2.0',
    info: { title: str(info.title), version: str(info.version) },
    paths: {
      path: Object.entries(paths).map(([name, item]) => ({
        name,
        value: Object.fromEntries(
          Object.entries(isObject(item) ? item : {}).map(([method, op]) => [
            method,
            operationMessage(isObject(op) ? op : {}),
          ]),
        ),
      })),
    },
    definitions: {
      additional_properties: Object.entries(definitions).map(([name, s]) => ({
        name,
        value: schemaMessage(s),
      })),
    },
  };
  // The plain Writer, not protobufjs' Node Buffer writer: workerd's Buffer.utf8Write takes
  // other arguments than Node's, and the plain one needs nothing from Node.
  return openapi.v2.Document.encode(message, new protobuf.Writer()).finish();
}
