/**
 * The Events a change of a stored pod produces, as the scheduler and the kubelet would record
 * them: a pure function of the pod before and after one commit. Only differences make events, so
 * committing the same state twice records nothing, and a reconciler pass that changes nothing is
 * silent.
 *
 * | change                                              | type    | reason               |
 * |-----------------------------------------------------|---------|----------------------|
 * | JD Cloud accepted the pod (it has a JD pod now)     | Normal  | Scheduled            |
 * | a container starts running (again)                  | Normal  | Pulled, Created, Started |
 * | a running container is stopped (not being deleted)  | Normal  | Killing              |
 * | the pod reads Stopped (podgate's /stop)             | Normal  | Stopped              |
 * | deletionTimestamp set                               | Normal  | Killing (each container) |
 * | the pod is gone (DELETED)                           | Normal  | Deleted              |
 * | a rollout step (ImageRollout condition message)     | Normal  | RollingOut           |
 * | a rollout step retried after a JD error             | Warning | BackOff              |
 * | rollout finished / failed                           | Normal / Warning | RolledOut / RolloutFailed |
 * | createPods retried (JD's error and requestId)       | Warning | FailedCreate         |
 * | create refused for good / JD reports an error phase | Warning | ProviderCreateFailed / Failed |
 *
 * Messages come from the pod's status, which never holds credentials.
 */
import type { EventType } from './event';
import type { Pod } from './pod';

/** A pod as committed: `accepted` when JD Cloud has it (the row has a JD pod id). */
export interface PodState {
  pod: Pod;
  accepted: boolean;
}

/** An event to record about the pod, or one of its containers (`fieldPath`). */
export interface EventDraft {
  type: EventType;
  reason: string;
  message: string;
  fieldPath?: string;
}

const ROLLOUT_CONDITION = 'ImageRollout';

const containerPath = (name: string) => `spec.containers{${name}}`;

type Status = Pod['status'];
type ContainerStatus = NonNullable<Status['containerStatuses']>[number];

const runningSince = (cs: ContainerStatus | undefined) =>
  cs?.state?.running ? (cs.state.running.startedAt ?? 'running') : undefined;

/** Pulled, Created, Started for containers that began running; Killing for ones that stopped. */
function containerEvents(before: Pod | undefined, after: Pod): EventDraft[] {
  const drafts: EventDraft[] = [];
  const deleting = Boolean(after.metadata.deletionTimestamp);
  const previous = new Map((before?.status.containerStatuses ?? []).map((cs) => [cs.name, cs]));
  for (const cs of after.status.containerStatuses ?? []) {
    const was = runningSince(previous.get(cs.name));
    const now = runningSince(cs);
    const fieldPath = containerPath(cs.name);
    if (now !== undefined && now !== was) {
      const image = after.spec.containers.find((c) => c.name === cs.name)?.image ?? cs.image;
      drafts.push(
        {
          type: 'Normal',
          reason: 'Pulled',
          message: `Successfully pulled image "${image}"`,
          fieldPath,
        },
        { type: 'Normal', reason: 'Created', message: `Created container: ${cs.name}`, fieldPath },
        { type: 'Normal', reason: 'Started', message: `Started container ${cs.name}`, fieldPath },
      );
    } else if (now === undefined && was !== undefined && !deleting && !cs.state?.terminated) {
      // Stopped by JD Cloud or podgate (it waits): a container that exited by itself is not killed.
      drafts.push({
        type: 'Normal',
        reason: 'Killing',
        message: `Stopping container ${cs.name}`,
        fieldPath,
      });
    }
  }
  return drafts;
}

const rolloutCondition = (pod: Pod | undefined) =>
  pod?.status.conditions?.find((c) => c.type === ROLLOUT_CONDITION);

/** Each rollout step, its retries and its outcome, from the ImageRollout condition. */
function rolloutEvents(before: Pod | undefined, after: Pod): EventDraft[] {
  const next = rolloutCondition(after);
  const prev = rolloutCondition(before);
  if (!next) return [];
  const message = next.message ?? '';
  if (
    prev &&
    prev.status === next.status &&
    prev.reason === next.reason &&
    prev.message === message
  )
    return [];
  if (next.reason === 'RolledOut')
    return [{ type: 'Normal', reason: 'RolledOut', message: `Rollout finished: ${message}` }];
  if (next.reason === 'RolloutFailed')
    return [{ type: 'Warning', reason: 'RolloutFailed', message }];
  if (message.includes('; retrying after: '))
    return [{ type: 'Warning', reason: 'BackOff', message }];
  return [{ type: 'Normal', reason: 'RollingOut', message }];
}

/** Reasons of the pod's own status that are events when they appear or their message changes. */
const STATUS_EVENTS: Record<string, Pick<EventDraft, 'type' | 'reason'>> = {
  ProviderCreating: { type: 'Warning', reason: 'FailedCreate' },
  ProviderCreateFailed: { type: 'Warning', reason: 'ProviderCreateFailed' },
  Error: { type: 'Warning', reason: 'Failed' },
  Stopped: { type: 'Normal', reason: 'Stopped' },
};

function statusEvents(before: Pod | undefined, after: Pod): EventDraft[] {
  const { reason, message } = after.status;
  const kind = reason ? STATUS_EVENTS[reason] : undefined;
  if (!kind || !reason) return [];
  if (before?.status.reason === reason && before.status.message === message) return [];
  return [{ ...kind, message: message ?? reason }];
}

/**
 * The events of one commit of pod `next` (watch type `type`), given the row as it was before
 * (`previous`, undefined for a new row).
 *
 * @example podEvents(undefined, { pod, accepted: true }, 'ADDED')
 *   // [{ type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/web to jdcloud-cn-north-1a' }]
 */
export function podEvents(
  previous: PodState | undefined,
  next: PodState,
  type: 'ADDED' | 'MODIFIED' | 'DELETED',
): EventDraft[] {
  const { pod } = next;
  const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  if (type === 'DELETED') {
    const where = next.accepted ? ' and its JD Cloud pod' : '';
    return [{ type: 'Normal', reason: 'Deleted', message: `Deleted pod ${key}${where}` }];
  }
  const before = previous?.pod;
  const drafts: EventDraft[] = [];
  if (next.accepted && !previous?.accepted) {
    drafts.push({
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${key} to ${pod.spec.nodeName || 'JD Cloud'}`,
    });
  }
  drafts.push(...statusEvents(before, pod));
  if (pod.metadata.deletionTimestamp && !before?.metadata.deletionTimestamp) {
    for (const c of pod.spec.containers) {
      drafts.push({
        type: 'Normal',
        reason: 'Killing',
        message: `Stopping container ${c.name}`,
        fieldPath: containerPath(c.name),
      });
    }
  }
  drafts.push(...containerEvents(before, pod), ...rolloutEvents(before, pod));
  return drafts;
}
