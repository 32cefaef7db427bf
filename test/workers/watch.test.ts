import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pod, PodList, Table } from '../../src/k8s/pod';
import {
  api,
  apiJson,
  emulator,
  podManifest,
  resetGateway,
  runAlarm,
  VIEWER,
} from '../support/gateway';
import { type WatchEvent, WatchReader } from '../support/kube-watch';

const NS = '/api/v1/namespaces/default/pods';
const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

let open: WatchReader[] = [];

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});
afterEach(async () => {
  await Promise.all(open.map((w) => w.cancel().catch(() => {})));
  open = [];
});

async function watch(path: string, headers: Record<string, string> = {}): Promise<WatchReader> {
  const res = await api('GET', path, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('application/json');
  const reader = new WatchReader(res.body as ReadableStream<Uint8Array>);
  open.push(reader);
  return reader;
}

const nameOf = (e: WatchEvent) => (e.object as unknown as Pod).metadata.name;
const phaseOf = (e: WatchEvent) => (e.object as unknown as Pod).status?.phase;

describe('watch on a namespace', () => {
  it('streams ADDED, MODIFIED as JD Cloud runs the pod, and DELETED once it is gone', async () => {
    const list = await apiJson<PodList>('GET', NS, 200);
    const events = await watch(`${NS}?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    await apiJson('POST', NS, 201, { body: podManifest('web') });
    const added = await events.next();
    expect(added).toMatchObject({ type: 'ADDED', object: { kind: 'Pod', apiVersion: 'v1' } });
    expect(nameOf(added as WatchEvent)).toBe('web');

    await emulator.settle();
    await runAlarm('default');
    const running = await events.collect((e) => phaseOf(e) === 'Running');
    expect(running.every((e) => e.type === 'MODIFIED')).toBe(true);

    await apiJson('DELETE', `${NS}/web`, 200);
    await emulator.settle();
    while (await runAlarm('default')) {
      // each alarm is one poll of the delete; JD Cloud has finished after the clock moved
    }
    const rest = await events.collect((e) => e.type === 'DELETED');
    expect(nameOf(rest.at(-1) as WatchEvent)).toBe('web');
  });

  it('starts with the current pods when no resourceVersion is given', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('a') });
    await apiJson('POST', NS, 201, { body: podManifest('b') });
    const events = await watch(`${NS}?watch=1`);
    const first = [await events.next(), await events.next()];
    expect(first.map((e) => [e?.type, nameOf(e as WatchEvent)])).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'b'],
    ]);
  });

  it('replays the events after a resourceVersion, and honours selectors', async () => {
    const start = await apiJson<PodList>('GET', NS, 200);
    await apiJson('POST', NS, 201, { body: podManifest('a', {}, { app: 'web' }) });
    await apiJson('POST', NS, 201, { body: podManifest('b', {}, { app: 'db' }) });
    await apiJson('POST', NS, 201, { body: podManifest('c', {}, { app: 'web' }) });
    const rv = start.metadata.resourceVersion;
    const byLabel = await watch(`${NS}?watch=true&resourceVersion=${rv}&labelSelector=app%3Dweb`);
    expect(nameOf((await byLabel.next()) as WatchEvent)).toBe('a');
    expect(nameOf((await byLabel.next()) as WatchEvent)).toBe('c');
    const byName = await watch(
      `${NS}?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Db`,
    );
    expect(nameOf((await byName.next()) as WatchEvent)).toBe('b');
  });

  it('reports a label change out of the selection as DELETED', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('a', {}, { app: 'web' }) });
    const events = await watch(`${NS}?watch=true&labelSelector=app%3Dweb`);
    expect((await events.next())?.type).toBe('ADDED');
    const stub = env.NAMESPACES.get(env.NAMESPACES.idFromName('default'));
    await runInDurableObject(
      stub,
      (store: import('../../src/store/namespace-store').NamespaceStore) => {
        const row = store.core.storage.row('a');
        if (!row) throw new Error('no row');
        store.core.storage.commit(
          'MODIFIED',
          { ...row.pod, metadata: { ...row.pod.metadata, labels: { app: 'db' } } },
          { uid: row.uid, jdPodId: row.jdPodId },
        );
      },
    );
    expect(await events.next()).toMatchObject({ type: 'DELETED' });
  });

  it('answers a resourceVersion older than the history with an ERROR 410 event and ends', async () => {
    for (const name of ['a', 'b', 'c']) await apiJson('POST', NS, 201, { body: podManifest(name) });
    const stub = env.NAMESPACES.get(env.NAMESPACES.idFromName('default'));
    await runInDurableObject(stub, (_store, state) => {
      state.storage.sql.exec('DELETE FROM events WHERE rv <= 2');
    });
    const events = await watch(`${NS}?watch=true&resourceVersion=1`);
    const error = await events.next<{ code: number; reason: string; message: string }>();
    expect(error).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    expect(error?.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    expect(await events.next()).toBeUndefined();
  });

  it('ends after timeoutSeconds with a BOOKMARK at the version reached', async () => {
    const list = await apiJson<PodList>('GET', NS, 200);
    const events = await watch(
      `${NS}?watch=true&resourceVersion=${list.metadata.resourceVersion}&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    await apiJson('POST', NS, 201, { body: podManifest('web') });
    const added = (await events.next()) as WatchEvent;
    const bookmark = await events.next<Pod>();
    expect(bookmark).toMatchObject({ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1' } });
    expect(bookmark?.object.metadata.resourceVersion).toBe(
      (added.object as unknown as Pod).metadata.resourceVersion,
    );
    expect(await events.next()).toBeUndefined();
  });

  it('encodes events as one-row Tables, with column definitions only on the first', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('a') });
    const events = await watch(`${NS}?watch=true`, { Accept: TABLE_ACCEPT });
    const first = await events.next<Table>();
    expect(first?.object.kind).toBe('Table');
    expect(first?.object.columnDefinitions?.map((c) => c.name).slice(0, 5)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
    ]);
    expect(first?.object.rows[0]?.cells.slice(0, 3)).toEqual(['a', '0/1', 'ContainerCreating']);
    await apiJson('POST', NS, 201, { body: podManifest('b') });
    const second = await events.next<Table>();
    expect(second?.object.columnDefinitions).toBeNull();
    expect(second?.object.rows[0]?.object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 'b', namespace: 'default' },
    });
  });

  it('refuses a viewer outside its namespace, a bad selector and a bad resourceVersion', async () => {
    const forbidden = await api('GET', '/api/v1/namespaces/staging/pods?watch=true', {
      token: VIEWER,
    });
    expect(forbidden.status).toBe(403);
    expect((await api('GET', `${NS}?watch=true&fieldSelector=spec.image%3Dx`)).status).toBe(400);
    expect((await api('GET', `${NS}?watch=true&resourceVersion=abc`)).status).toBe(400);
    expect((await api('GET', '/api/v1/namespaces/nope/pods?watch=true')).status).toBe(404);
  });
});

describe('watch across namespaces', () => {
  it('merges every namespace, resuming from the all-namespaces list version', async () => {
    const list = await apiJson<PodList>('GET', '/api/v1/pods', 200);
    expect(list.metadata.resourceVersion).toMatch(/^default=\d+,staging=\d+$/);
    const events = await watch(
      `/api/v1/pods?watch=true&resourceVersion=${encodeURIComponent(list.metadata.resourceVersion ?? '')}`,
    );
    await apiJson('POST', NS, 201, { body: podManifest('a') });
    await apiJson('POST', '/api/v1/namespaces/staging/pods', 201, { body: podManifest('b') });
    const seen = [await events.next(), await events.next()].map(
      (e) => (e as WatchEvent<Pod>).object.metadata,
    );
    expect(seen.map((m) => `${m.namespace}/${m.name}`).sort()).toEqual(['default/a', 'staging/b']);
  });

  it('answers a bare resourceVersion with ERROR 410 so the client lists again', async () => {
    const events = await watch('/api/v1/pods?watch=true&resourceVersion=5');
    expect(await events.next()).toMatchObject({ type: 'ERROR', object: { code: 410 } });
    expect(await events.next()).toBeUndefined();
  });
});
