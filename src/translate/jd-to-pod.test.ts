import { describe, expect, it } from 'vitest';
import type { JdContainer, JdPod } from '../jdcloud/models';
import { identityTags } from './jd-name';
import { phaseAfter, podFromJd, statusFromJd } from './jd-to-pod';

const CREATED = '2024-01-02T03:04:05Z';
const running = (ready = true): JdContainer['containerStatus'] => ({
  ready,
  restartCount: 1,
  state: { running: { startedAt: '2024-01-02T03:05:00Z' } },
});
const exited = (exitCode: number): JdContainer['containerStatus'] => ({
  ready: false,
  restartCount: 0,
  state: {
    terminated: { exitCode, finishedAt: '2024-01-02T04:00:00Z', startedAt: '2024-01-02T03:05:00Z' },
  },
});

function jdPod(
  phase: string | undefined,
  containerStatus?: JdContainer['containerStatus'],
  extra: Partial<JdPod> = {},
): JdPod {
  return {
    podId: 'pod-abc123',
    name: 'pg.default.web',
    az: 'cn-north-1a',
    instanceType: 'g.n2.medium',
    restartPolicy: 'Always',
    privateIpAddress: '10.0.0.5',
    createTime: CREATED,
    containers: [
      {
        name: 'app',
        image: 'nginx:1.25',
        resources: {
          requests: { cpu: '500m', memoryMB: '512Mi' },
          limits: { cpu: '500m', memoryMB: '512Mi' },
        },
        ...(containerStatus && { containerStatus }),
      },
    ],
    podStatus: { ...(phase && { phase }), podIP: '10.0.0.5' },
    ...extra,
  };
}

const summary = (jd: JdPod) => {
  const s = statusFromJd(jd);
  const c = s.containerStatuses?.[0];
  return {
    phase: s.phase,
    reason: s.reason,
    state: c && Object.keys(c.state ?? {})[0],
    waiting: c?.state?.waiting?.reason,
    ready: c?.ready,
    podReady: s.conditions?.find((x) => x.type === 'Ready')?.status,
  };
};

describe('statusFromJd phase table', () => {
  it.each([
    [
      'pending',
      undefined,
      {
        phase: 'Pending',
        reason: undefined,
        state: 'waiting',
        waiting: 'ContainerCreating',
        ready: false,
        podReady: 'False',
      },
    ],
    [
      'starting',
      exited(143),
      {
        phase: 'Pending',
        reason: 'Starting',
        state: 'waiting',
        waiting: 'ContainerCreating',
        ready: false,
        podReady: 'False',
      },
    ],
    [
      'running',
      running(),
      {
        phase: 'Running',
        reason: undefined,
        state: 'running',
        waiting: undefined,
        ready: true,
        podReady: 'True',
      },
    ],
    [
      'running',
      running(false),
      {
        phase: 'Running',
        reason: undefined,
        state: 'running',
        waiting: undefined,
        ready: false,
        podReady: 'False',
      },
    ],
    [
      'stopping',
      running(),
      {
        phase: 'Running',
        reason: 'Stopping',
        state: 'running',
        waiting: undefined,
        ready: false,
        podReady: 'False',
      },
    ],
    [
      'stopped',
      exited(143),
      {
        phase: 'Pending',
        reason: 'Stopped',
        state: 'waiting',
        waiting: 'Stopped',
        ready: false,
        podReady: 'False',
      },
    ],
    [
      'rebuilding',
      exited(0),
      {
        phase: 'Pending',
        reason: 'Rebuilding',
        state: 'waiting',
        waiting: 'Rebuilding',
        ready: false,
        podReady: 'False',
      },
    ],
    [
      'resizing',
      undefined,
      {
        phase: 'Pending',
        reason: 'Resizing',
        state: 'waiting',
        waiting: 'Resizing',
        ready: false,
        podReady: 'False',
      },
    ],
    [
      'deleting',
      running(),
      {
        phase: 'Running',
        reason: 'Terminating',
        state: 'running',
        waiting: undefined,
        ready: false,
        podReady: 'False',
      },
    ],
    [
      'error',
      undefined,
      {
        phase: 'Failed',
        reason: 'Error',
        state: 'waiting',
        waiting: 'Error',
        ready: false,
        podReady: 'False',
      },
    ],
    [
      'error',
      exited(1),
      {
        phase: 'Failed',
        reason: 'Error',
        state: 'terminated',
        waiting: undefined,
        ready: false,
        podReady: 'False',
      },
    ],
    [
      'hibernating',
      running(),
      {
        phase: 'Unknown',
        reason: undefined,
        state: 'running',
        waiting: undefined,
        ready: false,
        podReady: 'False',
      },
    ],
    [
      undefined,
      running(),
      {
        phase: 'Unknown',
        reason: undefined,
        state: 'running',
        waiting: undefined,
        ready: false,
        podReady: 'False',
      },
    ],
  ] as const)('JD %s (%#)', (phase, status, want) => {
    expect(summary(jdPod(phase, status))).toEqual(want);
  });

  it('reads JD phases case-insensitively', () => {
    expect(statusFromJd(jdPod('Running', running())).phase).toBe('Running');
  });

  it('applies the kubelet rule to a running JD pod', () => {
    const policy = (restartPolicy: string, status: JdContainer['containerStatus']) =>
      statusFromJd(jdPod('running', status, { restartPolicy })).phase;
    expect(policy('Always', exited(0))).toBe('Running');
    expect(policy('Never', exited(0))).toBe('Succeeded');
    expect(policy('Never', exited(1))).toBe('Failed');
    expect(policy('OnFailure', exited(1))).toBe('Running');
    expect(policy('OnFailure', exited(0))).toBe('Succeeded');
    expect(policy('Always', { state: { waiting: { reason: 'ImagePullBackOff' } } })).toBe(
      'Pending',
    );
    // CrashLoopBackOff: waiting, but it has run before, so the pod stays Running.
    expect(
      policy('Always', {
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1 } },
      }),
    ).toBe('Running');
  });

  it('lets a stopped run-to-completion pod finish instead of reading Stopped', () => {
    expect(summary(jdPod('stopped', exited(0), { restartPolicy: 'Never' }))).toMatchObject({
      phase: 'Succeeded',
      reason: undefined,
      state: 'terminated',
    });
    expect(summary(jdPod('stopped', exited(2), { restartPolicy: 'Never' }))).toMatchObject({
      phase: 'Failed',
      state: 'terminated',
    });
    expect(summary(jdPod('stopped', exited(2), { restartPolicy: 'OnFailure' }))).toMatchObject({
      phase: 'Pending',
      reason: 'Stopped',
    });
    const done = statusFromJd(jdPod('stopped', exited(0), { restartPolicy: 'Never' }));
    expect(done.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'PodCompleted',
    });
  });

  it('keeps the last run of a stopped container in lastState', () => {
    const s = statusFromJd(jdPod('stopped', exited(143)));
    expect(s.containerStatuses?.[0]?.lastState).toEqual({
      terminated: {
        exitCode: 143,
        reason: 'Error',
        startedAt: '2024-01-02T03:05:00Z',
        finishedAt: '2024-01-02T04:00:00Z',
      },
    });
    expect(s.message).toBe('The JD Cloud pod is stopped; its containers are not running');
  });

  it('prefers JD’s own message', () => {
    const jd = jdPod('error');
    jd.podStatus = { phase: 'error', message: 'no capacity in cn-north-1a' };
    expect(statusFromJd(jd)).toMatchObject({
      phase: 'Failed',
      reason: 'Error',
      message: 'no capacity in cn-north-1a',
    });
  });
});

describe('statusFromJd details', () => {
  const status = statusFromJd(jdPod('running', running()));

  it('reports containers as kubectl expects', () => {
    expect(status.containerStatuses).toEqual([
      {
        name: 'app',
        state: { running: { startedAt: '2024-01-02T03:05:00Z' } },
        lastState: {},
        ready: true,
        restartCount: 1,
        image: 'nginx:1.25',
        imageID: '',
        containerID: 'jdcloud://pod-abc123/app',
        started: true,
      },
    ]);
    expect(statusFromJd(jdPod('pending')).containerStatuses?.[0]).not.toHaveProperty('containerID');
  });

  it('reports IP, start time and QoS', () => {
    expect(status).toMatchObject({
      podIP: '10.0.0.5',
      podIPs: [{ ip: '10.0.0.5' }],
      startTime: CREATED,
      qosClass: 'Guaranteed',
    });
    const noIp = jdPod('pending', undefined, { privateIpAddress: undefined });
    noIp.podStatus = { phase: 'pending' };
    expect(statusFromJd(noIp)).not.toHaveProperty('podIP');
  });

  it('keeps the QoS class it first reported, as the apiserver never changes it', () => {
    const previous = { ...status, qosClass: 'Burstable' };
    expect(statusFromJd(jdPod('running', running()), previous).qosClass).toBe('Burstable');
  });

  it('sets the four conditions in the apiserver’s order', () => {
    expect(status.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ]);
    expect(status.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(
      '2024-01-02T03:05:00Z',
    );
    const notReady = statusFromJd(jdPod('running', running(false))).conditions?.find(
      (c) => c.type === 'ContainersReady',
    );
    expect(notReady).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
  });

  it('keeps lastTransitionTime when a condition did not change', () => {
    const previous = {
      conditions: [
        { type: 'Ready', status: 'True' as const, lastTransitionTime: '2023-12-31T00:00:00Z' },
      ],
    };
    const again = statusFromJd(jdPod('running', running()), previous);
    expect(again.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(
      '2023-12-31T00:00:00Z',
    );
    const changed = statusFromJd(jdPod('stopped', exited(0)), previous);
    expect(changed.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).not.toBe(
      '2023-12-31T00:00:00Z',
    );
  });

  it('separates init containers and holds Initialized until they succeed', () => {
    const jd = jdPod('pending');
    jd.containers = [
      { name: 'migrate', type: 'init', image: 'tool', containerStatus: { state: { running: {} } } },
      { name: 'app', image: 'nginx' },
    ];
    const s = statusFromJd(jd);
    expect(s.initContainerStatuses?.map((c) => c.name)).toEqual(['migrate']);
    expect(s.containerStatuses?.map((c) => c.name)).toEqual(['app']);
    expect(s.conditions?.[0]).toMatchObject({
      type: 'Initialized',
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [migrate]',
    });
  });

  it('drops times JD wrote in a form clients cannot parse', () => {
    const jd = jdPod(
      'running',
      { ready: true, state: { running: { startedAt: 'yesterday' } } },
      { createTime: 'soon' },
    );
    jd.podStatus = { phase: 'running' };
    const s = statusFromJd(jd);
    expect(s.containerStatuses?.[0]?.state).toEqual({ running: {} });
    expect(s).not.toHaveProperty('startTime');
  });
});

describe('podFromJd', () => {
  const tags = identityTags({
    namespace: 'default',
    name: 'web',
    uid: 'uid-1',
    creationTimestamp: '2024-01-01T00:00:00Z',
  }).map((t) => ({ ...t }));

  it('rebuilds identity from the JD name and tags, and placement annotations', () => {
    const pod = podFromJd(jdPod('running', running(), { tags, subnetId: 'subnet-a' }), 'default');
    expect(pod.metadata).toEqual({
      name: 'web',
      namespace: 'default',
      uid: 'uid-1',
      creationTimestamp: '2024-01-01T00:00:00Z',
      annotations: {
        'jdcloud.com/instance-type': 'g.n2.medium',
        'jdcloud.com/az': 'cn-north-1a',
        'jdcloud.com/subnet-id': 'subnet-a',
      },
    });
    expect(pod.spec.containers[0]).toMatchObject({
      name: 'app',
      image: 'nginx:1.25',
      resources: { requests: { cpu: '500m', memory: '512Mi' } },
    });
    expect(pod.status.phase).toBe('Running');
  });

  it('falls back to the podId and createTime without tags, and prefers stored identity', () => {
    expect(podFromJd(jdPod('running'), 'default').metadata).toMatchObject({
      uid: 'pod-abc123',
      creationTimestamp: CREATED,
    });
    const stored = {
      uid: 'stored',
      labels: { app: 'web' },
      creationTimestamp: '2020-01-01T00:00:00Z',
    };
    expect(podFromJd(jdPod('running', running(), { tags }), 'default', stored).metadata).toEqual({
      name: 'web',
      namespace: 'default',
      ...stored,
    });
  });
});

describe('phase never returns from Running to Pending', () => {
  it('keeps a pod that has run Running while JD stops, rebuilds and starts it', () => {
    const running = statusFromJd(jdPod('running', { state: { running: { startedAt: CREATED } } }));
    expect(running.phase).toBe('Running');
    for (const jdPhase of ['stopping', 'stopped', 'rebuilding', 'starting']) {
      const s = statusFromJd(jdPod(jdPhase, exited(143)), running);
      expect(s.phase, jdPhase).toBe('Running');
      const ready = s.conditions?.find((c) => c.type === 'Ready');
      expect(ready?.status, jdPhase).toBe('False');
    }
    const stopped = statusFromJd(jdPod('stopped', exited(143)), running);
    expect(stopped.reason).toBe('Stopped');
    expect(stopped.containerStatuses?.[0]?.state?.waiting?.reason).toBe('Stopped');
  });

  it('leaves a pod that never ran Pending, and terminal phases alone', () => {
    expect(statusFromJd(jdPod('starting')).phase).toBe('Pending');
    expect(phaseAfter('Running', 'Succeeded')).toBe('Succeeded');
    expect(phaseAfter('Running', 'Failed')).toBe('Failed');
    expect(phaseAfter(undefined, 'Pending')).toBe('Pending');
  });
});
