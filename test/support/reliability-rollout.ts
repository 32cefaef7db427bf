/**
 * The image rollout as the reliability suite drives it: a running pod, the image PATCH, steps
 * run one at a time with a truthful read between them, and the checks of a rollout that
 * finished exactly once.
 */
import { expect } from 'vitest';
import type { Pod } from '../../src/k8s/pod';
import { api, apiJson, emulator } from './gateway';
import { answer, driveJournal, jdPodsNamed, journal, type VersionTrail } from './reliability';

const NS = '/api/v1/namespaces/default/pods';
const LABELS = { app: 'web' };
const ANNOTATIONS = { 'example.com/owner': 'team-a' };

export async function runningPod(trail: VersionTrail): Promise<void> {
  const manifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: LABELS, annotations: ANNOTATIONS },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
  };
  trail.see(await apiJson('POST', NS, 201, { body: manifest }));
  await emulator.settle();
  trail.see(await apiJson('GET', `${NS}/web`, 200));
  await driveJournal();
  await emulator.clearCalls();
}

const ready = (pod: Pod) => pod.status.conditions?.find((c) => c.type === 'Ready')?.status;

/** The pod as a client reads it, checked against JD Cloud's phase. */
export async function expectTruthfulRead(trail: VersionTrail): Promise<void> {
  const { code, body } = await answer(await api('GET', `${NS}/web`));
  if (code !== 200) return; // a read during the outage: a Status, checked by answer()
  trail.see(body);
  const pod = body as Pod;
  expect(pod.metadata.labels).toEqual(LABELS);
  expect(pod.metadata.annotations).toMatchObject(ANNOTATIONS);
  const phase = (await jdPodsNamed('web'))[0]?.podStatus?.phase;
  if (phase !== 'running') {
    expect(ready(pod), `JD phase ${phase}`).not.toBe('True');
    expect(pod.status.reason, `JD phase ${phase}`).toBeTruthy();
  }
}

/** Succeeded JD calls of `operation` (an answer lost to a timeout still counts: JD did it). */
const succeeded = async (operation: string) =>
  (await emulator.calls(operation)).filter((c) => c.status === 200).length;

/** Runs the rollout to its end, one step per round, reading the pod between steps. */
export async function rollToEnd(trail: VersionTrail, between?: () => Promise<void>) {
  for (let round = 0; round < 16 && (await journal()).length; round++) {
    await emulator.settle();
    await between?.();
    await driveJournal('default', 1);
    await expectTruthfulRead(trail);
  }
  expect(await journal()).toEqual([]);
}

export async function expectRolledOutOnce(trail: VersionTrail): Promise<void> {
  await emulator.settle();
  const pod = await apiJson('GET', `${NS}/web`, 200);
  trail.see(pod);
  expect(pod.status.phase).toBe('Running');
  expect(ready(pod)).toBe('True');
  expect(pod.status.containerStatuses?.[0]?.image).toBe('nginx:1.26');
  expect(pod.status.conditions?.find((c) => c.type === 'ImageRollout')).toMatchObject({
    status: 'True',
    reason: 'RolledOut',
  });
  expect(pod.metadata.labels).toEqual(LABELS);
  expect(pod.metadata.annotations).toMatchObject(ANNOTATIONS);
  const jdPods = await jdPodsNamed('web');
  expect(jdPods).toHaveLength(1);
  expect(jdPods[0]?.containers?.[0]?.image).toBe('nginx:1.26');
  for (const op of ['stopPod', 'rebuildPod', 'startPod']) {
    expect(await succeeded(op), op).toBe(1);
  }
}

export async function patchImage(trail: VersionTrail): Promise<void> {
  const { code, body } = await answer(
    await api('PATCH', `${NS}/web`, {
      contentType: 'application/json-patch+json',
      body: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.26' }],
    }),
  );
  trail.see(body);
  expect(code, JSON.stringify(body)).toBe(200);
  const pod = body as Pod;
  expect(pod.spec.containers[0]?.image).toBe('nginx:1.26');
  expect(pod.status.reason).toBe('RollingOut');
}
