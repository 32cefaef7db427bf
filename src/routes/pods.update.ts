/**
 * PUT and PATCH of a pod: authorize, read the body (patches raw: each type has its own rules),
 * hand the change to the namespace's Durable Object, render. The update rules live in
 * store/update.ts and k8s/; the image rollout in store/rollout*.ts.
 */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireGrant } from '../auth/authenticate';
import { configFor } from '../config';
import { patchMediaType } from '../k8s/patch';
import type { Pod } from '../k8s/pod';
import { badRequest, PATCH_MEDIA_TYPES, unsupportedMediaType } from '../k8s/status';
import { noteAudit, patchPaths } from '../lib/audit';
import type { AppEnv } from '../lib/create-app';
import { checkPatchOperationCount } from '../lib/limits';
import type { NamespaceStore } from '../store/namespace-store';
import { unwrap } from '../store/result';
import type { PodChange } from '../store/update';
import { namespaceSettings } from './pods.handlers';
import type { patchPod, replacePod } from './pods.routes';

type Ctx = Context<AppEnv>;

/** Server-side apply (`application/apply-patch+yaml`) is not served yet: it answers 415. */
const APPLIED_TYPES = new Set<string>(
  PATCH_MEDIA_TYPES.filter((t) => t !== 'application/apply-patch+yaml'),
);

const JSON_PATCH = 'application/json-patch+json';

/** The namespace's Durable Object, seen through the one method these handlers call. */
const updaterOf = (c: Ctx, namespace: string) =>
  c.env.NAMESPACES.get(c.env.NAMESPACES.idFromName(namespace)) as unknown as Pick<
    NamespaceStore,
    'update'
  >;

async function update(
  c: Ctx,
  namespace: string,
  name: string,
  change: PodChange,
  dryRun: string | undefined,
) {
  const store = updaterOf(c, namespace);
  return unwrap(await store.update(namespace, name, change, { dryRun: dryRun === 'All' }));
}

export const handleReplace: RouteHandler<typeof replacePod, AppEnv> = async (c) => {
  const { namespace, name } = c.req.valid('param');
  const query = c.req.valid('query');
  requireGrant(c, 'update', namespace, name);
  namespaceSettings(c, namespace);
  const body = c.req.valid('json') as Pod;
  return c.json(await update(c, namespace, name, { kind: 'put', body }, query.dryRun), 200);
};

export const handlePatch: RouteHandler<typeof patchPod, AppEnv> = async (c) => {
  const { namespace, name } = c.req.valid('param');
  const query = c.req.valid('query');
  requireGrant(c, 'patch', namespace, name);
  namespaceSettings(c, namespace);
  const contentType = patchMediaType(c.req.header('content-type'));
  if (!APPLIED_TYPES.has(contentType)) throw unsupportedMediaType();
  const patch = decodePatch(await c.req.text());
  if (contentType === JSON_PATCH && Array.isArray(patch)) {
    checkPatchOperationCount(patch, configFor(c.env).limits.maxPatchOps);
  }
  noteAudit(c, { patchPaths: patchPaths(contentType, patch) });
  return c.json(
    await update(c, namespace, name, { kind: 'patch', contentType, patch }, query.dryRun),
    200,
  );
};

/** The patch document; an undecodable one is a 400, as the apiserver answers it. */
function decodePatch(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message}`);
  }
}
