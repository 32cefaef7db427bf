/**
 * Lists at a resourceVersion through the API: `continue` pages from the first page's snapshot,
 * `resourceVersionMatch=Exact` and NotOlderThan, as the apiserver answers them, also after the
 * namespace object lost its memory (evicted), when the state is rebuilt from the watch history.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PodList } from '../../../src/k8s/pod';
import type { Status } from '../../../src/k8s/status';
import {
  api,
  apiJson,
  emulator,
  evictNamespace,
  podManifest,
  resetGateway,
} from '../../support/gateway';

const NS = '/api/v1/namespaces/default/pods';

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
  for (const name of ['a', 'b', 'c']) {
    await apiJson('POST', NS, 201, { body: podManifest(name, {}, { v: '1' }) });
  }
});

const relabel = (name: string, v: string) =>
  apiJson('PATCH', `${NS}/${name}`, 200, {
    body: { metadata: { labels: { v } } },
    contentType: 'application/merge-patch+json',
  });

const summary = (list: PodList) =>
  list.items.map((p) => `${p.metadata.name}:${p.metadata.labels?.v}`);

async function status(path: string): Promise<Status> {
  const res = await api('GET', path);
  return (await res.json()) as Status;
}

describe.each([
  ['in memory', false],
  ['rebuilt from the history after an eviction', true],
])('a list at a version (%s)', (_, evict) => {
  it('serves every continue page from the first page’s snapshot', async () => {
    const first = await apiJson<PodList>('GET', `${NS}?limit=2`, 200);
    expect(summary(first)).toEqual(['a:1', 'b:1']);
    // Meanwhile: c relabelled, b deleted, aa and d created. None of it shows on the next page.
    await relabel('c', '2');
    await apiJson('DELETE', `${NS}/b?gracePeriodSeconds=0`, 200);
    for (const name of ['aa', 'd']) await apiJson('POST', NS, 201, { body: podManifest(name) });
    if (evict) await evictNamespace('default');
    const token = first.metadata.continue as string;
    const next = await apiJson<PodList>('GET', `${NS}?limit=2&continue=${token}`, 200);
    expect(summary(next)).toEqual(['c:1']);
    expect(next.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(next.metadata.continue).toBeUndefined();
    // A new list sees the namespace as it is now.
    const now = await apiJson<PodList>('GET', NS, 200);
    expect(summary(now)).toEqual(
      expect.arrayContaining(['a:1', 'aa:undefined', 'c:2', 'd:undefined']),
    );
  });

  it('answers Exact at that version, NotOlderThan from the newest state', async () => {
    const before = await apiJson<PodList>('GET', NS, 200);
    const rv = before.metadata.resourceVersion as string;
    await relabel('a', '2');
    if (evict) await evictNamespace('default');
    const exact = await apiJson<PodList>(
      'GET',
      `${NS}?resourceVersion=${rv}&resourceVersionMatch=Exact`,
      200,
    );
    expect(summary(exact)).toEqual(['a:1', 'b:1', 'c:1']);
    expect(exact.metadata.resourceVersion).toBe(rv);
    const newest = await apiJson<PodList>(
      'GET',
      `${NS}?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`,
      200,
    );
    expect(summary(newest)).toEqual(['a:2', 'b:1', 'c:1']);
    expect(Number(newest.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
  });
});

describe('a list at a version the namespace cannot serve', () => {
  it('answers 504 for a version not reached yet, as the apiserver does', async () => {
    const list = await apiJson<PodList>('GET', NS, 200);
    const ahead = Number(list.metadata.resourceVersion) + 1000;
    for (const match of ['Exact', 'NotOlderThan']) {
      const res = await api('GET', `${NS}?resourceVersion=${ahead}&resourceVersionMatch=${match}`);
      expect(res.status).toBe(504);
      expect(res.headers.get('Retry-After')).toBe('1');
      expect(await res.json()).toMatchObject({
        reason: 'Timeout',
        message: `Timeout: Too large resource version: ${ahead}, current: ${list.metadata.resourceVersion}`,
        details: { causes: [{ reason: 'ResourceVersionTooLarge' }] },
      });
    }
  });

  it('answers 400 for a continue token with a resourceVersion', async () => {
    const first = await apiJson<PodList>('GET', `${NS}?limit=1`, 200);
    const path = `${NS}?limit=1&continue=${first.metadata.continue}&resourceVersion=${first.metadata.resourceVersion}`;
    expect(await status(path)).toMatchObject({
      code: 400,
      message: 'specifying resource version is not allowed when using continue',
    });
  });
});
