/**
 * `?watch=true` on the pod list routes: a chunked stream of newline-delimited watch events, fed
 * by the namespace's Durable Object (store/watch-stream.ts) as podgate commits changes — its own
 * mutations and the JD Cloud states it polls while pods are in transition.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { principalOf, requireGrant } from '../auth/authenticate';
import { configFor } from '../config';
import { queryBool, queryOptionalBool, validateWatchOptions } from '../k8s/list-options';
import { badRequest, StatusError } from '../k8s/status';
import { wantsTable } from '../k8s/table';
import type { AppEnv } from '../lib/create-app';
import { type StoreResult, unwrap } from '../store/result';
import { checkSelectors } from '../store/selectors';
import { type StoreApi, storeOf } from '../store/stub';
import type { WatchRequest } from '../store/watch-stream';
import { namespaceSettings } from './pods.handlers';
import { listQuery } from './pods.routes';
import { errorStream, mergeWatchStreams, namespaceVersions } from './watch-merge';

type Ctx = Context<AppEnv>;

export interface WatchQuery {
  watch?: string | undefined;
  resourceVersion?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  allowWatchBookmarks?: string | undefined;
  timeoutSeconds?: number | undefined;
  resourceVersionMatch?: string | undefined;
  sendInitialEvents?: string | undefined;
}

/** `watch` read as the apiserver reads a boolean (`true`, `True`, `1`... but not `0`/`false`). */
export const isWatch = (query: Pick<WatchQuery, 'watch'>) => queryBool(query.watch);

/**
 * The apiserver's default watch length when `timeoutSeconds` is absent or 0: a random time in
 * [30 min, 60 min), so that clients do not all reconnect together.
 */
const defaultTimeoutSeconds = () => 1800 + Math.floor(Math.random() * 1800);

/**
 * The store's watch request for `query`; 400 for a bad selector (`check`: pods' by default) or
 * resourceVersion.
 */
export function watchRequest(
  query: WatchQuery,
  accept: string | undefined,
  check: (selectors: WatchQuery) => void = checkSelectors,
): WatchRequest {
  check(query);
  validateWatchOptions(query);
  const sendInitialEvents = queryOptionalBool(query.sendInitialEvents);
  return {
    ...(sendInitialEvents !== undefined ? { sendInitialEvents } : {}),
    ...(query.resourceVersion ? { resourceVersion: query.resourceVersion } : {}),
    ...(query.labelSelector ? { labelSelector: query.labelSelector } : {}),
    ...(query.fieldSelector ? { fieldSelector: query.fieldSelector } : {}),
    allowWatchBookmarks: queryBool(query.allowWatchBookmarks),
    timeoutSeconds: query.timeoutSeconds || defaultTimeoutSeconds(),
    table: wantsTable(accept),
  };
}

/**
 * Who is watching and how many watches they may hold per namespace (`PODGATE_MAX_WATCHES_PER_CALLER`):
 * the namespace's Durable Object counts them and answers 429 past the cap.
 */
export function watchCap(c: Ctx): Pick<WatchRequest, 'caller' | 'maxWatches'> {
  const principal = principalOf(c);
  return {
    caller: `${principal.via}:${principal.name}`,
    maxWatches: configFor(c.env).limits.maxWatchesPerCaller,
  };
}

export function checkVersion(resourceVersion: string | undefined): void {
  if (resourceVersion && !/^\d+$/.test(resourceVersion)) {
    throw badRequest(
      `resourceVersion: Invalid value: ${JSON.stringify(resourceVersion)}: must be a decimal resourceVersion`,
    );
  }
}

export const streamResponse = (stream: ReadableStream<Uint8Array>) =>
  new Response(stream, {
    status: 200,
    // `Content-Encoding: identity` keeps workerd from gzipping the stream, which would hold
    // events back until a compression block fills.
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Content-Encoding': 'identity',
    },
  });

/**
 * The namespace object's stream, passed through. When the client goes away the object is told
 * at once (`closeWatch`), so the watch's listener and the caller's slot are freed now rather than
 * at the stream's next write, which is when workerd would tell it.
 */
export function endOnDisconnect(
  c: Ctx,
  store: StoreApi,
  opened: { id: string; stream: ReadableStream<Uint8Array> },
): ReadableStream<Uint8Array> {
  const reader = opened.stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      const closing = Promise.resolve(store.closeWatch(opened.id)).catch(() => {});
      try {
        c.executionCtx.waitUntil(closing);
      } catch {
        // no execution context (plain Node tests): the promise runs on its own
      }
      await reader.cancel(reason).catch(() => {});
    },
  });
}

/** Watches one namespace. */
async function watchNamespace(c: Ctx, namespace: string, query: WatchQuery) {
  requireGrant(c, 'watch', namespace);
  namespaceSettings(c, namespace);
  const request = { ...watchRequest(query, c.req.header('Accept')), ...watchCap(c) };
  checkVersion(request.resourceVersion);
  const store = storeOf(c.env, namespace);
  return streamResponse(endOnDisconnect(c, store, unwrap(await store.watch(namespace, request))));
}

/** Watches every configured namespace, resuming from an all-namespaces list's version. */
function watchAllNamespaces(c: Ctx, query: WatchQuery) {
  requireGrant(c, 'watch', undefined);
  const { resourceVersion, ...request } = {
    ...watchRequest(query, c.req.header('Accept')),
    ...watchCap(c),
  };
  return watchEveryNamespace(c, resourceVersion, (store, namespace, rv) =>
    store.watch(namespace, { ...request, ...(rv ? { resourceVersion: rv } : {}) }),
  );
}

type Opened = { id: string; stream: ReadableStream<Uint8Array> };

/**
 * One watch per configured namespace (`open`, from that namespace's part of an all-namespaces
 * version), merged into one stream. If one namespace refuses (the caller's cap), the watches
 * the others opened are given back and its refusal is the answer.
 */
export async function watchEveryNamespace(
  c: Ctx,
  resourceVersion: string | undefined,
  open: (
    store: StoreApi,
    namespace: string,
    rv: string | undefined,
  ) => Promise<StoreResult<Opened>>,
) {
  const namespaces = [...configFor(c.env).namespaces.keys()].sort();
  let versions: Map<string, string>;
  try {
    versions = namespaceVersions(resourceVersion, namespaces);
  } catch (error) {
    if (error instanceof StatusError && error.code === 410) {
      return streamResponse(errorStream(error.status));
    }
    throw error;
  }
  const opened = await Promise.all(
    namespaces.map(async (namespace) => {
      const store = storeOf(c.env, namespace);
      return { namespace, store, result: await open(store, namespace, versions.get(namespace)) };
    }),
  );
  const refused = opened.find(({ result }) => !result.ok);
  if (refused) {
    for (const { store, result } of opened) {
      if (result.ok) endOnDisconnect(c, store, result.value).cancel();
    }
    unwrap(refused.result);
  }
  const streams = opened.map(({ namespace, store, result }) => ({
    namespace,
    stream: endOnDisconnect(c, store, unwrap(result)),
  }));
  return streamResponse(mergeWatchStreams(streams, versions));
}

/** The list route's query, parsed as the list route would (400 naming the bad parameter). */
function parsedQuery(c: Ctx, extra: Record<string, string> = {}): WatchQuery {
  const parsed = listQuery.safeParse({ ...c.req.query(), ...extra });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw badRequest(`${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid value'}`);
}

/**
 * Mounted before the Pod API routes: a list request with `watch=true` is answered here with a
 * stream; any other falls through to the list handlers (which render PodList or Table).
 */
export const watchRoutes = new OpenAPIHono<AppEnv>()
  .get('/api/v1/namespaces/:namespace/pods', async (c, next) => {
    if (!isWatch({ watch: c.req.query('watch') })) return next();
    return watchNamespace(c, c.req.param('namespace'), parsedQuery(c));
  })
  .get('/api/v1/pods', async (c, next) => {
    if (!isWatch({ watch: c.req.query('watch') })) return next();
    return watchAllNamespaces(c, parsedQuery(c));
  })
  // The long-deprecated watch paths (`/api/v1/watch/...`), still served by the apiserver and
  // used by Ruby's kubeclient: a watch whatever the `watch` parameter says.
  .get('/api/v1/watch/namespaces/:namespace/pods', (c) =>
    watchNamespace(c, c.req.param('namespace'), parsedQuery(c)),
  )
  .get('/api/v1/watch/namespaces/:namespace/pods/:name', (c) =>
    watchNamespace(c, c.req.param('namespace'), oneName(c)),
  )
  .get('/api/v1/watch/pods', (c) => watchAllNamespaces(c, parsedQuery(c)));

/** A watch of one pod by name: a `metadata.name` field selector joined to the caller's. */
const oneName = (c: Ctx): WatchQuery => parsedQuery(c, oneNameSelector(c));

/** The field selector of a `/watch/…/:name` path: `metadata.name` joined to the caller's. */
export function oneNameSelector(c: Ctx): { fieldSelector: string } {
  const byName = `metadata.name=${c.req.param('name')}`;
  const own = c.req.query('fieldSelector');
  return { fieldSelector: own ? `${own},${byName}` : byName };
}
