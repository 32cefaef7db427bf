/**
 * The durable image rollout against the JD Cloud emulator. The image PATCH only journals the
 * rollout and answers with the stored change (reason RollingOut, the queued message): it makes
 * no JD call. Every step, the first one (describePod, stopPod) included, runs from the namespace
 * object's alarm. Time moves only here: each `next()` completes the emulator's pending transition
 * and runs that alarm once, so the JD call log of every rollout is exact.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/k8s/pod';
import {
  apiJson,
  createRunningPod,
  emulator,
  evictNamespace,
  jdOperations,
  resetGateway,
  runAlarm,
} from '../support/gateway';
import { eventTypesAfter } from '../support/reliability';

const NS = '/api/v1/namespaces/default/pods';
const JSON_PATCH = 'application/json-patch+json';

beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
});

/** A running pod `web` (nginx:1.25), with the call log cleared. */
async function runningPod(): Promise<Pod> {
  const pod = (await createRunningPod()).running;
  expect(pod.status.phase).toBe('Running');
  await emulator.clearCalls();
  return pod;
}

const setImage = (image: string) =>
  apiJson('PATCH', `${NS}/web`, 200, {
    contentType: JSON_PATCH,
    body: [{ op: 'replace', path: '/spec/containers/0/image', value: image }],
  });

/** Completes JD Cloud's current transition and runs the rollout's next step. */
async function next(): Promise<void> {
  await emulator.settle();
  expect(await runAlarm('default')).toBe(true);
}

/** Runs steps until the journal is empty (at most `max`), returning how many ran. */
async function finish(max = 8): Promise<number> {
  for (let i = 0; i < max; i++) {
    await emulator.settle();
    if (!(await runAlarm('default'))) return i;
  }
  throw new Error(`the rollout did not finish in ${max} steps`);
}

/** Reads `web` back: Running, its container on `image`. */
async function expectRunningOn(image: string): Promise<Pod> {
  const pod = await apiJson('GET', `${NS}/web`, 200);
  expect(pod.status.containerStatuses?.[0]?.image).toBe(image);
  expect(pod.status.phase).toBe('Running');
  return pod;
}

const rolloutCondition = (pod: Pod) =>
  pod.status.conditions?.find((c) => c.type === 'ImageRollout');

/**
 * The answer to an image PATCH: the stored change with the queued rollout's reason, message and
 * condition, and no JD call made yet (the first step is the alarm's).
 */
async function expectQueued(pod: Pod, image: string): Promise<void> {
  const message = `rolling out app=${image}`;
  expect(pod.spec.containers[0]?.image).toBe(image);
  expect(pod.status.reason).toBe('RollingOut');
  expect(pod.status.message).toBe(message);
  expect(rolloutCondition(pod)).toMatchObject({ status: 'False', reason: 'RollingOut', message });
  expect(await jdOperations()).toEqual([]);
}

/** A running pod's whole rollout: stop, rebuild, start, and one describePod before each. */
const FULL_ROLLOUT = [
  'describePod',
  'stopPod',
  'describePod',
  'rebuildPod',
  'describePod',
  'startPod',
  'describePod',
];

describe('rollout of a running pod', () => {
  it('stops, rebuilds and starts with exactly seven JD calls, then shows the new generation', async () => {
    const before = await runningPod();
    const patched = await setImage('nginx:1.26');
    // The new spec and the rollout's reason are one version: one MODIFIED event.
    expect(await eventTypesAfter('web', Number(before.metadata.resourceVersion))).toEqual([
      'MODIFIED',
    ]);
    expect(patched.spec.containers[0]?.image).toBe('nginx:1.26');
    expect(patched.status.containerStatuses?.[0]?.image).toBe('nginx:1.25');
    expect(patched.metadata.generation).toBe(2);
    await expectQueued(patched, 'nginx:1.26');

    await next();
    expect(await jdOperations()).toEqual(['describePod', 'stopPod']);
    const stopping = await apiJson('GET', `${NS}/web`, 200);
    expect(stopping.status.reason).toBe('RollingOut');
    expect(stopping.status.message).toBe('stopping the pod to roll out app=nginx:1.26');
    expect(rolloutCondition(stopping)).toMatchObject({
      status: 'False',
      reason: 'RollingOut',
      message: 'stopping the pod to roll out app=nginx:1.26',
    });

    await next();
    const rebuilding = await apiJson('GET', `${NS}/web`, 200);
    expect(rebuilding.status.message).toBe('rebuilding the pod with app=nginx:1.26');
    await emulator.clearCalls();
    await next();
    await next();
    expect(await runAlarm('default')).toBe(false);
    expect(await jdOperations()).toEqual(['describePod', 'startPod', 'describePod']);

    const done = await apiJson('GET', `${NS}/web`, 200);
    expect(done.status.phase).toBe('Running');
    expect(done.status.reason).toBeUndefined();
    expect(done.status.containerStatuses?.[0]?.image).toBe('nginx:1.26');
    expect(done.status.observedGeneration).toBe(2);
    expect(rolloutCondition(done)).toMatchObject({
      status: 'True',
      reason: 'RolledOut',
      message: 'running app=nginx:1.26',
    });
  });

  it('counts the calls of a whole rollout', async () => {
    await runningPod();
    await expectQueued(await setImage('nginx:1.26'), 'nginx:1.26');
    expect(await finish()).toBe(4);
    expect(await jdOperations()).toEqual(FULL_ROLLOUT);
  });

  it('resumes after the Durable Object is evicted mid-rollout', async () => {
    await runningPod();
    await setImage('nginx:1.26');
    await next(); // stopping
    await next(); // rebuilding
    await evictNamespace('default');
    expect(await finish()).toBe(2);
    expect(await jdOperations()).toEqual(FULL_ROLLOUT);
    await expectRunningOn('nginx:1.26');
  });
});

describe('a rollout evicted before its first step', () => {
  it('is journaled by the PATCH: the alarm carries it out after an eviction', async () => {
    await runningPod();
    await expectQueued(await setImage('nginx:1.26'), 'nginx:1.26');
    await evictNamespace('default');
    expect(await finish()).toBe(4);
    expect(await jdOperations()).toEqual(FULL_ROLLOUT);
    const pod = await expectRunningOn('nginx:1.26');
    expect(rolloutCondition(pod)).toMatchObject({ status: 'True', reason: 'RolledOut' });
  });
});

describe('a stopped pod', () => {
  it('is rebuilt and left stopped: describe, rebuild, describe', async () => {
    await runningPod();
    await apiJson('POST', `${NS}/web/stop`, 200);
    await emulator.settle();
    await emulator.clearCalls();
    await expectQueued(await setImage('nginx:1.26'), 'nginx:1.26');
    expect(await finish()).toBe(2);
    expect(await jdOperations()).toEqual(['describePod', 'rebuildPod', 'describePod']);
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(pod.status.reason).toBe('Stopped');
    expect(pod.status.containerStatuses?.[0]?.image).toBe('nginx:1.26');
    expect(pod.status.observedGeneration).toBe(2);
  });
});

describe('latest image wins', () => {
  it('two quick PATCHes end on the second image with one rebuild', async () => {
    await runningPod();
    await expectQueued(await setImage('nginx:1.26'), 'nginx:1.26');
    const second = await setImage('nginx:1.27');
    expect(second.metadata.generation).toBe(3);
    await expectQueued(second, 'nginx:1.27');
    expect(await finish()).toBe(4);
    expect(await jdOperations()).toEqual(FULL_ROLLOUT);
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(pod.status.containerStatuses?.[0]?.image).toBe('nginx:1.27');
    expect(pod.status.observedGeneration).toBe(3);
  });

  it('a newer image after the rebuild costs exactly one more rebuild', async () => {
    await runningPod();
    await setImage('nginx:1.26');
    await next(); // stopPod
    await next(); // rebuildPod with 1.26 sent
    expect(await jdOperations()).toEqual(['describePod', 'stopPod', 'describePod', 'rebuildPod']);
    await setImage('nginx:1.27');
    expect(await finish()).toBe(3);
    const ops = await jdOperations();
    expect(ops.filter((op) => op === 'rebuildPod')).toHaveLength(2);
    expect(ops).toEqual([
      'describePod',
      'stopPod',
      'describePod',
      'rebuildPod',
      'describePod',
      'rebuildPod',
      'describePod',
      'startPod',
      'describePod',
    ]);
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(pod.status.containerStatuses?.[0]?.image).toBe('nginx:1.27');
  });

  it('retrying the same PATCH changes nothing and never rebuilds twice', async () => {
    await runningPod();
    const first = await setImage('nginx:1.26');
    const retried = await setImage('nginx:1.26');
    expect(retried.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(retried.metadata.generation).toBe(2);
    expect(await jdOperations()).toEqual([]);
    expect(await finish()).toBe(4);
    await setImage('nginx:1.26');
    expect(await runAlarm('default')).toBe(false);
    expect(await jdOperations()).toEqual(FULL_ROLLOUT);
  });
});

describe('faults at each step', () => {
  const retried = (op: string) => {
    const i = FULL_ROLLOUT.indexOf(op);
    return [...FULL_ROLLOUT.slice(0, i + 1), 'describePod', ...FULL_ROLLOUT.slice(i)];
  };

  for (const op of ['stopPod', 'rebuildPod', 'startPod']) {
    it(`retries a 503 from ${op} after re-describing the pod`, async () => {
      await runningPod();
      await emulator.fault(op, { status: 503 });
      await expectQueued(await setImage('nginx:1.26'), 'nginx:1.26');
      expect(await finish()).toBe(5);
      expect(await jdOperations()).toEqual(retried(op));
      const failed = await emulator.calls(op);
      expect(failed.map((c) => c.status)).toEqual([503, 200]);
      await expectRunningOn('nginx:1.26');
    });
  }

  it('shows the transient error while it retries', async () => {
    await runningPod();
    await emulator.fault('stopPod', { status: 429 });
    await expectQueued(await setImage('nginx:1.26'), 'nginx:1.26');
    await next();
    expect(await jdOperations()).toEqual(['describePod', 'stopPod']);
    expect((await emulator.calls('stopPod')).map((c) => c.status)).toEqual([429]);
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(pod.status.reason).toBe('RollingOut');
    expect(pod.status.message).toMatch(
      /^rolling out app=nginx:1\.26; retrying after: JD Cloud rate limit reached/,
    );
    expect(rolloutCondition(pod)).toMatchObject({
      status: 'False',
      reason: 'RollingOut',
      message: pod.status.message,
    });
  });

  it('retries a lost connection to stopPod', async () => {
    await runningPod();
    await emulator.fault('stopPod', { drop: true });
    await expectQueued(await setImage('nginx:1.26'), 'nginx:1.26');
    expect(await finish()).toBe(5);
    expect(await jdOperations()).toEqual(retried('stopPod'));
  });

  it('absorbs a describePod failure in the client retry', async () => {
    await runningPod();
    await emulator.fault('describePod', { status: 503 });
    await expectQueued(await setImage('nginx:1.26'), 'nginx:1.26');
    expect(await finish()).toBe(4);
    expect(await jdOperations()).toEqual(['describePod', ...FULL_ROLLOUT]);
  });
});

describe('permanent failure', () => {
  it('restarts the pod on its previous image and says the rollout failed', async () => {
    await runningPod();
    await emulator.fault('rebuildPod', {
      status: 400,
      errorStatus: 'INVALID_ARGUMENT',
      message: 'image nginx:1.26 not found',
    });
    await expectQueued(await setImage('nginx:1.26'), 'nginx:1.26');
    expect(await finish()).toBe(4);
    expect(await jdOperations()).toEqual([
      'describePod',
      'stopPod',
      'describePod',
      'rebuildPod',
      'describePod',
      'startPod',
      'describePod',
    ]);
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(pod.status.phase).toBe('Running');
    expect(pod.spec.containers[0]?.image).toBe('nginx:1.26');
    expect(pod.status.containerStatuses?.[0]?.image).toBe('nginx:1.25');
    expect(pod.status.observedGeneration).toBeUndefined();
    const condition = rolloutCondition(pod);
    expect(condition).toMatchObject({ status: 'False', reason: 'RolloutFailed' });
    expect(condition?.message).toMatch(/image nginx:1\.26 not found.*back on app=nginx:1\.25$/);
  });

  it('leaves a pod that cannot be restarted stopped, with its status saying so', async () => {
    await runningPod();
    await emulator.fault('rebuildPod', { status: 400, errorStatus: 'INVALID_ARGUMENT' });
    await emulator.fault('startPod', { status: 400, errorStatus: 'INVALID_ARGUMENT' });
    await expectQueued(await setImage('nginx:1.26'), 'nginx:1.26');
    expect(await finish()).toBe(3);
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(pod.status.reason).toBe('Stopped');
    const condition = rolloutCondition(pod);
    expect(condition).toMatchObject({ status: 'False', reason: 'RolloutFailed' });
    expect(condition?.message).toMatch(/restoring the previous images failed too/);
  });

  it('a newer image after a failed rollout rolls out again', async () => {
    await runningPod();
    await emulator.fault('rebuildPod', { status: 400, errorStatus: 'INVALID_ARGUMENT' });
    await setImage('nginx:bad');
    await finish();
    await emulator.clearCalls();
    await expectQueued(await setImage('nginx:1.26'), 'nginx:1.26');
    expect(await finish()).toBe(4);
    expect(await jdOperations()).toEqual(FULL_ROLLOUT);
    const pod = await apiJson('GET', `${NS}/web`, 200);
    expect(rolloutCondition(pod)).toMatchObject({ status: 'True', reason: 'RolledOut' });
  });
});

describe('changes that need no rollout', () => {
  it('labels and annotations make no JD call', async () => {
    await runningPod();
    const pod = await apiJson('PATCH', `${NS}/web`, 200, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { tier: 'front' }, annotations: { note: 'x' } } },
    });
    expect(pod.metadata.labels).toEqual({ tier: 'front' });
    expect(pod.metadata.generation).toBe(1);
    expect(await jdOperations()).toEqual([]);
  });
});
