/**
 * State loss: the namespace objects' storage is wiped (as if podgate's state were lost) while
 * JD Cloud keeps its pods. Every pod is still listed and readable, rebuilt from its JD name and
 * tags, and a Warning names what could not be recovered.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pod, PodList } from '../../src/k8s/pod';
import { api, apiJson, emulator, podManifest, resetGateway } from '../support/gateway';
import { freshCell, jdPodsNamed } from '../support/reliability';

const NS = '/api/v1/namespaces/default/pods';

beforeEach(freshCell);

/** Three pods in default (one stopped) and one in staging, all settled on JD Cloud. */
async function populate(): Promise<Map<string, Pod>> {
  for (const name of ['a', 'b', 'c']) {
    await apiJson('POST', NS, 201, { body: podManifest(name, {}, { app: name }) });
  }
  await apiJson('POST', '/api/v1/namespaces/staging/pods', 201, { body: podManifest('s') });
  await emulator.settle();
  await apiJson('POST', `${NS}/b/stop`, 200);
  await emulator.settle();
  const list = await apiJson<PodList>('GET', '/api/v1/pods', 200);
  return new Map(list.items.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
}

/** Forgets every pod, event, journal entry and counter podgate stored; JD Cloud keeps its pods. */
const wipeGatewayState = () => resetGateway();

const warningsOf = (res: Response) => res.headers.get('Warning') ?? '';

describe('after podgate loses its state', () => {
  it('lists every JD pod, with a Warning naming the metadata that was lost', async () => {
    const before = await populate();
    await wipeGatewayState();
    const res = await api('GET', NS);
    expect(res.status).toBe(200);
    const list = (await res.json()) as PodList;
    expect(list.items.map((p) => p.metadata.name)).toEqual(['a', 'b', 'c']);
    for (const name of ['a', 'b', 'c']) {
      expect(warningsOf(res)).toContain(
        `pod default/${name} was recovered from JD Cloud: its labels and annotations were lost with podgate's state`,
      );
    }
    for (const pod of list.items) {
      const old = before.get(`default/${pod.metadata.name}`) as Pod;
      // Identity comes back from JD Cloud's tags; the spec from its containers.
      expect(pod.metadata.uid).toBe(old.metadata.uid);
      expect(pod.metadata.namespace).toBe('default');
      expect(pod.spec.containers.map((c) => [c.name, c.image])).toEqual([['app', 'nginx:1.25']]);
      expect(pod.metadata.labels ?? {}).toEqual({});
    }
    const stopped = list.items.find((p) => p.metadata.name === 'b') as Pod;
    expect(stopped.status.reason).toBe('Stopped');
    expect(list.items.find((p) => p.metadata.name === 'a')?.status.phase).toBe('Running');
    // Adopted once: the next list has nothing left to warn about.
    const again = await api('GET', NS);
    expect(warningsOf(again)).toBe('');
  });

  it('reads a pod by name without a list first, and in every namespace', async () => {
    const before = await populate();
    await wipeGatewayState();
    const a = await apiJson('GET', `${NS}/a`, 200);
    expect(a.metadata.uid).toBe(before.get('default/a')?.metadata.uid);
    expect(a.status.phase).toBe('Running');
    const s = await apiJson('GET', '/api/v1/namespaces/staging/pods/s', 200);
    expect(s.metadata.uid).toBe(before.get('staging/s')?.metadata.uid);
    const all = await apiJson<PodList>('GET', '/api/v1/pods', 200);
    expect(all.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'default/a',
      'default/b',
      'default/c',
      'staging/s',
    ]);
  });

  it('still stops, starts and deletes the recovered pods, creating nothing twice', async () => {
    await populate();
    await wipeGatewayState();
    await apiJson('POST', `${NS}/b/start`, 200);
    await apiJson('POST', `${NS}/c/stop`, 200);
    await apiJson('DELETE', `${NS}/a`, 200);
    await emulator.settle();
    await apiJson('GET', `${NS}/a`, 404);
    expect((await apiJson('GET', `${NS}/b`, 200)).status.phase).toBe('Running');
    expect((await apiJson('GET', `${NS}/c`, 200)).status.reason).toBe('Stopped');
    // A create of a name JD Cloud still has is refused, not duplicated.
    const dup = await api('POST', NS, { body: podManifest('b') });
    expect(dup.status).toBe(409);
    expect(await jdPodsNamed('b')).toHaveLength(1);
  });

  it('never hands out a resourceVersion lower than one it handed out before', async () => {
    await populate();
    const before = await apiJson<PodList>('GET', NS, 200);
    await wipeGatewayState();
    const after = await apiJson<PodList>('GET', NS, 200);
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(
      Number(before.metadata.resourceVersion),
    );
    for (const pod of after.items) {
      expect(Number(pod.metadata.resourceVersion)).toBeGreaterThan(
        Number(before.metadata.resourceVersion),
      );
    }
  });
});
