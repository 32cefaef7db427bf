import { describe, expect, it } from 'vitest';
import type { Pod } from './pod';
import { podEvents } from './pod-events';

const base: Pod = {
  metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '5' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], nodeName: 'jdcloud-cn-north-1a' },
  status: { phase: 'Pending' },
} as Pod;

const withStatus = (status: Pod['status'], pod: Pod = base): Pod => ({ ...pod, status });
const running = (startedAt: string): Pod['status'] => ({
  phase: 'Running',
  containerStatuses: [
    {
      name: 'app',
      image: 'nginx:1.25',
      imageID: '',
      ready: true,
      restartCount: 0,
      state: { running: { startedAt } },
    },
  ],
});
const stopped: Pod['status'] = {
  phase: 'Running',
  reason: 'Stopped',
  message: 'The JD Cloud pod is stopped; its containers are not running',
  containerStatuses: [
    {
      name: 'app',
      image: 'nginx:1.25',
      imageID: '',
      ready: false,
      restartCount: 0,
      state: { waiting: { reason: 'Stopped' } },
    },
  ],
};
const rollout = (status: 'True' | 'False', reason: string, message: string): Pod['status'] => ({
  ...running('2024-01-01T00:00:00Z'),
  ...(reason === 'RolledOut' || status === 'True' ? {} : { reason: 'RollingOut', message }),
  conditions: [{ type: 'ImageRollout', status, reason, message }],
});

const reasons = (drafts: { reason: string }[]) => drafts.map((d) => d.reason);

describe('podEvents', () => {
  it('records Scheduled when JD Cloud accepts the pod, naming its virtual node', () => {
    const drafts = podEvents(undefined, { pod: base, accepted: true }, 'ADDED');
    expect(drafts).toEqual([
      {
        type: 'Normal',
        reason: 'Scheduled',
        message: 'Successfully assigned default/web to jdcloud-cn-north-1a',
      },
    ]);
    // Stored while createPods is retried: not scheduled yet, only once JD Cloud has it.
    expect(podEvents(undefined, { pod: base, accepted: false }, 'ADDED')).toEqual([]);
    expect(
      reasons(podEvents({ pod: base, accepted: false }, { pod: base, accepted: true }, 'MODIFIED')),
    ).toEqual(['Scheduled']);
  });

  it('records Pulled, Created, Started with the image when a container starts, once', () => {
    const before = { pod: base, accepted: true };
    const after = { pod: withStatus(running('2024-01-01T00:00:00Z')), accepted: true };
    const drafts = podEvents(before, after, 'MODIFIED');
    expect(drafts).toEqual([
      {
        type: 'Normal',
        reason: 'Pulled',
        message: 'Successfully pulled image "nginx:1.25"',
        fieldPath: 'spec.containers{app}',
      },
      {
        type: 'Normal',
        reason: 'Created',
        message: 'Created container: app',
        fieldPath: 'spec.containers{app}',
      },
      {
        type: 'Normal',
        reason: 'Started',
        message: 'Started container app',
        fieldPath: 'spec.containers{app}',
      },
    ]);
    // The same state committed again (a reconciler pass) records nothing.
    expect(podEvents(after, after, 'MODIFIED')).toEqual([]);
  });

  it('records Killing and Stopped when the pod is stopped, and Started again when it runs', () => {
    const up = { pod: withStatus(running('2024-01-01T00:00:00Z')), accepted: true };
    const down = { pod: withStatus(stopped), accepted: true };
    expect(podEvents(up, down, 'MODIFIED')).toEqual([
      { type: 'Normal', reason: 'Stopped', message: stopped.message },
      {
        type: 'Normal',
        reason: 'Killing',
        message: 'Stopping container app',
        fieldPath: 'spec.containers{app}',
      },
    ]);
    // A container that exited by itself was not killed.
    const exited = {
      pod: withStatus({
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            image: 'nginx:1.25',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 1, reason: 'Error' } },
          },
        ],
      }),
      accepted: true,
    };
    expect(podEvents(up, exited, 'MODIFIED')).toEqual([]);
    const again = { pod: withStatus(running('2024-01-01T00:05:00Z')), accepted: true };
    expect(reasons(podEvents(down, again, 'MODIFIED'))).toEqual(['Pulled', 'Created', 'Started']);
  });

  it('records each rollout step, a retry as a Warning, and the outcome', () => {
    const up = { pod: withStatus(running('2024-01-01T00:00:00Z')), accepted: true };
    const step1 = {
      pod: withStatus(
        rollout('False', 'RollingOut', 'stopping the pod to roll out app=nginx:1.27'),
      ),
      accepted: true,
    };
    const retry = {
      pod: withStatus(
        rollout(
          'False',
          'RollingOut',
          'stopping the pod to roll out app=nginx:1.27; retrying after: JD Cloud is unreachable (stopPod)',
        ),
      ),
      accepted: true,
    };
    const done = {
      pod: withStatus(rollout('True', 'RolledOut', 'running app=nginx:1.27')),
      accepted: true,
    };
    const failed = {
      pod: withStatus(
        rollout(
          'False',
          'RolloutFailed',
          'rollout failed: image not found (JD Cloud requestId r-1); back on app=nginx:1.25',
        ),
      ),
      accepted: true,
    };
    expect(podEvents(up, step1, 'MODIFIED')).toEqual([
      {
        type: 'Normal',
        reason: 'RollingOut',
        message: 'stopping the pod to roll out app=nginx:1.27',
      },
    ]);
    expect(podEvents(step1, step1, 'MODIFIED')).toEqual([]);
    expect(podEvents(step1, retry, 'MODIFIED')).toMatchObject([
      { type: 'Warning', reason: 'BackOff' },
    ]);
    expect(podEvents(retry, done, 'MODIFIED')).toEqual([
      { type: 'Normal', reason: 'RolledOut', message: 'Rollout finished: running app=nginx:1.27' },
    ]);
    expect(podEvents(retry, failed, 'MODIFIED')).toEqual([
      {
        type: 'Warning',
        reason: 'RolloutFailed',
        message: 'rollout failed: image not found (JD Cloud requestId r-1); back on app=nginx:1.25',
      },
    ]);
  });

  it("records JD Cloud's create errors as Warnings with its message, only when it changes", () => {
    const message =
      'JD Cloud has not accepted the pod yet; retrying createPods: quota exceeded (JD Cloud requestId r-9)';
    const creating = {
      pod: withStatus({ phase: 'Pending', reason: 'ProviderCreating', message }),
      accepted: false,
    };
    expect(podEvents(undefined, creating, 'ADDED')).toEqual([
      { type: 'Warning', reason: 'FailedCreate', message },
    ]);
    expect(podEvents(creating, creating, 'MODIFIED')).toEqual([]);
    const refused = {
      pod: withStatus({
        phase: 'Failed',
        reason: 'ProviderCreateFailed',
        message: 'invalid image',
      }),
      accepted: false,
    };
    expect(podEvents(creating, refused, 'MODIFIED')).toEqual([
      { type: 'Warning', reason: 'ProviderCreateFailed', message: 'invalid image' },
    ]);
  });

  it("records JD Cloud's error phase as a Warning Failed", () => {
    const up = { pod: withStatus(running('2024-01-01T00:00:00Z')), accepted: true };
    const failed = {
      pod: withStatus({ phase: 'Failed', reason: 'Error', message: 'JD Cloud failed the pod' }),
      accepted: true,
    };
    expect(podEvents(up, failed, 'MODIFIED')).toEqual([
      { type: 'Warning', reason: 'Failed', message: 'JD Cloud failed the pod' },
    ]);
  });

  it('records Killing once when deletion starts, and Deleted when the pod is gone', () => {
    const up = { pod: withStatus(running('2024-01-01T00:00:00Z')), accepted: true };
    const marked = {
      pod: {
        ...up.pod,
        metadata: { ...up.pod.metadata, deletionTimestamp: '2024-01-01T00:10:00Z' },
      },
      accepted: true,
    };
    expect(podEvents(up, marked, 'MODIFIED')).toEqual([
      {
        type: 'Normal',
        reason: 'Killing',
        message: 'Stopping container app',
        fieldPath: 'spec.containers{app}',
      },
    ]);
    const stopping = { pod: { ...marked.pod, status: stopped }, accepted: true };
    expect(reasons(podEvents(marked, stopping, 'MODIFIED'))).toEqual(['Stopped']);
    expect(podEvents(stopping, stopping, 'DELETED')).toEqual([
      {
        type: 'Normal',
        reason: 'Deleted',
        message: 'Deleted pod default/web and its JD Cloud pod',
      },
    ]);
  });
});
