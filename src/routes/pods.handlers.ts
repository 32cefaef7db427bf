/**
 * Pod API handlers: authorize, validate (pure rules, no JD call for bad input), call the
 * namespace's Durable Object once, render. Business rules live in k8s/, translate/ and store/.
 */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireGrant } from '../auth/authenticate';
import type { PodAction } from '../auth/authorize';
import { jdBudgetFor } from '../budget/budget-for';
import { configFor, type NamespaceSettings } from '../config';
import { decodeDeleteOptions } from '../k8s/delete-options';
import { validateListOptions } from '../k8s/list-options';
import { sinceSecondsOf } from '../k8s/log-lines';
import {
  type LogQuery,
  validateLogOptions,
  wantsFollow,
  wantsTimestamps,
} from '../k8s/log-options';
import { decodePod, type Pod, type PodList } from '../k8s/pod';
import { ensureNamespaceMatches } from '../k8s/prepare-create';
import { notFound } from '../k8s/status';
import { applyFieldValidation, type FieldValidation } from '../k8s/unknown-fields';
import { noteAudit, noteJdCalls } from '../lib/audit';
import type { AppEnv } from '../lib/create-app';
import { jdClientFor } from '../store/jd';
import { type ListOptions, paginate } from '../store/list';
import { type StoreResult, unwrap } from '../store/result';
import { checkSelectors } from '../store/selectors';
import { type StoreApi, storeOf } from '../store/stub';
import { followLog, readLog } from './log-follow';
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
  // Each namespace lists everything that matches; the combined list is paginated here, so one
  // continue token spans namespaces. Versions are per namespace: any version given reads each
  // namespace's storage as it is, without a refresh (a combined list has no single version).
  const { limit, continue: token, resourceVersion, resourceVersionMatch, ...filters } = options;
  const each = resourceVersion ? { ...filters, resourceVersion: '0' } : filters;
  const all = await listEveryNamespace(c, (store, ns) => store.list(ns, each));
  const page = paginate(
    all.items,
    { ...(limit ? { limit } : {}), ...(token ? { continue: token } : {}) },
    all.resourceVersion,
  );
  const list = podList(page.items, {
    resourceVersion: page.resourceVersion,
    ...(page.continue ? { continue: page.continue } : {}),
    ...(page.remainingItemCount ? { remainingItemCount: page.remainingItemCount } : {}),
  });
  return c.json(renderPodList(list, readOptions(c)), 200);
};

/**
 * One list per configured namespace (`list`), joined: the items in namespace order, the
 * warnings of each on the response, and the composite resourceVersion (`ns=rv,…`) a watch of
 * every namespace resumes from.
 */
export async function listEveryNamespace<T>(
  c: Ctx,
  list: (
    store: StoreApi,
    namespace: string,
  ) => Promise<StoreResult<{ items: T[]; resourceVersion: string }>>,
): Promise<{ items: T[]; resourceVersion: string }> {
  const namespaces = [...configFor(c.env).namespaces.keys()].sort();
  const results = await Promise.all(namespaces.map((ns) => list(storeOf(c.env, ns), ns)));
  const items: T[] = [];
  const versions: string[] = [];
  results.forEach((result, i) => {
    const page = unwrap(result);
    if (result.ok) warn(c, result.warnings);
    items.push(...page.items);
    versions.push(`${namespaces[i]}=${page.resourceVersion}`);
  });
  return { items, resourceVersion: versions.join(',') };
}

function listOptions(query: {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  limit?: number | undefined;
  continue?: string | undefined;
  resourceVersion?: string | undefined;
  resourceVersionMatch?: string | undefined;
  sendInitialEvents?: string | undefined;
}): ListOptions {
  checkSelectors(query);
  validateListOptions(query);
  return {
    ...(query.resourceVersion ? { resourceVersion: query.resourceVersion } : {}),
    ...(query.resourceVersionMatch === 'Exact' || query.resourceVersionMatch === 'NotOlderThan'
      ? { resourceVersionMatch: query.resourceVersionMatch }
      : {}),
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
  const resourceVersion = c.req.query('resourceVersion');
  const result = await store.get(namespace, name, resourceVersion ? { resourceVersion } : {});
  const pod = unwrap(result);
  if (result.ok) warn(c, result.warnings);
  return c.json(renderPod(pod, readOptions(c)), 200);
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
  const sinceSeconds =
    query.sinceSeconds ??
    (query.sinceTime === undefined ? undefined : sinceSecondsOf(query.sinceTime, Date.now()));
  if (wantsFollow(query) || wantsTimestamps(query)) {
    return workerLog(c, store, namespace, name, query, sinceSeconds);
  }
  const text = unwrap(
    await store.logs(namespace, name, {
      container: query.container,
      ...(query.tailLines !== undefined ? { tailLines: query.tailLines } : {}),
      ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
      ...(query.limitBytes !== undefined ? { limitBytes: query.limitBytes } : {}),
    }),
  );
  const limited = query.limitBytes !== undefined ? truncateBytes(text, query.limitBytes) : text;
  return c.text(limited, 200, { 'Content-Type': 'text/plain' });
};

/**
 * `follow` and `timestamps` reads run in the Worker (routes/log-follow.ts) with a JD client
 * tagged `follow`; the namespace object only names the pod's JD id and container.
 */
async function workerLog(
  c: Ctx,
  store: StoreApi,
  namespace: string,
  name: string,
  query: LogQuery,
  sinceSeconds: number | undefined,
) {
  const target = unwrap(await store.streamTarget(namespace, name, query.container));
  const read = {
    name,
    target: { ...target, jdPodId: target.jdPodId ?? '' },
    tailLines: query.tailLines,
    sinceSeconds,
    limitBytes: query.limitBytes,
    timestamps: wantsTimestamps(query),
  };
  // A pod JD Cloud has not created yet has no log, as store.logs answers.
  if (!target.jdPodId) return c.text('', 200, { 'Content-Type': 'text/plain' });
  const jd = jdClientFor(configFor(c.env), { tag: 'follow', budget: jdBudgetFor(c.env) }).raw;
  if (!wantsFollow(query)) {
    return c.text(await readLog(jd, read, Date.now()), 200, { 'Content-Type': 'text/plain' });
  }
  const stream = await followLog(jd, read, {
    now: Date.now,
    sleep: (ms) => scheduler.wait(ms),
    phase: async () => {
      const now = await store.streamTarget(namespace, name, target.container);
      return now.ok ? now.value.phase : undefined;
    },
  });
  // The route's typed answer is text; a follow is that text, streamed.
  // `Content-Encoding: identity` keeps workerd from gzipping the stream, which would hold
  // lines back until a compression block fills (as for watches).
  return c.body(stream, 200, {
    'Content-Type': 'text/plain',
    'Cache-Control': 'no-cache, private',
    'Content-Encoding': 'identity',
  }) as unknown as ReturnType<typeof c.text<string, 200>>;
}

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
