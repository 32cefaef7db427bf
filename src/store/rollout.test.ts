import { describe, expect, it } from 'vitest';
import type { Pod } from '../k8s/pod';
import {
  afterAction,
  afterPermanentFailure,
  begun,
  imagesChanged,
  imagesOf,
  newRollout,
  nextAction,
  rolloutOverlay,
  withImages,
} from './rollout';

const NEW = { app: 'nginx:1.26' };
const OLD = { app: 'nginx:1.25' };

describe('nextAction', () => {
  it('walks a running pod through stop → rebuild → start → done', () => {
    expect(nextAction(NEW, 'running', OLD, true).kind).toBe('stop');
    expect(nextAction(NEW, 'stopping', OLD, true).kind).toBe('wait');
    expect(nextAction(NEW, 'stopped', OLD, true).kind).toBe('rebuild');
    expect(nextAction(NEW, 'rebuilding', NEW, true).kind).toBe('wait');
    expect(nextAction(NEW, 'stopped', NEW, true).kind).toBe('start');
    expect(nextAction(NEW, 'starting', NEW, true).kind).toBe('wait');
    expect(nextAction(NEW, 'running', NEW, true).kind).toBe('done');
  });

  it('leaves a pod that was stopped stopped once rebuilt', () => {
    expect(nextAction(NEW, 'stopped', OLD, false).kind).toBe('rebuild');
    expect(nextAction(NEW, 'stopped', NEW, false).kind).toBe('done');
  });

  it('never rebuilds a running pod, and learns from JD whether a lost call happened', () => {
    // stopPod answered nothing but JD is stopping: no second stopPod.
    expect(nextAction(NEW, 'stopping', OLD, true).kind).toBe('wait');
    // rebuildPod answered nothing but JD has the new images: no second rebuild.
    expect(nextAction(NEW, 'stopped', NEW, true).kind).toBe('start');
    for (const phase of ['running', 'pending', 'starting']) {
      expect(nextAction(NEW, phase, OLD, true).kind).not.toBe('rebuild');
    }
  });

  it('refuses a pod in error, and stops at deleting', () => {
    expect(nextAction(NEW, 'error', OLD, true)).toMatchObject({ kind: 'fail' });
    expect(nextAction(NEW, 'deleting', OLD, true).kind).toBe('done');
  });
});

describe('the journal', () => {
  it('records where the pod started, once', () => {
    const first = begun(newRollout(), 'running', OLD);
    expect(first).toMatchObject({ restart: true, previous: OLD });
    expect(begun(first, 'stopped', NEW)).toBe(first);
    expect(begun(newRollout(), 'stopped', OLD).restart).toBe(false);
  });

  it('moves the stage with each action and clears the retry state', () => {
    const retrying = { ...begun(newRollout(), 'running', OLD), attempts: 2, lastError: 'boom' };
    const next = afterAction(retrying, { kind: 'stop' });
    expect(next).toMatchObject({ stage: 'stopping', attempts: 0 });
    expect(next.lastError).toBeUndefined();
    expect(afterAction(retrying, { kind: 'wait' })).toBe(retrying);
  });

  it('turns the first permanent failure into a restore, and ends on the second', () => {
    const started = begun(newRollout(), 'running', OLD);
    const restoring = afterPermanentFailure(started, 'bad image');
    expect(restoring).toMatchObject({ failed: 'bad image', stage: 'restoring' });
    expect(afterPermanentFailure(restoring as typeof started, 'again')).toBeUndefined();
  });

  it('shows progress as a condition and status message', () => {
    const overlay = rolloutOverlay({ ...newRollout(), stage: 'rebuilding' }, NEW);
    expect(overlay).toMatchObject({
      reason: 'RollingOut',
      message: 'rebuilding the pod with app=nginx:1.26',
      condition: { type: 'ImageRollout', status: 'False', reason: 'RollingOut' },
    });
  });
});

describe('images', () => {
  const pod = {
    metadata: { name: 'web' },
    spec: {
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [{ name: 'app', image: 'nginx:1.25', command: ['nginx'] }],
    },
    status: {},
  } as Pod;

  it('reads init and app containers, and detects a change', () => {
    expect(imagesOf(pod.spec)).toEqual({ init: 'busybox', app: 'nginx:1.25' });
    expect(imagesChanged(pod.spec, pod.spec)).toBe(false);
    expect(imagesChanged(pod.spec, withImages(pod, NEW).spec)).toBe(true);
  });

  it('puts images back without touching other fields', () => {
    const back = withImages(pod, { app: 'nginx:1.24' });
    expect(back.spec.containers[0]).toEqual({
      name: 'app',
      image: 'nginx:1.24',
      command: ['nginx'],
    });
    expect(back.spec.initContainers?.[0]?.image).toBe('busybox');
  });
});
