/**
 * Reads from storage, as deployed: the namespace's stored state counts as fresh for the poll
 * interval (60 s in this project); the tests make it stale explicitly (the namespace's
 * `synced_at`) and run its alarm (the reconciler's sync) by hand, so nothing depends on timing.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pod, PodList } from '../../../src/k8s/pod';
import type { NamespaceStore } from '../../../src/store/namespace-store';
import { api, apiJson, emulator, podManifest, resetGateway } from '../../support/gateway';
import { type WatchEvent, WatchReader } from '../../support/kube-watch';
import { jdPodsNamed } from '../../support/reliability';

const NS = '/api/v1/namespaces/default/pods';
const stub = () => env.NAMESPACES.get(env.NAMESPACES.idFromName('default'));

let open: WatchReader[] = [];

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});
afterEach(async () => {
  await Promise.all(open.map((w) => w.cancel().catch(() => {})));
  open = [];
});

/** Makes the stored namespace older than any freshness bound (its last sync long ago). */
const makeStale = () =>
  runInDurableObject(stub(), (_instance: NamespaceStore, state) => {
    state.storage.sql.exec("UPDATE meta SET value = '1' WHERE key = 'synced_at'");
  });

/** Runs the namespace's alarm with its sync due now: one reconciler pass. */
const syncByAlarm = () =>
  runInDurableObject(stub(), async (instance: NamespaceStore, state) => {
    state.storage.sql.exec(
      "INSERT INTO meta (key, value) VALUES ('synced_at', '1') ON CONFLICT(key) DO UPDATE SET value = '1'",
    );
    state.storage.sql.exec('UPDATE operations SET next_at = 0');
    await instance.alarm();
  });

const callsOf = async (operation: string) => (await emulator.calls(operation)).length;

/** Two running pods, created and synced; the emulator's call log cleared. */
async function twoRunningPods(): Promise<void> {
  for (const name of ['web', 'api']) {
    await apiJson('POST', NS, 201, { body: podManifest(name) });
  }
  await emulator.settle();
  await syncByAlarm();
  const list = await apiJson<PodList>('GET', NS, 200);
  expect(list.items.map((p) => p.status.phase)).toEqual(['Running', 'Running']);
  await emulator.clearCalls();
}

describe('reads from storage', () => {
  it('many concurrent reads of a stale namespace make one JD call', async () => {
    await twoRunningPods();
    await makeStale();
    const lists = await Promise.all(Array.from({ length: 20 }, () => api('GET', NS)));
    expect(lists.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await callsOf('describePods')).toBe(1);
    expect(await emulator.calls()).toHaveLength(1);
  });

  it('reads within the freshness window make no JD call, and do not write', async () => {
    await twoRunningPods();
    await apiJson<PodList>('GET', NS, 200);
    await emulator.clearCalls();
    const before = await apiJson('GET', `${NS}/web`, 200);
    for (let i = 0; i < 10; i++) {
      await apiJson<PodList>('GET', NS, 200);
      await apiJson('GET', `${NS}/web`, 200);
    }
    expect(await emulator.calls()).toEqual([]);
    const after = await apiJson('GET', `${NS}/web`, 200);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('many concurrent GETs of the stale pods of a namespace make one describePods', async () => {
    await twoRunningPods();
    await makeStale();
    const gets = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api('GET', `${NS}/${i % 2 ? 'web' : 'api'}`)),
    );
    expect(gets.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await emulator.calls()).map((c) => c.operation)).toEqual(['describePods']);
  });

  it('resourceVersion=0 answers from storage at once', async () => {
    await twoRunningPods();
    await makeStale();
    await apiJson<PodList>('GET', `${NS}?resourceVersion=0`, 200);
    await apiJson('GET', `${NS}/web?resourceVersion=0`, 200);
    expect(await emulator.calls()).toEqual([]);
  });

  it('a read JD Cloud cannot refresh is served from storage with a warning', async () => {
    await twoRunningPods();
    await makeStale();
    await emulator.fault('describePods', { status: 503, count: 20 });
    await emulator.fault('describePod', { status: 503, count: 20 });
    const list = await api('GET', NS);
    expect(list.status, await list.clone().text()).toBe(200);
    expect(await callsOf('describePods')).toBeGreaterThan(0);
    expect(list.headers.get('warning')).toMatch(/could not refresh from JD Cloud/);
    expect(((await list.json()) as PodList).items).toHaveLength(2);
    const get = await api('GET', `${NS}/web`);
    expect(get.status).toBe(200);
    expect(get.headers.get('warning')).toMatch(/the status shown is as of/);
  });
});

describe('out-of-band changes reach an open watch with no read', () => {
  async function watchFromNow(): Promise<WatchReader> {
    const list = await apiJson<PodList>('GET', `${NS}?resourceVersion=0`, 200);
    const res = await api(
      'GET',
      `${NS}?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
    );
    expect(res.status).toBe(200);
    const reader = new WatchReader(res.body as ReadableStream<Uint8Array>);
    open.push(reader);
    return reader;
  }

  const ready = (pod: Pod) => pod.status?.containerStatuses?.[0]?.ready;

  /**
   * Does `action` to pod `web` in JD's console (after `before`, already synced) while a watch is
   * open, runs one sync, and answers the pod as the watch event that shows `shows` carries it.
   */
  async function watchedAfterConsole(
    action: 'stop' | 'start' | 'fail',
    shows: (pod: Pod) => boolean,
    before?: 'stop',
  ): Promise<Pod> {
    await twoRunningPods();
    const podId = (await jdPodsNamed('web'))[0]?.podId as string;
    if (before) {
      await emulator.console(podId, before);
      await emulator.settle();
      await syncByAlarm();
    }
    const events = await watchFromNow();
    await emulator.console(podId, action);
    await emulator.settle();
    await syncByAlarm();
    const last = (await events.collect((e) => shows(e.object as unknown as Pod))).at(-1);
    expect(last?.type).toBe('MODIFIED');
    const pod = last?.object as unknown as Pod;
    expect(pod.metadata.name).toBe('web');
    return pod;
  }

  it("a pod stopped in JD's console: Running with reason Stopped, not ready", async () => {
    const pod = await watchedAfterConsole('stop', (p) => ready(p) === false);
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.reason).toBe('Stopped');
  });

  it("a pod failed in JD's console: Failed", async () => {
    const pod = await watchedAfterConsole('fail', (p) => ready(p) === false);
    expect(pod.status?.phase).toBe('Failed');
  });

  it('a pod started again in JD’s console: ready, the reason gone', async () => {
    const pod = await watchedAfterConsole('start', (p) => ready(p) === true, 'stop');
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.reason).toBeUndefined();
  });

  it('a watch on a namespace stable for the idle interval makes no JD call until it comes', async () => {
    await twoRunningPods();
    await watchFromNow();
    // Nothing has changed or been read for longer than the idle interval (10 min here).
    await runInDurableObject(stub(), (store: NamespaceStore) => {
      store.core.storage.changedAt = Date.now() - 11 * 60_000;
      store.core.reconciler.touch(Date.now() - 11 * 60_000);
    });
    const alarmWithLastSyncAgo = (ms: number) =>
      runInDurableObject(stub(), async (store: NamespaceStore, state) => {
        const at = String(Date.now() - ms);
        state.storage.sql.exec("UPDATE meta SET value = ? WHERE key = 'synced_at'", at);
        await store.alarm();
      });
    // A poll interval (60 s) has passed, the idle interval has not: no call.
    await alarmWithLastSyncAgo(61_000);
    expect(await emulator.calls()).toEqual([]);
    // The idle interval has passed: one describePods.
    await alarmWithLastSyncAgo(601_000);
    expect((await emulator.calls()).map((c) => c.operation)).toEqual(['describePods']);
  });

  it('a pod deleted in JD’s console: DELETED once describePod confirms it', async () => {
    await twoRunningPods();
    const [jdPod] = await jdPodsNamed('web');
    const events = await watchFromNow();
    await emulator.console(jdPod?.podId as string, 'delete');
    await emulator.settle();
    await emulator.clearCalls();
    await syncByAlarm();
    const deleted = await events.collect((e) => e.type === 'DELETED');
    expect((deleted.at(-1) as WatchEvent).object).toMatchObject({ metadata: { name: 'web' } });
    const ops = (await emulator.calls()).map((c) => c.operation);
    expect(ops).toEqual(['describePods', 'describePod']);
  });
});
