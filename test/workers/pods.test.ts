import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pod, PodList } from '../../src/k8s/pod';
import type { Status } from '../../src/k8s/status';
import {
  api,
  apiJson,
  createRunningPod,
  emulator,
  jdOperations,
  podManifest,
  resetGateway,
  runAlarm,
} from '../support/gateway';

const NS = '/api/v1/namespaces/default/pods';

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});

const createRunning = async (name: string, labels?: Record<string, string>): Promise<Pod> =>
  (await createRunningPod(name, labels)).running;

describe('create', () => {
  it('creates a JD pod and answers 201 with the stored Pod', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    const pod = await apiJson('POST', NS, 201, { body: podManifest('web', {}, { app: 'web' }) });
    log.mockRestore();
    const audit = lines.map((l) => JSON.parse(l)).find((l) => l.event === 'audit');
    expect(audit).toMatchObject({
      who: 'dev-admin',
      verb: 'create',
      namespace: 'default',
      name: 'web',
      code: 201,
    });
    // The request id JD Cloud gave the createPods call that made the pod.
    expect(audit.jdRequestId).toMatch(/^[a-z0-9]{32}$/);
    expect(pod.metadata).toMatchObject({
      name: 'web',
      namespace: 'default',
      labels: { app: 'web' },
    });
    expect(pod.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(pod.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(pod.status.phase).toBe('Pending');
    const creates = await emulator.calls('createPods');
    expect(creates).toHaveLength(1);
  });

  it('reaches Running once JD Cloud runs it', async () => {
    const pod = await createRunning('web');
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.podIP).toMatch(/^10\.0\.\d+\.\d+$/);
    expect(pod.status.containerStatuses?.[0]).toMatchObject({
      name: 'app',
      image: 'nginx:1.25',
      ready: true,
    });
  });

  it('refuses a second pod with the same name (409 AlreadyExists)', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('web') });
    const status = await apiJson<Status>('POST', NS, 409, { body: podManifest('web') });
    expect(status).toMatchObject({ reason: 'AlreadyExists', message: 'pods "web" already exists' });
    expect(await emulator.calls('createPods')).toHaveLength(1);
  });

  it('answers 422 naming the field, with no JD call, for an invalid pod', async () => {
    const status = await apiJson<Status>('POST', NS, 422, {
      body: podManifest('web', { containers: [{ name: 'app', image: '' }] }),
    });
    expect(status.reason).toBe('Invalid');
    expect(status.details?.causes?.[0]?.field).toBe('spec.containers[0].image');
    expect(await emulator.calls()).toHaveLength(0);
  });

  it('answers 422 for what JD Cloud cannot honour (nodeSelector)', async () => {
    const status = await apiJson<Status>('POST', NS, 422, {
      body: podManifest('web', { nodeSelector: { disk: 'ssd' } }),
    });
    expect(status.details?.causes?.[0]?.field).toBe('spec.nodeSelector');
    expect(await emulator.calls('createPods')).toHaveLength(0);
  });

  it('validates fully without any JD call on dryRun=All', async () => {
    const pod = await apiJson('POST', `${NS}?dryRun=All`, 201, { body: podManifest('dry') });
    expect(pod.metadata.name).toBe('dry');
    expect(await emulator.calls()).toHaveLength(0);
    await apiJson<Status>('GET', `${NS}/dry`, 404);
  });

  it('answers 404 for an unknown namespace', async () => {
    const status = await apiJson<Status>('POST', '/api/v1/namespaces/nope/pods', 404, {
      body: podManifest('web'),
    });
    expect(status.message).toBe('namespaces "nope" not found');
  });
});

describe('read and list', () => {
  it('reads a pod with exactly one JD call', async () => {
    await createRunning('web');
    await emulator.clearCalls();
    await apiJson('GET', `${NS}/web`, 200);
    expect(await emulator.calls()).toHaveLength(1);
  });

  it('answers 404 pods "x" not found', async () => {
    const status = await apiJson<Status>('GET', `${NS}/missing`, 404);
    expect(status).toMatchObject({
      reason: 'NotFound',
      message: 'pods "missing" not found',
      code: 404,
    });
  });

  it('lists with label and field selectors', async () => {
    await createRunning('a', { app: 'web', tier: 'front' });
    await createRunning('b', { app: 'web', tier: 'back' });
    await createRunning('c', { app: 'db' });
    const web = await apiJson<PodList>(
      'GET',
      `${NS}?labelSelector=${encodeURIComponent('app=web,tier notin (back)')}`,
      200,
    );
    expect(web.items.map((p) => p.metadata.name)).toEqual(['a']);
    const exists = await apiJson<PodList>('GET', `${NS}?labelSelector=tier`, 200);
    expect(exists.items.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    const named = await apiJson<PodList>('GET', `${NS}?fieldSelector=metadata.name%3Dc`, 200);
    expect(named.items.map((p) => p.metadata.name)).toEqual(['c']);
    const running = await apiJson<PodList>(
      'GET',
      `${NS}?fieldSelector=status.phase%3DRunning`,
      200,
    );
    expect(running.items).toHaveLength(3);
  });

  it('refuses an unsupported field label with 400', async () => {
    const status = await apiJson<Status>('GET', `${NS}?fieldSelector=spec.image%3Dx`, 400);
    expect(status.message).toBe('field label not supported: spec.image');
  });

  it('pages with limit and continue', async () => {
    for (const name of ['p1', 'p2', 'p3'])
      await apiJson('POST', NS, 201, { body: podManifest(name) });
    const first = await apiJson<PodList>('GET', `${NS}?limit=2`, 200);
    expect(first.items.map((p) => p.metadata.name)).toEqual(['p1', 'p2']);
    expect(first.metadata.remainingItemCount).toBe(1);
    const second = await apiJson<PodList>(
      'GET',
      `${NS}?limit=2&continue=${first.metadata.continue}`,
      200,
    );
    expect(second.items.map((p) => p.metadata.name)).toEqual(['p3']);
    expect(second.metadata.continue).toBeUndefined();
  });

  it('lists every namespace at /api/v1/pods', async () => {
    await apiJson('POST', NS, 201, { body: podManifest('here') });
    await apiJson('POST', '/api/v1/namespaces/staging/pods', 201, { body: podManifest('there') });
    const all = await apiJson<PodList>('GET', '/api/v1/pods', 200);
    expect(all.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'default/here',
      'staging/there',
    ]);
  });

  it('costs ceil(N/100) JD calls for a list of N pods', async () => {
    for (let i = 0; i < 3; i++) await apiJson('POST', NS, 201, { body: podManifest(`n${i}`) });
    await emulator.clearCalls();
    await apiJson<PodList>('GET', NS, 200);
    expect(await emulator.calls()).toHaveLength(1);
  });
});

describe('delete', () => {
  it('returns the pod with deletionTimestamp, then 404 once JD Cloud has removed it', async () => {
    await createRunning('web');
    const deleting = await apiJson('DELETE', `${NS}/web`, 200, {
      body: { propagationPolicy: 'Background' },
    });
    expect(deleting.metadata.deletionTimestamp).toBeTruthy();
    expect(await emulator.calls('deletePod')).toHaveLength(1);
    await emulator.settle();
    await runAlarm('default');
    await apiJson<Status>('GET', `${NS}/web`, 404);
    const list = await apiJson<PodList>('GET', NS, 200);
    expect(list.items).toHaveLength(0);
  });

  it('answers 404 for a pod that does not exist', async () => {
    await apiJson<Status>('DELETE', `${NS}/ghost`, 404);
  });
});

describe('stop, start and logs', () => {
  it('stops and starts a pod', async () => {
    await createRunning('web');
    await apiJson('POST', `${NS}/web/stop`, 200);
    await emulator.settle();
    const stopped = await apiJson('GET', `${NS}/web`, 200);
    // A pod that has run never reads Pending again: stopped, it stays Running but not ready,
    // its reason and its containers' waiting state saying Stopped.
    expect(stopped.status).toMatchObject({ phase: 'Running', reason: 'Stopped' });
    expect(stopped.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(stopped.status.containerStatuses?.[0]?.state?.waiting?.reason).toBe('Stopped');
    await apiJson('POST', `${NS}/web/start`, 200);
    await emulator.settle();
    const running = await apiJson('GET', `${NS}/web`, 200);
    expect(running.status.phase).toBe('Running');
  });

  it('refuses to start a running pod with 409', async () => {
    await createRunning('web');
    const status = await apiJson<Status>('POST', `${NS}/web/start`, 409);
    expect(status.reason).toBe('Conflict');
  });

  it('serves logs as text/plain, defaulting the only container', async () => {
    await createRunning('web');
    await emulator.advance(10_000); // ten seconds of output
    await emulator.clearCalls();
    const res = await api('GET', `${NS}/web/log?tailLines=2`);
    expect(res.status).toBe(200);
    // The container comes from the stored spec: one JD call, the log read itself.
    expect(await jdOperations()).toEqual(['getContainerLogs']);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const lines = (await res.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/nginx:1\.25 app: line 11$/);
  });

  it('names the choices when a multi-container pod needs a container', async () => {
    await apiJson('POST', NS, 201, {
      body: podManifest('two', {
        containers: [
          { name: 'a', image: 'nginx' },
          { name: 'b', image: 'redis' },
        ],
      }),
    });
    const status = await apiJson<Status>('GET', `${NS}/two/log`, 400);
    expect(status.message).toBe(
      'a container name must be specified for pod two, choose one of: [a b]',
    );
  });
});
