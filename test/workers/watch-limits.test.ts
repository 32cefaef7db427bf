/**
 * Watch limits over HTTP (issue 17): a commit made by one request is pushed to a watch opened by
 * another (no polling, no alarm), a caller holds at most PODGATE_MAX_WATCHES_PER_CALLER watches
 * per namespace (429 past it), and a client that disconnects gives its slot back.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_WATCHES_PER_CALLER } from '../../src/auth/settings';
import type { Pod } from '../../src/k8s/pod';
import type { NamespaceStore } from '../../src/store/namespace-store';
import { api, apiJson, emulator, podManifest, resetGateway, VIEWER } from '../support/gateway';
import { WatchReader } from '../support/kube-watch';

const NS = '/api/v1/namespaces/default/pods';
const VIEWER_KEY = 'token:dev-viewer';
let open: WatchReader[] = [];

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
  // Watches of earlier tests (closed in afterEach) are released as their disconnects arrive.
  await settledTo(0);
});
afterEach(async () => {
  await Promise.all(open.map((w) => w.cancel().catch(() => {})));
  open = [];
});

/** What the namespace object counts: the viewer's open watches and all listeners. */
async function counts(namespace = 'default') {
  const stub = env.NAMESPACES.get(env.NAMESPACES.idFromName(namespace));
  return runInDurableObject(stub, async (store: NamespaceStore) => ({
    held: store.watchers.held(VIEWER_KEY),
    listeners: store.watchers.size,
  }));
}

/** Waits (bounded) until the namespace object has seen the disconnects. */
async function settledTo(held: number) {
  for (let i = 0; i < 200; i++) {
    if ((await counts()).held === held) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect((await counts()).held).toBe(held);
}

async function watchAsViewer(path?: string) {
  if (!path) {
    const list = await apiJson<{ metadata: { resourceVersion: string } }>('GET', NS, 200);
    path = `${NS}?watch=true&resourceVersion=${list.metadata.resourceVersion}`;
  }
  const res = await api('GET', path, { token: VIEWER });
  if (res.status === 200) open.push(new WatchReader(res.body as ReadableStream<Uint8Array>));
  return res;
}

describe('watch limits', () => {
  it('pushes a commit made by one request to a watch opened by another', async () => {
    const list = await apiJson<{ metadata: { resourceVersion: string } }>('GET', NS, 200);
    const res = await watchAsViewer(
      `${NS}?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
    );
    expect(res.status).toBe(200);
    const events = open[0] as WatchReader;
    await apiJson('POST', NS, 201, { body: podManifest('pushed') });
    const added = await events.next<Pod>();
    expect(added).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'pushed' } } });
  });

  it('refuses watches past the per-caller cap with 429, and gives slots back on disconnect', async () => {
    for (let i = 0; i < DEFAULT_MAX_WATCHES_PER_CALLER; i++) {
      expect((await watchAsViewer()).status).toBe(200);
    }
    expect(await counts()).toEqual({
      held: DEFAULT_MAX_WATCHES_PER_CALLER,
      listeners: DEFAULT_MAX_WATCHES_PER_CALLER,
    });
    const refused = await watchAsViewer();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect(await refused.json()).toMatchObject({
      kind: 'Status',
      code: 429,
      reason: 'TooManyRequests',
    });
    // Another caller is not affected by the viewer's count.
    const admin = await api('GET', `${NS}?watch=true`);
    expect(admin.status).toBe(200);
    await admin.body?.cancel();

    await (open.shift() as WatchReader).cancel();
    await settledTo(DEFAULT_MAX_WATCHES_PER_CALLER - 1);
    expect((await watchAsViewer()).status).toBe(200);

    await Promise.all(open.map((w) => w.cancel()));
    open = [];
    await settledTo(0);
    expect((await counts()).listeners).toBe(0);
  });
});
