/**
 * Gives podgate's generated OpenAPI schemas what kubectl reads in the apiserver's: Kubernetes'
 * own field descriptions (`kubectl explain`) and list/patch metadata (client-side apply).
 * Pure: a document in, the same document annotated in place.
 */
import { LIST_METADATA } from './patch-metadata';

type Schema = { [key: string]: unknown };
/** Kubernetes type → { '': its description, field: [description, field's Kubernetes type?] }. */
export type FieldDocs = Record<string, Record<string, string | [string] | [string, string]>>;

/** podgate's component schemas → the Kubernetes types they mirror. */
export const SCHEMA_TYPES: Record<string, string> = {
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

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null;

function annotateObject(schema: Schema, type: string, docs: FieldDocs): void {
  const fields = docs[type] ?? {};
  const lists = LIST_METADATA[type] ?? {};
  const properties = isSchema(schema.properties) ? schema.properties : {};
  for (const [name, value] of Object.entries(properties)) {
    if (!isSchema(value)) continue;
    const doc = fields[name];
    const [text, childType] = typeof doc === 'string' ? [doc] : (doc ?? []);
    let property = value;
    // As the apiserver's documents do: a described reference is `allOf: [{$ref}]`.
    if (typeof value.$ref === 'string' && text) {
      property = { allOf: [{ $ref: value.$ref }] };
      properties[name] = property;
    }
    if (text) property.description = text;
    Object.assign(property, lists[name] ?? {});
    if (childType) annotateNested(property, childType, docs);
  }
}

/** Descends into inline object schemas (directly, as array items or as map values). */
function annotateNested(schema: Schema, type: string, docs: FieldDocs): void {
  if (schema.$ref || schema.allOf) return;
  if (isSchema(schema.items)) annotateNested(schema.items, type, docs);
  else if (schema.properties) annotateObject(schema, type, docs);
  else if (isSchema(schema.additionalProperties)) {
    annotateNested(schema.additionalProperties, type, docs);
  }
}

/** Annotates `components.schemas` of a generated document (OpenAPI 3). */
export function annotateKubernetesSchemas(
  schemas: Record<string, unknown> | undefined,
  docs: FieldDocs,
): void {
  for (const [name, type] of Object.entries(SCHEMA_TYPES)) {
    const schema = schemas?.[name];
    if (!isSchema(schema)) continue;
    const description = docs[type]?.[''];
    if (typeof description === 'string') schema.description = description;
    annotateObject(schema, type, docs);
  }
}
