/**
 * @kubernetes/client-node 2.x against podgate (gateway + emulator under wrangler dev): the typed
 * CoreV1Api calls and an informer (list + watch) that follows an image rollout.
 */
import { CoreV1Api, KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJdClient } from '../../src/jdcloud/client';
import { jdPodName } from '../../src/translate/jd-name';
import { type Stack, startStack } from '../support/e2e-stack';
import { eventually, type Kube, kubeconfigFor } from '../support/kube';

let stack: Stack;
let kube: Kube;
let api: CoreV1Api;
let config: KubeConfig;
beforeAll(async () => {
  stack = await startStack();
  // client-node sends the bearer token over http (unlike kubectl), given insecure-skip-tls-verify.
  kube = kubeconfigFor(stack.gateway);
  config = new KubeConfig();
  config.loadFromFile(kube.kubeconfig);
  api = config.makeApiClient(CoreV1Api);
}, 90_000);
afterAll(async () => {
  kube?.cleanup();
  await stack?.stop();
});

const HOUR = 3_600_000;
const pod = (name: string, image = 'nginx:1.25'): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: name } },
  spec: { containers: [{ name: 'app', image }] },
});

async function runningPod(name: string): Promise<V1Pod> {
  let current: V1Pod | undefined;
  await eventually(async () => {
    await stack.advance(HOUR);
    current = await api.readNamespacedPod({ name, namespace: 'default' });
    return current.status?.phase === 'Running';
  }, `${name} to run`);
  return current as V1Pod;
}

describe('@kubernetes/client-node', () => {
  it('creates, reads, lists, replaces, patches and deletes', async () => {
    const created = await api.createNamespacedPod({ namespace: 'default', body: pod('web') });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    const running = await runningPod('web');
    expect(running.status?.podIP).toMatch(/^10\.0\./);

    const list = await api.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['web']);

    running.metadata = { ...running.metadata, labels: { app: 'web', replaced: 'yes' } };
    const replaced = await api.replaceNamespacedPod({
      name: 'web',
      namespace: 'default',
      body: running,
    });
    expect(replaced.metadata?.labels).toEqual({ app: 'web', replaced: 'yes' });

    // client-node's default patch type is application/json-patch+json.
    const patched = await api.patchNamespacedPod({
      name: 'web',
      namespace: 'default',
      body: [{ op: 'add', path: '/metadata/annotations', value: { note: 'patched' } }],
    });
    expect(patched.metadata?.annotations).toEqual({ note: 'patched' });

    const missing = await api
      .readNamespacedPod({ name: 'missing', namespace: 'default' })
      .catch((e) => e);
    expect(missing.code).toBe(404);
    expect(String(missing.body)).toContain('pods \\"missing\\" not found');

    const deleted = await api.deleteNamespacedPod({ name: 'web', namespace: 'default' });
    expect(deleted.metadata?.deletionTimestamp).toBeTruthy();
    await eventually(async () => {
      await stack.advance(HOUR);
      const pods = await api.listNamespacedPod({ namespace: 'default' });
      return pods.items.length === 0;
    }, 'the pod to be gone');
  });

  it('follows an image rollout with an informer (list + watch)', async () => {
    await api.createNamespacedPod({ namespace: 'default', body: pod('inf') });
    await runningPod('inf');
    const informer = makeInformer(config, '/api/v1/namespaces/default/pods', () =>
      api.listNamespacedPod({ namespace: 'default' }),
    );
    const images: string[] = [];
    informer.on('update', (p) => {
      const image = p.status?.containerStatuses?.[0]?.image;
      if (image && p.status?.phase === 'Running') images.push(image);
    });
    await informer.start();
    try {
      expect(informer.get('inf', 'default')?.spec?.containers[0]?.image).toBe('nginx:1.25');
      await api.patchNamespacedPod({
        name: 'inf',
        namespace: 'default',
        body: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' }],
      });
      await eventually(
        async () => {
          await stack.advance(HOUR);
          return images.includes('nginx:1.27');
        },
        () => `the informer to see nginx:1.27 running (saw ${JSON.stringify(images)})`,
        20_000,
      );
      expect(informer.get('inf', 'default')?.spec?.containers[0]?.image).toBe('nginx:1.27');
    } finally {
      await informer.stop();
    }
  });

  it('an informer sees a pod stopped and then deleted in JD Cloud directly, with no read', async () => {
    await api.createNamespacedPod({ namespace: 'default', body: pod('oob') });
    await runningPod('oob');
    // JD Cloud's own view (the emulator's dev credentials), as JD's console or SDK would act.
    const jd = createJdClient({
      endpoint: stack.emulator,
      credentials: { accessKeyId: 'podgate-dev-ak', secretAccessKey: 'podgate-dev-sk' },
    });
    const jdName = jdPodName({ namespace: 'default', name: 'oob' });
    const { pods } = await jd.describePods('cn-north-1', {
      filters: [{ name: 'name', values: [jdName] }],
    });
    const podId = pods.find((p) => p.name === jdName)?.podId as string;
    const informer = makeInformer(config, '/api/v1/namespaces/default/pods', () =>
      api.listNamespacedPod({ namespace: 'default' }),
    );
    const seen: string[] = [];
    informer.on('update', (p) => {
      if (p.metadata?.name !== 'oob') return;
      const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status;
      seen.push(`ready=${ready}`);
    });
    informer.on('delete', (p) => {
      if (p.metadata?.name === 'oob') seen.push('deleted');
    });
    await informer.start();
    try {
      // Nobody reads the pod from here on: only the namespace's sync (every poll while a watch
      // is open) can tell the informer.
      await jd.stopPod('cn-north-1', podId);
      await stack.advance(HOUR);
      await eventually(
        async () => seen.includes('ready=False'),
        () => `the informer to see the pod stop (saw ${JSON.stringify(seen)})`,
      );
      await jd.deletePod('cn-north-1', podId);
      await stack.advance(HOUR);
      await eventually(
        async () => seen.includes('deleted'),
        () => `the informer to see the pod deleted (saw ${JSON.stringify(seen)})`,
      );
    } finally {
      await informer.stop();
    }
  });
});
