/**
 * PUT and PATCH of a pod: authorize, read the body (patches raw: each type has its own rules),
 * hand the change to the namespace's Durable Object, render. The update rules live in
 * store/update.ts and k8s/; the image rollout in store/rollout*.ts.
 */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireGrant } from '../auth/authenticate';
import { configFor } from '../config';
import { APPLY_PATCH, checkPatchOptions, decodeAppliedConfiguration } from '../k8s/apply';
import { decodeBoundedJson } from '../k8s/json-budget';
import { patchMediaType } from '../k8s/patch';
import { decodePod } from '../k8s/pod';
import { badRequest, PATCH_MEDIA_TYPES, unsupportedMediaType } from '../k8s/status';
import { applyFieldValidation, type FieldValidation } from '../k8s/unknown-fields';
import { noteAudit, noteJdCalls, patchPaths } from '../lib/audit';
import type { AppEnv } from '../lib/create-app';
import { checkPatchOperationCount } from '../lib/limits';
import { unwrap } from '../store/result';
import { storeOf } from '../store/stub';
import type { PodChange } from '../store/update';
import { createPodFrom, namespaceSettings, warn } from './pods.handlers';
import type { patchPod, replacePod } from './pods.routes';

type Ctx = Context<AppEnv>;

/** Patch types applied as they come; server-side apply goes through `applyPod`. */
const APPLIED_TYPES = new Set<string>(PATCH_MEDIA_TYPES.filter((t) => t !== APPLY_PATCH));
const STRATEGIC_MERGE = 'application/strategic-merge-patch+json';

const JSON_PATCH = 'application/json-patch+json';

async function update(
  c: Ctx,
  namespace: string,
  name: string,
  change: PodChange,
  dryRun: string | undefined,
) {
  const store = storeOf(c.env, namespace);
  const result = await store.update(namespace, name, change, { dryRun: dryRun === 'All' });
  noteJdCalls(c, result);
  return unwrap(result);
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
  const result = await storeOf(c.env, namespace).update(namespace, name, change, {
    dryRun: query.dryRun === 'All',
  });
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
