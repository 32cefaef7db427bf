import { describe, expect, it } from 'vitest';
import { JdError } from './envelope';
import {
  beginDelete,
  beginRebuild,
  beginStart,
  beginStop,
  createPodRecord,
  type PodRecord,
  resize,
  settle,
} from './lifecycle';
import type { PodSpec } from './pod-spec-schema';

const spec: PodSpec = {
  name: 'web',
  instanceType: 'g.n2.medium',
  az: 'cn-north-1a',
  containers: [
    { name: 'app', image: 'nginx:1', systemDisk: {} },
    { name: 'side', image: 'busybox:1', systemDisk: {} },
  ],
  primaryNetworkInterface: { networkInterface: { subnetId: 'subnet-a' } },
};

const fresh = (): PodRecord =>
  createPodRecord(
    {
      podId: 'pod-1',
      regionId: 'cn-north-1',
      name: 'web',
      spec,
      privateIpAddress: '10.0.0.4',
      vpcId: 'vpc-1',
      networkInterfaceId: 'port-1',
    },
    0,
    100,
  );

/** Settles and fails the test if the pod is gone. */
const at = (pod: PodRecord, now: number): PodRecord => {
  const settled = settle(pod, now);
  if (!settled) throw new Error('pod is gone');
  return settled;
};

const preconditionFailed = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof JdError && err.status === 'FAILED_PRECONDITION';
  }
  return false;
};

describe('pod state machine', () => {
  it('is pending until the transition ends, then running with containers started', () => {
    const pod = fresh();
    expect(at(pod, 99).phase).toBe('pending');
    const running = at(pod, 100);
    expect(running).toMatchObject({ phase: 'running', startTime: 100, settlesAt: null });
    expect(running.containers.map((c) => c.startedAt)).toEqual([100, 100]);
    expect(at(running, 10_000)).toBe(running);
  });

  it('defaults the hostname to the pod id', () => {
    expect(fresh().spec.hostname).toBe('pod-1');
  });

  it('stops, starts with restart counts + 1, and remembers the previous run', () => {
    const stopped = at(beginStop(at(fresh(), 100), 200, 50), 250);
    expect(stopped.phase).toBe('stopped');
    expect(stopped.containers[0]).toMatchObject({ startedAt: 100, finishedAt: 250 });
    const restarted = at(beginStart(stopped, 300, 50), 350);
    expect(restarted.phase).toBe('running');
    expect(restarted.containers[0]).toMatchObject({
      restartCount: 1,
      startedAt: 350,
      finishedAt: undefined,
      previousRun: { startedAt: 100, finishedAt: 250 },
    });
  });

  it('rebuilds only a stopped pod, keeping restart counts and untouched containers', () => {
    const running = at(fresh(), 100);
    expect(
      preconditionFailed(() => beginRebuild(running, [{ name: 'app', image: 'nginx:2' }], 100, 50)),
    ).toBe(true);
    const cycled = at(
      beginStop(at(beginStart(at(beginStop(running, 100, 10), 110), 120, 10), 130), 140, 10),
      150,
    );
    const rebuilt = beginRebuild(cycled, [{ name: 'app', image: 'nginx:2' }], 200, 50);
    expect(rebuilt.phase).toBe('rebuilding');
    const done = at(rebuilt, 250);
    expect(done.phase).toBe('stopped');
    expect(done.containers.map((c) => [c.spec.image, c.restartCount])).toEqual([
      ['nginx:2', 1],
      ['busybox:1', 1],
    ]);
    expect(done.containers[0]?.spec.systemDisk).toEqual({});
  });

  it('refuses to rebuild a container the pod does not have', () => {
    const stopped = at(beginStop(at(fresh(), 100), 100, 10), 110);
    expect(() => beginRebuild(stopped, [{ name: 'ghost', image: 'x' }], 120, 10)).toThrow(
      /containers\[0\]\.name/,
    );
  });

  it('refuses wrong-state calls with FAILED_PRECONDITION', () => {
    const pending = fresh();
    expect(preconditionFailed(() => beginStop(pending, 0, 1))).toBe(true);
    expect(preconditionFailed(() => beginStart(at(pending, 100), 100, 1))).toBe(true);
    expect(preconditionFailed(() => beginDelete(pending, 0, 1))).toBe(true);
    expect(preconditionFailed(() => resize(at(pending, 100), 'g.n2.large'))).toBe(true);
  });

  it('deletes: deleting until the transition ends, then gone', () => {
    const deleting = beginDelete(at(fresh(), 100), 100, 50);
    expect(settle(deleting, 149)?.phase).toBe('deleting');
    expect(settle(deleting, 150)).toBeNull();
  });

  it('resizes a stopped pod to a different type only', () => {
    const stopped = at(beginStop(at(fresh(), 100), 100, 10), 110);
    expect(resize(stopped, 'g.n2.large').spec.instanceType).toBe('g.n2.large');
    expect(() => resize(stopped, 'g.n2.medium')).toThrow(/already/);
  });
});
