/**
 * How other clients watch: the Python client's `watch=True`, kubeclient's `/api/v1/watch/...`
 * paths, and client-go's watch-list (`sendInitialEvents=true`) with its closing bookmark.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pod, PodList } from '../../src/k8s/pod';
import type { Status } from '../../src/k8s/status';
import { api, apiJson, emulator, podManifest, resetGateway } from '../support/gateway';
import { type WatchEvent, WatchReader } from '../support/kube-watch';

const NS = '/api/v1/namespaces/default/pods';
let open: WatchReader[] = [];

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});
afterEach(async () => {
  await Promise.all(open.map((w) => w.cancel().catch(() => {})));
  open = [];
});

async function watch(path: string): Promise<WatchReader> {
  const res = await api('GET', path);
  expect(res.status).toBe(200);
  const reader = new WatchReader(res.body as ReadableStream<Uint8Array>);
  open.push(reader);
  return reader;
}

const nameOf = (e: WatchEvent | undefined) =>
  (e?.object as unknown as Pod | undefined)?.metadata.name;

describe('boolean query parameters, as the apiserver converts them', () => {
  it.each(['True', 'TRUE', '1', 't', 'yes'])('watch=%s is a watch', async (value) => {
    await apiJson('POST', NS, 201, { body: podManifest('web') });
    const events = await watch(`${NS}?watch=${value}`);
    const first = await events.next();
    expect(first?.type).toBe('ADDED');
    expect(nameOf(first)).toBe('web');
  });

  it.each(['false', 'False', '0'])('watch=%s is a list', async (value) => {
    const list = await apiJson<PodList>('GET', `${NS}?watch=${value}`, 200);
    expect(list.kind).toBe('PodList');
  });
});

describe('the /api/v1/watch paths', () => {
  it('watches a namespace, every namespace and one pod by name', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('web') });
    await apiJson('POST', NS, 201, { body: podManifest('db') });
    const all = await watch('/api/v1/watch/pods');
    const ns = await watch('/api/v1/watch/namespaces/default/pods');
    const one = await watch('/api/v1/watch/namespaces/default/pods/db');
    const names = async (r: WatchReader) => [nameOf(await r.next()), nameOf(await r.next())].sort();
    expect(await names(all)).toEqual(['db', 'web']);
    expect(await names(ns)).toEqual(['db', 'web']);
    expect(nameOf(await one.next())).toBe('db');
    await apiJson('DELETE', `${NS}/web`, 200);
    await apiJson('DELETE', `${NS}/db`, 200);
    // The per-name watch sees only db's changes.
    const next = await one.next();
    expect(nameOf(next)).toBe('db');
  });

  it('answers 404 for a namespace podgate does not serve', async () => {
    const res = await api('GET', '/api/v1/watch/namespaces/nowhere/pods');
    expect(res.status).toBe(404);
  });
});

describe('watch-list (sendInitialEvents)', () => {
  const WATCH_LIST =
    'watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true';

  it('sends the current pods, then a BOOKMARK annotated k8s.io/initial-events-end', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('web') });
    const list = await apiJson<PodList>('GET', NS, 200);
    const events = await watch(`${NS}?${WATCH_LIST}&resourceVersion=`);
    const added = await events.next();
    expect(added?.type).toBe('ADDED');
    expect(nameOf(added)).toBe('web');
    const bookmark = await events.next<Pod>();
    expect(bookmark?.type).toBe('BOOKMARK');
    expect(bookmark?.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(Number(bookmark?.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number(list.metadata.resourceVersion),
    );
    await apiJson('POST', NS, 201, { body: podManifest('db') });
    const next = await events.next();
    expect(next?.type).toBe('ADDED');
    expect(nameOf(next)).toBe('db');
  });

  it('sendInitialEvents=false starts from now, with no initial events', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('web') });
    const events = await watch(
      `${NS}?watch=1&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    );
    await apiJson('POST', NS, 201, { body: podManifest('db') });
    const first = await events.next();
    expect(first?.type).toBe('ADDED');
    expect(nameOf(first)).toBe('db');
  });

  it.each([
    [
      'watch=1&sendInitialEvents=true&allowWatchBookmarks=true',
      'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    ],
    [
      'watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan',
      'allowWatchBookmarks: Forbidden: allowWatchBookmarks must be set to true when sendInitialEvents is provided',
    ],
    [
      'watch=1&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    ],
    [
      'sendInitialEvents=true',
      'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
    ],
  ])('refuses %s with 422 naming the field', async (query, message) => {
    const status = await apiJson<Status>('GET', `${NS}?${query}`, 422);
    expect(status.reason).toBe('Invalid');
    expect(status.message).toBe(`ListOptions.meta.k8s.io "" is invalid: ${message}`);
  });
});
