/**
 * The OpenAPI documents kubectl fetches before `create/replace/apply -f` with validation on.
 *
 * kubectl 1.32 asks `/openapi/v3` (an index of group-versions) and then `/openapi/v3/api/v1`,
 * and looks for a PATCH operation tagged with the Pod's `x-kubernetes-group-version-kind` that
 * declares a `fieldValidation` query parameter. Finding it, kubectl leaves validation to the
 * server (`?fieldValidation=Strict`), which podgate does (unknownFields). The document is the
 * one generated from the Pod API's own zod routes, plus the Kubernetes vendor extensions.
 * Older kubectl (≤1.26) only knows `/openapi/v2` in protobuf: it gets the same document in
 * Swagger 2.0 form (openapi-k8s/swagger-v2.ts), encoded by gnostic-v2.ts. Both carry Kubernetes'
 * field descriptions and list/patch metadata (openapi-k8s/annotate.ts).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { annotateKubernetesSchemas, type FieldDocs } from './openapi-k8s/annotate';

type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPIDocument']>;
type Operation = { [key: string]: unknown };

const POD_GVK = { group: '', version: 'v1', kind: 'Pod' };

/** The Kubernetes verb of an operation on a pod path (`x-kubernetes-action`). */
function actionOf(method: string, path: string): string | undefined {
  const single = path.endsWith('/pods/{name}');
  if (!single && !path.endsWith('/pods')) return undefined;
  if (method === 'get') return single ? 'get' : 'list';
  if (method === 'post' && !single) return 'post';
  if (['put', 'patch', 'delete'].includes(method) && single) return method;
  return undefined;
}

/**
 * The `api/v1` OpenAPI v3 document: `source`'s paths (the Pod API routes), each pod operation
 * tagged with its group-version-kind and action, and the Pod schema tagged the same way (so
 * `kubectl explain pods` finds it).
 */
export function coreV1Document(
  source: Pick<OpenAPIHono, 'getOpenAPIDocument'>,
  version: string,
  docs: FieldDocs,
): OpenApiDocument {
  const doc = source.getOpenAPIDocument({
    openapi: '3.0.0',
    info: { title: 'podgate', version },
  });
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      const action = actionOf(method, path);
      if (!action || typeof operation !== 'object') continue;
      operation['x-kubernetes-action'] = action;
      operation['x-kubernetes-group-version-kind'] = POD_GVK;
    }
  }
  annotateKubernetesSchemas(doc.components?.schemas, docs);
  const pod = doc.components?.schemas?.Pod as Operation | undefined;
  if (pod) pod['x-kubernetes-group-version-kind'] = [POD_GVK];
  return doc;
}

/** Hex SHA-256 of `text`: the `hash` kubectl caches a group-version document under. */
export async function contentHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `GET /openapi/v3`: where each group-version's document is (kube's discovery index). */
export const openApiV3Index = (hash: string) => ({
  paths: { 'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${hash}` } },
});

/**
 * The Content-Type the apiserver answers it with (kube-openapi): the same type with `.` for `@`,
 * since Go's mime parser — which client-go runs on every response — refuses an `@`.
 */
export const OPENAPI_V2_PROTOBUF_RESPONSE =
  'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/**
 * True when `accept` asks for the protobuf v2 document: kubectl ≤ 1.26 sends
 * `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` (the `.` spelling is accepted too).
 */
export const wantsProtobufV2 = (accept: string | undefined) =>
  /application\/com\.github\.proto-openapi\.spec\.v2[@.]v1\.0\+protobuf/.test(accept ?? '');
