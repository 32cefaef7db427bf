/**
 * Events, read-only: core/v1 (`/api/v1/.../events`) and events.k8s.io/v1
 * (`/apis/events.k8s.io/v1/.../events`): get, list (field selectors on `involvedObject.*`,
 * `reason`, `type`, `source`… as `kubectl describe` sends them), and watch (`?watch=true` and the
 * `/watch/` paths), per namespace and across namespaces. Every role may `get`, `list`, `watch`
 * `events` where it may read pods (auth/authorize.ts); podgate alone writes them.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireGrant } from '../auth/authenticate';
import { type CoreEvent, eventTable, parseEventFieldSelector, toEventsV1 } from '../k8s/event';
import { validateListOptions } from '../k8s/list-options';
import { parseLabelSelector } from '../k8s/selectors';
import { badRequest } from '../k8s/status';
import { wantsTable } from '../k8s/table';
import type { AppEnv } from '../lib/create-app';
import type { EventWatchRequest } from '../store/event-watch';
import type { ListOptions } from '../store/list';
import { unwrap } from '../store/result';
import { storeOf } from '../store/stub';
import { listEveryNamespace, namespaceSettings, warn } from './pods.handlers';
import { listQuery } from './pods.routes';
import {
  checkVersion,
  endOnDisconnect,
  isWatch,
  oneNameSelector,
  streamResponse,
  type WatchQuery,
  watchCap,
  watchEveryNamespace,
  watchRequest,
} from './watch';

type Ctx = Context<AppEnv>;
type Group = EventWatchRequest['group'];

const V1 = '/apis/events.k8s.io/v1';

/** 400 for a malformed selector or a field events do not index. */
function checkEventSelectors(query: { labelSelector?: string; fieldSelector?: string }): void {
  if (query.labelSelector) parseLabelSelector(query.labelSelector);
  if (query.fieldSelector) parseEventFieldSelector(query.fieldSelector);
}

function parsedQuery(c: Ctx, extra: Record<string, string> = {}) {
  const parsed = listQuery.safeParse({ ...c.req.query(), ...extra });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw badRequest(`${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid value'}`);
}

function listOptions(c: Ctx): ListOptions {
  const query = parsedQuery(c);
  checkEventSelectors(query);
  validateListOptions(query);
  return {
    ...(query.resourceVersion ? { resourceVersion: query.resourceVersion } : {}),
    ...(query.labelSelector ? { labelSelector: query.labelSelector } : {}),
    ...(query.fieldSelector ? { fieldSelector: query.fieldSelector } : {}),
    ...(query.limit ? { limit: query.limit } : {}),
    ...(query.continue ? { continue: query.continue } : {}),
  };
}

const render = (group: Group, event: CoreEvent) => (group === 'core' ? event : toEventsV1(event));

function renderList(
  c: Ctx,
  group: Group,
  items: CoreEvent[],
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number },
) {
  if (wantsTable(c.req.header('Accept'))) {
    return c.json(
      eventTable(items, {
        now: new Date(),
        resourceVersion: metadata.resourceVersion,
        ...(metadata.continue ? { continue: metadata.continue } : {}),
      }),
    );
  }
  return c.json({
    kind: 'EventList',
    apiVersion: group === 'core' ? 'v1' : 'events.k8s.io/v1',
    metadata,
    items: items.map((event) => render(group, event)),
  });
}

const pageMeta = (page: {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}) => ({
  resourceVersion: page.resourceVersion,
  ...(page.continue ? { continue: page.continue } : {}),
  ...(page.remainingItemCount ? { remainingItemCount: page.remainingItemCount } : {}),
});

async function listNamespace(c: Ctx, group: Group, namespace: string) {
  requireGrant(c, 'list-events', namespace);
  namespaceSettings(c, namespace);
  const result = await storeOf(c.env, namespace).listEvents(namespace, listOptions(c));
  const page = unwrap(result);
  if (result.ok) warn(c, result.warnings);
  return renderList(c, group, page.items, pageMeta(page));
}

/** Every configured namespace's events; the composite resourceVersion of a pod list. */
async function listAll(c: Ctx, group: Group) {
  requireGrant(c, 'list-events', undefined);
  const { limit: _limit, continue: _continue, ...options } = listOptions(c);
  const all = await listEveryNamespace(c, (store, ns) => store.listEvents(ns, options));
  return renderList(c, group, all.items, { resourceVersion: all.resourceVersion });
}

async function getOne(c: Ctx, group: Group) {
  const namespace = c.req.param('namespace') as string;
  const name = c.req.param('name') as string;
  requireGrant(c, 'get-events', namespace, name);
  namespaceSettings(c, namespace);
  const event = unwrap(await storeOf(c.env, namespace).getEvent(namespace, name));
  if (wantsTable(c.req.header('Accept'))) return c.json(eventTable([event], { now: new Date() }));
  return c.json(render(group, event));
}

function eventWatchRequest(c: Ctx, group: Group, query: WatchQuery): EventWatchRequest {
  const request = watchRequest(query, c.req.header('Accept'), checkEventSelectors);
  checkVersion(request.resourceVersion);
  return { ...request, ...watchCap(c), group };
}

async function watchNamespace(c: Ctx, group: Group, namespace: string, query: WatchQuery) {
  requireGrant(c, 'watch-events', namespace);
  namespaceSettings(c, namespace);
  const request = eventWatchRequest(c, group, query);
  const store = storeOf(c.env, namespace);
  const opened = unwrap(await store.watchEvents(namespace, request));
  return streamResponse(endOnDisconnect(c, store, opened));
}

function watchAll(c: Ctx, group: Group, query: WatchQuery) {
  requireGrant(c, 'watch-events', undefined);
  const { resourceVersion, ...request } = eventWatchRequest(c, group, query);
  return watchEveryNamespace(c, resourceVersion, (store, namespace, rv) =>
    store.watchEvents(namespace, { ...request, ...(rv ? { resourceVersion: rv } : {}) }),
  );
}

/** A watch of one event by name: a `metadata.name` field selector joined to the caller's. */
const oneName = (c: Ctx): WatchQuery => parsedQuery(c, oneNameSelector(c));

/** The routes of one API (`core` at /api/v1, `events.k8s.io` at /apis/events.k8s.io/v1). */
function eventApi(group: Group, base: string) {
  return new OpenAPIHono<AppEnv>()
    .get(`${base}/namespaces/:namespace/events`, (c) => {
      const namespace = c.req.param('namespace');
      if (isWatch({ watch: c.req.query('watch') })) {
        return watchNamespace(c, group, namespace, parsedQuery(c));
      }
      return listNamespace(c, group, namespace);
    })
    .get(`${base}/events`, (c) =>
      isWatch({ watch: c.req.query('watch') })
        ? watchAll(c, group, parsedQuery(c))
        : listAll(c, group),
    )
    .get(`${base}/namespaces/:namespace/events/:name`, (c) => getOne(c, group))
    .get(`${base}/watch/namespaces/:namespace/events`, (c) =>
      watchNamespace(c, group, c.req.param('namespace'), parsedQuery(c)),
    )
    .get(`${base}/watch/namespaces/:namespace/events/:name`, (c) =>
      watchNamespace(c, group, c.req.param('namespace'), oneName(c)),
    )
    .get(`${base}/watch/events`, (c) => watchAll(c, group, parsedQuery(c)));
}

export const eventRoutes = new OpenAPIHono<AppEnv>()
  .route('/', eventApi('core', '/api/v1'))
  .route('/', eventApi('events.k8s.io', V1));
