/**
 * PUT and PATCH of a pod: authorize, read the body (patches raw: each type has its own rules),
 * apply the change here, in the stateless Worker, to the stored pod, and hand the result to the
 * namespace's Durable Object as a compare-and-set on its resourceVersion (retried on conflict,
 * as the apiserver's GuaranteedUpdate does). The update rules live in store/update.ts and k8s/;
 * the image rollout in store/rollout*.ts.
 */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireGrant } from '../auth/authenticate';
import { configFor } from '../config';
import { APPLY_PATCH, checkPatchOptions, decodeAppliedConfiguration } from '../k8s/apply';
import { decodeBoundedJson } from '../k8s/json-budget';
import { patchMediaType } from '../k8s/patch';
import { decodePod, type Pod } from '../k8s/pod';
import { badRequest, conflict, PATCH_MEDIA_TYPES, unsupportedMediaType } from '../k8s/status';
import { applyFieldValidation, type FieldValidation } from '../k8s/unknown-fields';
import { noteAudit, noteJdCalls, patchPaths } from '../lib/audit';
import type { AppEnv } from '../lib/create-app';
import { checkPatchOperationCount } from '../lib/limits';
import { type StoreResult, unwrap } from '../store/result';
import { type StoreApi, storeOf } from '../store/stub';
import { type PodChange, preparePodUpdate } from '../store/update';
import { createPodFrom, namespaceSettings, warn } from './pods.handlers';
import type { patchPod, replacePod } from './pods.routes';

type Ctx = Context<AppEnv>;

/** Patch types applied as they come; server-side apply goes through `applyPod`. */
const APPLIED_TYPES = new Set<string>(PATCH_MEDIA_TYPES.filter((t) => t !== APPLY_PATCH));
const STRATEGIC_MERGE = 'application/strategic-merge-patch+json';

const JSON_PATCH = 'application/json-patch+json';

/**
 * How often an update is computed again when another write got in first. Each retry means a
 * newer version was stored meanwhile, so this bounds only a pod written without pause.
 */
const MAX_UPDATE_ATTEMPTS = 8;

/**
 * Applies `change` to the stored pod and stores the result if nothing was stored meanwhile;
 * otherwise applies it again to the newer pod (a caller's resourceVersion precondition is checked
 * against each). The pod as stored (or the dry run's result) comes back.
 */
async function updateStored(
  c: Ctx,
  store: StoreApi,
  namespace: string,
  name: string,
  change: PodChange,
  dryRun: boolean,
): Promise<StoreResult<Pod>> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.current(namespace, name);
    noteJdCalls(c, current);
    if (!current.ok) return current;
    const next = preparePodUpdate(current.value, change, { namespace, name });
    if (!next) return current;
    const base = current.value.metadata.resourceVersion ?? '';
    const written = await store.write(namespace, name, { base, next, dryRun });
    noteJdCalls(c, written);
    if (!written.ok) return written;
    if ('stored' in written.value) return { ok: true, value: written.value.stored };
    if (attempt >= MAX_UPDATE_ATTEMPTS) throw conflict(name);
  }
}

async function update(
  c: Ctx,
  namespace: string,
  name: string,
  change: PodChange,
  dryRun: string | undefined,
) {
  const store = storeOf(c.env, namespace);
  return unwrap(await updateStored(c, store, namespace, name, change, dryRun === 'All'));
}

export const handleReplace: RouteHandler<typeof replacePod, AppEnv> = async (c) => {
  const { namespace, name } = c.req.valid('param');
  const query = c.req.valid('query');
  requireGrant(c, 'update', namespace, name);
  namespaceSettings(c, namespace);
  const { json, warnings } = applyFieldValidation(await c.req.json(), query.fieldValidation);
  warn(c, warnings);
  const body = decodePod(json);
  return c.json(await update(c, namespace, name, { kind: 'put', body }, query.dryRun), 200);
};

export const handlePatch: RouteHandler<typeof patchPod, AppEnv> = async (c) => {
  const { namespace, name } = c.req.valid('param');
  const query = c.req.valid('query');
  requireGrant(c, 'patch', namespace, name);
  namespaceSettings(c, namespace);
  const contentType = patchMediaType(c.req.header('content-type'));
  checkPatchOptions(contentType, { fieldManager: query.fieldManager, force: c.req.query('force') });
  if (contentType === APPLY_PATCH) return applyPod(c, namespace, name, query);
  if (!APPLIED_TYPES.has(contentType)) throw unsupportedMediaType();
  let patch = decodePatch(await c.req.text());
  if (contentType === JSON_PATCH && Array.isArray(patch)) {
    checkPatchOperationCount(patch, configFor(c.env).limits.maxPatchOps);
  } else {
    // Merge patches name fields directly, so fieldValidation can judge them; a json-patch's
    // values are not checked (simplified).
    const checked = applyFieldValidation(patch, query.fieldValidation, { patchDirectives: true });
    warn(c, checked.warnings);
    patch = checked.json;
  }
  noteAudit(c, { patchPaths: patchPaths(contentType, patch) });
  return c.json(
    await update(c, namespace, name, { kind: 'patch', contentType, patch }, query.dryRun),
    200,
  );
};

/**
 * Server-side apply, pragmatically (k8s/apply.ts): the applied configuration is merged onto the
 * live pod with strategic-merge rules; a pod that does not exist yet is created (201).
 */
async function applyPod(
  c: Ctx,
  namespace: string,
  name: string,
  query: { dryRun?: string | undefined; fieldValidation?: FieldValidation | undefined },
) {
  const applied = decodeAppliedConfiguration(await c.req.text());
  const { json, warnings } = applyFieldValidation(applied, query.fieldValidation);
  warn(c, warnings);
  const change: PodChange = { kind: 'patch', contentType: STRATEGIC_MERGE, patch: json };
  const store = storeOf(c.env, namespace);
  const result = await updateStored(c, store, namespace, name, change, query.dryRun === 'All');
  if (result.ok || result.status.code !== 404) return c.json(unwrap(result), 200);
  requireGrant(c, 'create', namespace, name);
  const appliedName = (applied.metadata as { name?: unknown } | undefined)?.name;
  if (appliedName !== name) {
    throw badRequest(
      `the name of the object (${String(appliedName)}) does not match the name on the URL (${name})`,
    );
  }
  return c.json(await createPodFrom(c, namespace, json, query), 201);
}

/** The patch document; an undecodable or too deeply nested one is a 400, as the apiserver answers it. */
const decodePatch = (text: string): unknown => decodeBoundedJson(text, 'patch');
