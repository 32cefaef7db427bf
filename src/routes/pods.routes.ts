/**
 * The Pod API's routes as OpenAPI definitions (`createRoute`), so the published document is
 * generated from the same objects the router uses and cannot drift from the code.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { podListSchema, podSchema, statusSchema, tableSchema, withoutNulls } from '../k8s/pod';
import {
  newPodExample,
  patchExamples,
  podExample,
  podListExample,
  statusExamples,
} from './openapi-examples';

const tags = ['pods'];

/** A Pod request body, decoded as the apiserver does: `null` members are ignored. */
export const podBodySchema = z.preprocess(withoutNulls, podSchema);
const security = [{ bearerAuth: [] }];

const namespaceParam = z.string().openapi({
  param: { name: 'namespace', in: 'path' },
  description: 'The Kubernetes namespace (configured in PODGATE_NAMESPACES).',
  example: 'default',
});
const nameParam = z.string().openapi({
  param: { name: 'name', in: 'path' },
  description: 'The pod name.',
  example: 'web',
});

const integerQuery = (description: string) =>
  z.coerce.number().int().min(0).optional().openapi({ type: 'integer', description });
const dryRun = z
  .enum(['All'])
  .optional()
  .openapi({ description: '`All`: validate fully and report the outcome, but change nothing.' });

export const listQuery = z.object({
  labelSelector: z.string().optional().openapi({ example: 'app=web,tier in (front,edge)' }),
  fieldSelector: z.string().optional().openapi({ example: 'status.phase=Running' }),
  limit: integerQuery('At most this many items; `metadata.continue` fetches the rest.'),
  continue: z.string().optional().openapi({ description: 'The token from a previous page.' }),
  resourceVersion: z.string().optional(),
  resourceVersionMatch: z.string().optional(),
  watch: z.string().optional().openapi({ description: '`true` streams changes (see watch).' }),
  allowWatchBookmarks: z.string().optional(),
  timeoutSeconds: integerQuery('Watch: close the stream after this many seconds.'),
  sendInitialEvents: z.string().optional(),
  pretty: z.string().optional(),
});

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer' as const },
  },
};

/** A `Status` response; `example` is one the handlers really send. */
const status = (description: string, example?: object) => ({
  description,
  content: {
    'application/json': { schema: statusSchema, ...(example ? { example } : {}) },
  },
});

const errors = {
  400: status('Bad request (malformed input, unsupported selector).'),
  401: status('Missing or bad credentials.', statusExamples[401]),
  403: status('The caller may not do this.', statusExamples[403]),
  404: status('No such namespace or pod.', statusExamples[404]),
  429: { ...status('Rate limited.', statusExamples[429]), headers: retryAfter },
  503: {
    ...status('JD Cloud unavailable or podgate not configured.'),
    headers: retryAfter,
  },
} as const;

/** kubectl `get` asks for a server-side Table (table-render.ts); `includeObject` picks its rows' objects. */
const tableContent = {
  'application/json;as=Table;v=v1;g=meta.k8s.io': { schema: tableSchema },
} as const;

/** `watch=true`: newline-delimited events (watch.ts), Table-encoded when the Accept asks. */
const watchEventSchema = z
  .object({
    type: z.enum(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']),
    object: z.looseObject({}),
  })
  .openapi('WatchEvent', { description: 'One line of a watch stream.' });
const watchContent = { 'application/json;stream=watch': { schema: watchEventSchema } } as const;

const podResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: podSchema, example: podExample } },
});

export const listNamespacedPods = createRoute({
  method: 'get',
  path: '/api/v1/namespaces/{namespace}/pods',
  operationId: 'listPods',
  summary: 'List (or watch) the pods of a namespace',
  tags,
  security,
  request: { params: z.object({ namespace: namespaceParam }), query: listQuery },
  responses: {
    200: {
      description: 'The pods, or a stream of watch events with `watch=true`.',
      content: {
        'application/json': { schema: podListSchema, example: podListExample },
        ...tableContent,
        ...watchContent,
      },
    },
    ...errors,
  },
});

export const listAllPods = createRoute({
  method: 'get',
  path: '/api/v1/pods',
  operationId: 'listAllPods',
  summary: 'List (or watch) the pods of every namespace',
  tags,
  security,
  request: { query: listQuery },
  responses: {
    200: {
      description: 'The pods of every namespace the caller may list.',
      content: {
        'application/json': { schema: podListSchema, example: podListExample },
        ...tableContent,
        ...watchContent,
      },
    },
    ...errors,
  },
});

const mutationQuery = z.object({
  dryRun,
  fieldManager: z.string().optional(),
  fieldValidation: z.enum(['Strict', 'Warn', 'Ignore']).optional(),
  pretty: z.string().optional(),
});

export const createPod = createRoute({
  method: 'post',
  path: '/api/v1/namespaces/{namespace}/pods',
  operationId: 'createPod',
  summary: 'Create a pod (a JD Cloud pod)',
  tags,
  security,
  request: {
    params: z.object({ namespace: namespaceParam }),
    query: mutationQuery,
    body: {
      required: true,
      description: 'The Pod to create.',
      content: { 'application/json': { schema: podBodySchema, example: newPodExample } },
    },
  },
  responses: {
    201: podResponse('Created: the pod as stored, status Pending until JD Cloud runs it.'),
    409: status('A pod with this name exists.', statusExamples[409]),
    422: status('Invalid pod, or a field JD Cloud cannot honour.', statusExamples[422]),
    ...errors,
  },
});

export const readPod = createRoute({
  method: 'get',
  path: '/api/v1/namespaces/{namespace}/pods/{name}',
  operationId: 'readPod',
  summary: 'Read a pod, its status refreshed from JD Cloud',
  tags,
  security,
  request: { params: z.object({ namespace: namespaceParam, name: nameParam }) },
  responses: {
    200: {
      description: 'The pod.',
      content: { ...podResponse('The pod.').content, ...tableContent },
    },
    ...errors,
  },
});

/** `pods/status`: the same Pod (status is JD Cloud's to report; it cannot be written here). */
export const readPodStatus = createRoute({
  ...readPod,
  path: '/api/v1/namespaces/{namespace}/pods/{name}/status',
  operationId: 'readPodStatus',
  summary: 'Read a pod through its status subresource (the whole Pod, as the apiserver returns)',
});

export const deletePod = createRoute({
  method: 'delete',
  path: '/api/v1/namespaces/{namespace}/pods/{name}',
  operationId: 'deletePod',
  summary: 'Delete a pod: returns it with deletionTimestamp until JD Cloud has removed it',
  tags,
  security,
  request: {
    params: z.object({ namespace: namespaceParam, name: nameParam }),
    query: z.object({
      dryRun,
      gracePeriodSeconds: z.coerce.number().int().optional().openapi({
        type: 'integer',
        description:
          'Seconds to wait before the pod is killed (at most 2147483647; a negative value means 1).',
      }),
      propagationPolicy: z
        .string()
        .optional()
        .openapi({ enum: ['Orphan', 'Background', 'Foreground'] }),
      pretty: z.string().optional(),
    }),
  },
  responses: {
    200: podResponse('The pod, being deleted.'),
    409: status('A precondition (uid, resourceVersion) does not hold.'),
    ...errors,
  },
});

export const readPodLog = createRoute({
  method: 'get',
  path: '/api/v1/namespaces/{namespace}/pods/{name}/log',
  operationId: 'readPodLog',
  summary: "Read a container's log (JD Cloud returns at most 4 KiB)",
  tags,
  security,
  request: {
    params: z.object({ namespace: namespaceParam, name: nameParam }),
    query: z.object({
      container: z.string().optional(),
      tailLines: z.coerce.number().int().optional().openapi({ type: 'integer' }),
      limitBytes: z.coerce.number().int().optional().openapi({ type: 'integer' }),
      sinceSeconds: z.coerce.number().int().optional().openapi({ type: 'integer' }),
      sinceTime: z.string().optional(),
      timestamps: z.string().optional(),
      follow: z.string().optional(),
      previous: z.string().optional(),
      pretty: z.string().optional(),
    }),
  },
  responses: {
    200: { description: 'The log text.', content: { 'text/plain': { schema: z.string() } } },
    422: status('Invalid log options.'),
    ...errors,
  },
});

const powerRoute = (action: 'stop' | 'start') =>
  createRoute({
    method: 'post',
    path: `/api/v1/namespaces/{namespace}/pods/{name}/${action}`,
    operationId: `${action}Pod`,
    summary:
      action === 'stop'
        ? 'Stop a running pod (JD Cloud stopPod); not part of Kubernetes'
        : 'Start a stopped pod (JD Cloud startPod); not part of Kubernetes',
    tags,
    security,
    request: {
      params: z.object({ namespace: namespaceParam, name: nameParam }),
      query: z.object({ dryRun }),
    },
    responses: {
      200: podResponse(`The pod, ${action === 'stop' ? 'stopping' : 'starting'}.`),
      409: status('The pod is not in a state that allows this.'),
      ...errors,
    },
  });

export const stopPod = powerRoute('stop');
export const startPod = powerRoute('start');

const updateResponses = {
  200: podResponse(
    'The updated pod: spec shows the new images at once; status shows what runs until the image rollout on JD Cloud has finished (condition ImageRollout).',
  ),
  409: status('A stale resourceVersion, another uid, or a pod that cannot change images now.'),
  422: status('A change ValidatePodUpdate forbids, or a json-patch operation that failed.'),
  ...errors,
};

export const replacePod = createRoute({
  method: 'put',
  path: '/api/v1/namespaces/{namespace}/pods/{name}',
  operationId: 'replacePod',
  summary: 'Replace a pod: images, labels, annotations and a few scheduling fields may change',
  tags,
  security,
  request: {
    params: z.object({ namespace: namespaceParam, name: nameParam }),
    query: mutationQuery,
    body: {
      required: true,
      description: 'The whole Pod; an empty resourceVersion updates unconditionally.',
      content: { 'application/json': { schema: podBodySchema, example: podExample } },
    },
  },
  responses: updateResponses,
});

/**
 * Patch bodies as plain OpenAPI schemas: a zod schema would make the router validate every
 * `+json` type against it, while the handler reads each patch type itself.
 */
const jsonPatchSchema = {
  type: 'array' as const,
  description: 'RFC 6902 operations, applied to the pod as stored.',
  items: {
    type: 'object' as const,
    required: ['op', 'path'],
    properties: {
      op: { type: 'string' as const, enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
      path: { type: 'string' as const },
      from: { type: 'string' as const },
      value: {},
    },
  },
};
const mergePatchSchema = (description: string) => ({ type: 'object' as const, description });

export const patchPod = createRoute({
  method: 'patch',
  path: '/api/v1/namespaces/{namespace}/pods/{name}',
  operationId: 'patchPod',
  summary: 'Patch a pod (JSON patch, merge patch or strategic merge patch)',
  tags,
  security,
  request: {
    params: z.object({ namespace: namespaceParam, name: nameParam }),
    query: mutationQuery,
    body: {
      required: true,
      description:
        'The patch. Changing an image starts a durable rollout on JD Cloud: stop, rebuild, start.',
      content: {
        'application/json-patch+json': {
          schema: jsonPatchSchema,
          examples: { image: patchExamples['application/json-patch+json'] },
        },
        'application/merge-patch+json': {
          schema: mergePatchSchema(
            'RFC 7386: objects merge, lists are replaced whole, null deletes.',
          ),
          examples: { label: patchExamples['application/merge-patch+json'] },
        },
        'application/strategic-merge-patch+json': {
          schema: mergePatchSchema('Kubernetes strategic merge: containers merge by name.'),
          examples: { image: patchExamples['application/strategic-merge-patch+json'] },
        },
        'application/apply-patch+yaml': {
          schema: mergePatchSchema(
            'Server-side apply (needs fieldManager): the applied Pod, merged onto the live one by strategic-merge rules; creates the pod if it does not exist. No managedFields.',
          ),
        },
      },
    },
  },
  responses: {
    ...updateResponses,
    201: podResponse('Created by server-side apply.'),
    415: status('A patch type other than the three above.'),
  },
});
