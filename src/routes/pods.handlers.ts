/**
 * Pod API handlers: authorize, validate (pure rules, no JD call for bad input), call the
 * namespace's Durable Object once, render. Business rules live in k8s/, translate/ and store/.
 */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireGrant } from '../auth/authenticate';
import type { PodAction } from '../auth/authorize';
import { configFor, type NamespaceSettings } from '../config';
import { decodeDeleteOptions } from '../k8s/delete-options';
import { type ListQuery, validateListOptions } from '../k8s/list-options';
import { validateLogOptions } from '../k8s/log-options';
import { decodePod, type Pod, type PodList } from '../k8s/pod';
import { ensureNamespaceMatches } from '../k8s/prepare-create';
import { notFound } from '../k8s/status';
import { applyFieldValidation, type FieldValidation } from '../k8s/unknown-fields';
import { noteAudit, noteJdCalls } from '../lib/audit';
import type { AppEnv } from '../lib/create-app';
import { type ListOptions, paginate } from '../store/list';
import { unwrap } from '../store/result';
import { checkSelectors } from '../store/selectors';
import { storeOf } from '../store/stub';
import { preparePodCreate } from './pod-create';
import type {
  createPod,
  deletePod,
  listAllPods,
  listNamespacedPods,
  readPod,
  readPodLog,
  startPod,
  stopPod,
} from './pods.routes';
import { type ReadOptions, renderPod, renderPodList } from './table-render';

type Ctx = Context<AppEnv>;

/** The namespace's settings, or the 404 a missing namespace gets. */
export function namespaceSettings(c: Ctx, namespace: string): NamespaceSettings {
  const settings = configFor(c.env).namespaces.get(namespace);
  if (!settings) throw notFound(namespace, 'namespaces');
  return settings;
}

/** Authorizes, then resolves the namespace: the order keeps refusals identical for every name. */
function enter(c: Ctx, action: PodAction, namespace: string, name?: string) {
  requireGrant(c, action, namespace, name);
  namespaceSettings(c, namespace);
  return storeOf(c.env, namespace);
}

const isDryRun = (dryRun: string | undefined) => dryRun === 'All';

/** Adds `Warning` headers (RFC 7234 style, as the apiserver writes them). */
export function warn(c: Ctx, warnings: readonly string[] | undefined) {
  for (const text of warnings ?? [])
    c.header('Warning', `299 - ${JSON.stringify(text)}`, { append: true });
}

/** What a read renders as: the Accept header (Table or not) and `includeObject`. */
const readOptions = (c: Ctx): ReadOptions => ({
  accept: c.req.header('Accept'),
  includeObject: c.req.query('includeObject'),
});

const podList = (items: Pod[], meta: PodList['metadata']): PodList => ({
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: meta,
  items,
});

export const handleListNamespaced: RouteHandler<typeof listNamespacedPods, AppEnv> = async (c) => {
  const { namespace } = c.req.valid('param');
  const query = c.req.valid('query');
  const store = enter(c, 'list', namespace);
  const options = listOptions(query);
  const result = await store.list(namespace, options);
  const page = unwrap(result);
  if (result.ok) warn(c, result.warnings);
  const list = podList(page.items, {
    resourceVersion: page.resourceVersion,
    ...(page.continue ? { continue: page.continue } : {}),
    ...(page.remainingItemCount ? { remainingItemCount: page.remainingItemCount } : {}),
  });
  return c.json(renderPodList(list, readOptions(c)), 200);
};

export const handleListAll: RouteHandler<typeof listAllPods, AppEnv> = async (c) => {
  const query = c.req.valid('query');
  requireGrant(c, 'list', undefined);
  const options = listOptions(query);
  const namespaces = [...configFor(c.env).namespaces.keys()].sort();
  // Each namespace lists everything that matches; the combined list is paginated here, so one
  // continue token spans namespaces.
  const { limit, continue: token, ...filters } = options;
  const results = await Promise.all(namespaces.map((ns) => storeOf(c.env, ns).list(ns, filters)));
  const items: Pod[] = [];
  const versions: string[] = [];
  results.forEach((result, i) => {
    const page = unwrap(result);
    if (result.ok) warn(c, result.warnings);
    items.push(...page.items);
    versions.push(`${namespaces[i]}=${page.resourceVersion}`);
  });
  const page = paginate(
    items,
    { ...(limit ? { limit } : {}), ...(token ? { continue: token } : {}) },
    versions.join(','),
  );
  const list = podList(page.items, {
    resourceVersion: page.resourceVersion,
    ...(page.continue ? { continue: page.continue } : {}),
    ...(page.remainingItemCount ? { remainingItemCount: page.remainingItemCount } : {}),
  });
  return c.json(renderPodList(list, readOptions(c)), 200);
};

function listOptions(
  query: {
    labelSelector?: string | undefined;
    fieldSelector?: string | undefined;
    limit?: number | undefined;
    continue?: string | undefined;
  } & ListQuery,
): ListOptions {
  validateListOptions(query);
  checkSelectors(query);
  return {
    ...(query.labelSelector ? { labelSelector: query.labelSelector } : {}),
    ...(query.fieldSelector ? { fieldSelector: query.fieldSelector } : {}),
    ...(query.limit ? { limit: query.limit } : {}),
    ...(query.continue ? { continue: query.continue } : {}),
  };
}

export const handleCreate: RouteHandler<typeof createPod, AppEnv> = async (c) => {
  const { namespace } = c.req.valid('param');
  const query = c.req.valid('query');
  requireGrant(c, 'create', namespace);
  const created = await createPodFrom(c, namespace, await c.req.json(), query);
  return c.json(created, 201);
};

/**
 * Creates a pod from a request's JSON (the grant already checked): fieldValidation, defaults
 * and validation, then the store. Shared by POST and by server-side apply of a new pod.
 */
export async function createPodFrom(
  c: Ctx,
  namespace: string,
  podJson: unknown,
  query: { dryRun?: string | undefined; fieldValidation?: FieldValidation | undefined },
): Promise<Pod> {
  const settings = namespaceSettings(c, namespace);
  // The router checked the body's shape; fieldValidation decides what its unknown fields do.
  const { json, warnings } = applyFieldValidation(podJson, query.fieldValidation);
  warn(c, warnings);
  const body = decodePod(json);
  noteAudit(c, { name: body.metadata.name });
  ensureNamespaceMatches(body, namespace);
  const store = storeOf(c.env, namespace);
  const dryRun = isDryRun(query.dryRun);
  // A dry run makes no JD call: it checks against the catalogue only if one is cached.
  const { pod, request } = await preparePodCreate(body, namespace, settings, async () =>
    unwrap(await store.catalogue(namespace, dryRun)),
  );
  const result = await store.create(namespace, {
    pod,
    jdSpec: request.podSpec,
    clientToken: request.clientToken,
    dryRun,
  });
  noteJdCalls(c, result);
  return unwrap(result);
}

export const handleRead: RouteHandler<typeof readPod, AppEnv> = async (c) => {
  const { namespace, name } = c.req.valid('param');
  const store = enter(c, 'get', namespace, name);
  return c.json(renderPod(unwrap(await store.get(namespace, name)), readOptions(c)), 200);
};

export const handleDelete: RouteHandler<typeof deletePod, AppEnv> = async (c) => {
  const { namespace, name } = c.req.valid('param');
  const query = c.req.valid('query');
  const store = enter(c, 'delete', namespace, name);
  const options = decodeDeleteOptions(await c.req.text(), query);
  const result = await store.delete(namespace, name, options);
  noteJdCalls(c, result);
  return c.json(unwrap(result), 200);
};

export const handleLog: RouteHandler<typeof readPodLog, AppEnv> = async (c) => {
  const { namespace, name } = c.req.valid('param');
  const query = c.req.valid('query');
  const store = enter(c, 'log', namespace, name);
  validateLogOptions(query);
  const text = unwrap(
    await store.logs(namespace, name, {
      container: query.container,
      ...(query.tailLines !== undefined ? { tailLines: query.tailLines } : {}),
      ...(query.sinceSeconds !== undefined ? { sinceSeconds: query.sinceSeconds } : {}),
      ...(query.limitBytes !== undefined ? { limitBytes: query.limitBytes } : {}),
    }),
  );
  const limited = query.limitBytes !== undefined ? truncateBytes(text, query.limitBytes) : text;
  return c.text(limited, 200, { 'Content-Type': 'text/plain' });
};

function truncateBytes(text: string, limit: number): string {
  const bytes = new TextEncoder().encode(text);
  return bytes.length <= limit ? text : new TextDecoder().decode(bytes.slice(0, limit));
}

const power =
  (action: 'stop' | 'start'): RouteHandler<typeof stopPod | typeof startPod, AppEnv> =>
  async (c) => {
    const { namespace, name } = c.req.valid('param');
    const query = c.req.valid('query');
    const store = enter(c, action, namespace, name);
    const result = await store.power(namespace, name, action, isDryRun(query.dryRun));
    noteJdCalls(c, result);
    return c.json(unwrap(result), 200);
  };

export const handleStop = power('stop');
export const handleStart = power('start');
