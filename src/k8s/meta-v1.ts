/**
 * zod schemas for the meta.k8s.io/v1 objects the Pod API uses: ObjectMeta, ListMeta, Status,
 * Table, PartialObjectMetadata, DeleteOptions, plus the PodLogOptions query shape.
 */
import * as z from 'zod';

const str = z.string();
const int = z.number().int();
/** RFC 3339 time as the apiserver writes it; `null` is what `kubectl … -o yaml` round-trips. */
const time = str.nullable();

const ownerReference = z.looseObject({
  apiVersion: str,
  kind: str,
  name: str,
  uid: str,
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});

export const objectMetaSchema = z
  .looseObject({
    name: str.optional(),
    generateName: str.optional(),
    namespace: str.optional(),
    selfLink: str.optional(),
    uid: str.optional(),
    resourceVersion: str.optional(),
    generation: int.optional(),
    creationTimestamp: time.optional(),
    deletionTimestamp: time.optional(),
    deletionGracePeriodSeconds: int.optional(),
    labels: z.record(str, str).optional(),
    annotations: z.record(str, str).optional(),
    ownerReferences: z.array(ownerReference).optional(),
    finalizers: z.array(str).optional(),
    managedFields: z.array(z.looseObject({})).optional(),
  })
  .meta({ id: 'ObjectMeta', description: 'Standard object metadata.' });
export type ObjectMeta = z.infer<typeof objectMetaSchema>;

export const listMetaSchema = z
  .looseObject({
    resourceVersion: str.optional(),
    continue: str.optional(),
    remainingItemCount: int.optional(),
    selfLink: str.optional(),
  })
  .meta({ id: 'ListMeta', description: 'Standard list metadata.' });
export type ListMeta = z.infer<typeof listMetaSchema>;

export const partialObjectMetadataSchema = z
  .looseObject({
    kind: z.literal('PartialObjectMetadata'),
    apiVersion: z.literal('meta.k8s.io/v1'),
    metadata: objectMetaSchema,
  })
  .meta({
    id: 'PartialObjectMetadata',
    description: 'Only the metadata of an object, as Table rows carry it by default.',
  });
export type PartialObjectMetadata = z.infer<typeof partialObjectMetadataSchema>;

const causeReason = z.enum([
  'FieldValueForbidden',
  'FieldValueInvalid',
  'FieldValueRequired',
  'FieldValueNotSupported',
  'FieldValueDuplicate',
  'FieldValueTooLong',
  'FieldValueNotFound',
  'FieldValueTypeInvalid',
  'ResourceVersionTooLarge',
  'UnexpectedServerResponse',
]);

/** The same shape status.ts builds; kept in step by a type test in meta-v1.test.ts. */
export const statusSchema = z
  .object({
    kind: z.literal('Status'),
    apiVersion: z.literal('v1'),
    metadata: z.object({}),
    status: z.enum(['Failure', 'Success']),
    message: str,
    reason: str,
    details: z
      .object({
        name: str.optional(),
        group: str.optional(),
        kind: str.optional(),
        uid: str.optional(),
        causes: z
          .array(z.object({ reason: causeReason.optional(), message: str, field: str.optional() }))
          .optional(),
        retryAfterSeconds: int.optional(),
      })
      .optional(),
    code: int,
  })
  .meta({ id: 'Status', description: 'A Kubernetes Status, returned for every error.' });
export type StatusObject = z.infer<typeof statusSchema>;

export const tableColumnDefinitionSchema = z
  .object({
    name: str,
    type: str,
    format: str,
    description: str,
    priority: int,
  })
  .meta({ id: 'TableColumnDefinition', description: 'One column of a server-side Table.' });
export type TableColumnDefinition = z.infer<typeof tableColumnDefinitionSchema>;

export const tableRowSchema = z
  .object({
    cells: z.array(z.union([str, z.number(), z.boolean(), z.null()])),
    conditions: z
      .array(z.looseObject({ type: str, status: str, reason: str.optional() }))
      .optional(),
    object: z.looseObject({}).optional(),
  })
  .meta({ id: 'TableRow', description: 'One row of a server-side Table.' });
export type TableRow = z.infer<typeof tableRowSchema>;

export const tableSchema = z
  .object({
    kind: z.literal('Table'),
    apiVersion: z.literal('meta.k8s.io/v1'),
    metadata: listMetaSchema,
    /** `null` on watch events after the first (the apiserver's NoHeaders). */
    columnDefinitions: z.array(tableColumnDefinitionSchema).nullable(),
    rows: z.array(tableRowSchema),
  })
  .meta({ id: 'Table', description: 'A server-side rendered table (kubectl get).' });
export type Table = z.infer<typeof tableSchema>;

export const deleteOptionsSchema = z
  .looseObject({
    kind: z.literal('DeleteOptions').optional(),
    apiVersion: str.optional(),
    gracePeriodSeconds: int.optional(),
    preconditions: z.object({ uid: str.optional(), resourceVersion: str.optional() }).optional(),
    orphanDependents: z.boolean().optional(),
    propagationPolicy: z.enum(['Orphan', 'Background', 'Foreground']).optional(),
    dryRun: z.array(str).optional(),
  })
  .meta({ id: 'DeleteOptions', description: 'Options for deleting a pod.' });
export type DeleteOptions = z.infer<typeof deleteOptionsSchema>;

/** Go's strconv.ParseBool spellings, which the apiserver's query decoder accepts. */
const queryBool = z.stringbool({
  truthy: ['1', 't', 'T', 'true', 'TRUE', 'True'],
  falsy: ['0', 'f', 'F', 'false', 'FALSE', 'False'],
});
const queryInt = z.coerce.number().int();

/** `GET …/pods/{name}/log` query parameters (types only; ValidatePodLogOptions range checks are not written yet). */
export const podLogOptionsSchema = z
  .object({
    container: str.optional(),
    follow: queryBool.optional(),
    previous: queryBool.optional(),
    sinceSeconds: queryInt.optional(),
    sinceTime: str.optional(),
    timestamps: queryBool.optional(),
    tailLines: queryInt.optional(),
    limitBytes: queryInt.optional(),
    insecureSkipTLSVerifyBackend: queryBool.optional(),
    stream: z.enum(['All', 'Stdout', 'Stderr']).optional(),
  })
  .meta({ id: 'PodLogOptions', description: 'Query parameters of the pods/log subresource.' });
export type PodLogOptions = z.infer<typeof podLogOptionsSchema>;
