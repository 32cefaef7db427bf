/**
 * A JD pod → the Kubernetes Pod status (and, for recovery, a whole Pod).
 *
 * Phase table (JD `podStatus.phase` → `status.phase`, `status.reason`; containers):
 *
 * | JD           | phase                         | reason        | containers                                   |
 * |--------------|-------------------------------|---------------|----------------------------------------------|
 * | pending      | Pending                       | –             | JD's report, else waiting ContainerCreating  |
 * | starting     | Pending                       | Starting      | JD's report, else waiting ContainerCreating  |
 * | running      | from the containers (kubelet) | –             | JD's report                                  |
 * | stopping     | Running                       | Stopping      | JD's report, not ready                       |
 * | stopped      | Pending (see below)           | Stopped       | waiting Stopped; last run in lastState       |
 * | rebuilding   | Pending                       | Rebuilding    | waiting Rebuilding                           |
 * | resizing     | Pending                       | Resizing      | waiting Resizing                             |
 * | deleting     | Running                       | Terminating   | JD's report, not ready                       |
 * | error        | Failed                        | Error         | terminated as JD says, else waiting Error    |
 * | other/absent | Unknown                       | –             | JD's report, not ready                       |
 *
 * Why: `kubectl get pods` prints a container's waiting reason, else `status.reason`, else the
 * phase, so every row above reads as what JD is doing. The Pending rows are for a pod that has
 * never run: one that has stays Running (phaseAfter), so a stopped pod is phase Running, not
 * ready, reason Stopped, its containers waiting Stopped with the last run in lastState. A stopped pod is `Pending`, not
 * `Succeeded`/`Failed`: those are terminal in Kubernetes, and a stopped JD pod starts again (an
 * image rollout stops and restarts it). The one exception: with restartPolicy Never/OnFailure,
 * a stopped pod whose containers all exited on their own has run to completion, and gets the
 * kubelet's phase (Succeeded, or Failed for Never with a failure).
 *
 * "running" uses the kubelet's rule (getPhase): any container waiting without a previous run →
 * Pending; any running → Running; all exited → Running for Always, else Succeeded if all exited
 * 0, Failed for Never, Running for OnFailure.
 */

import type { JdContainer, JdPod } from '../jdcloud/models';
import type { ContainerStatus, ObjectMeta, Pod, PodCondition, PodStatus } from '../k8s/pod';
import { qosClass } from '../k8s/prepare-create';
import { JD_ANNOTATIONS } from './annotations';
import { type Bend, containerStatusFromJd, rfc3339, stateFromJd } from './container-status';
import { identityFromTags, podKeyFromJdName } from './jd-name';
import { specFromJd } from './jd-spec';

type Phase = NonNullable<PodStatus['phase']>;

interface PhaseView {
  phase: Phase;
  reason?: string;
  message?: string;
  bend: Bend;
}

/** The kubelet's getPhase over JD's own container reports. */
function kubeletPhase(apps: JdContainer[], restartPolicy: string): Phase {
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of apps) {
    const s = stateFromJd(c.containerStatus?.state);
    if (s.running) running++;
    else if (s.terminated) {
      stopped++;
      if (s.terminated.exitCode === 0) succeeded++;
    } else if (stateFromJd(c.containerStatus?.lastState).terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (restartPolicy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  return restartPolicy === 'Never' ? 'Failed' : 'Running';
}

function phaseView(jd: JdPod, apps: JdContainer[]): PhaseView {
  const jdPhase = jd.podStatus?.phase?.toLowerCase();
  const message = jd.podStatus?.message || undefined;
  const restartPolicy = jd.restartPolicy ?? 'Always';
  const paused = (reason: string, msg: string): PhaseView => ({
    phase: 'Pending',
    reason,
    message: message ?? msg,
    bend: { kind: 'waiting', reason, message: message ?? msg },
  });
  switch (jdPhase) {
    case 'pending':
      return { phase: 'Pending', bend: { kind: 'creating' } };
    case 'starting':
      return {
        phase: 'Pending',
        reason: 'Starting',
        message: message ?? 'JD Cloud is starting the pod',
        bend: { kind: 'creating' },
      };
    case 'running':
      return { phase: kubeletPhase(apps, restartPolicy), bend: undefined };
    case 'stopping':
      return {
        phase: 'Running',
        reason: 'Stopping',
        message: message ?? 'JD Cloud is stopping the pod',
        bend: { kind: 'notReady' },
      };
    case 'stopped': {
      const exited = apps.length > 0 && apps.every((c) => c.containerStatus?.state?.terminated);
      const done =
        exited && restartPolicy !== 'Always' ? kubeletPhase(apps, restartPolicy) : undefined;
      if (done === 'Succeeded' || done === 'Failed') return { phase: done, bend: undefined };
      return paused('Stopped', 'The JD Cloud pod is stopped; its containers are not running');
    }
    case 'rebuilding':
      return paused('Rebuilding', 'JD Cloud is resetting the containers with new images');
    case 'resizing':
      return paused('Resizing', 'JD Cloud is changing the instance type');
    case 'deleting':
      return {
        phase: 'Running',
        reason: 'Terminating',
        message: message ?? 'JD Cloud is deleting the pod',
        bend: { kind: 'notReady' },
      };
    case 'error': {
      const msg = message ?? 'JD Cloud failed to create the pod';
      return {
        phase: 'Failed',
        reason: 'Error',
        message: msg,
        bend: { kind: 'waiting', reason: 'Error', message: msg, keepTerminated: true },
      };
    }
    default:
      return {
        phase: 'Unknown',
        message: jdPhase
          ? `JD Cloud reports the unknown phase "${jdPhase}"`
          : 'JD Cloud reports no phase',
        bend: { kind: 'notReady' },
      };
  }
}

const latest = (times: (string | undefined)[]) =>
  times
    .filter((t): t is string => Boolean(t))
    .sort()
    .at(-1);

function condition(
  type: string,
  ok: boolean,
  at: string | undefined,
  reason?: string,
  message?: string,
): PodCondition {
  return {
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    ...(at && { lastTransitionTime: at }),
    ...(!ok && reason && { reason }),
    ...(!ok && message && { message }),
  };
}

function conditionsOf(
  jd: JdPod,
  view: PhaseView,
  inits: JdContainer[],
  statuses: ContainerStatus[],
  previous?: PodStatus,
): PodCondition[] {
  const created = rfc3339(jd.createTime);
  const incomplete = inits
    .filter((c) => stateFromJd(c.containerStatus?.state).terminated?.exitCode !== 0)
    .map((c) => c.name);
  const appsStarted = (jd.containers ?? []).some(
    (c) =>
      c.type !== 'init' &&
      (c.containerStatus?.state?.running || c.containerStatus?.state?.terminated),
  );
  const initialized = incomplete.length === 0 || appsStarted;
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const ready = view.phase === 'Running' && view.bend === undefined && unready.length === 0;
  const [readyReason, readyMessage] =
    view.phase === 'Succeeded'
      ? ['PodCompleted', undefined]
      : ['ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`];
  const jdReady = jd.podStatus?.conditions?.find((c) => c.conditionType === 'Ready');
  const readyAt =
    (jdReady && (jdReady.status === 'True') === ready
      ? rfc3339(jdReady.lastTransitionTime)
      : undefined) ??
    (ready ? latest(statuses.map((s) => s.state?.running?.startedAt ?? undefined)) : undefined) ??
    rfc3339(jd.podStatus?.startTime) ??
    created;
  const fresh = [
    condition(
      'Initialized',
      initialized,
      created,
      'ContainersNotInitialized',
      `containers with incomplete status: [${incomplete.join(' ')}]`,
    ),
    condition('Ready', ready, readyAt, readyReason, readyMessage),
    condition('ContainersReady', ready, readyAt, readyReason, readyMessage),
    condition('PodScheduled', true, created),
  ];
  // A condition whose status did not change keeps the time it last changed.
  return fresh.map((c) => {
    const before = previous?.conditions?.find((p) => p.type === c.type);
    return before?.status === c.status && before.lastTransitionTime
      ? { ...c, lastTransitionTime: before.lastTransitionTime }
      : c;
  });
}

/**
 * The Kubernetes status of a JD pod.
 *
 * @param previous the status last shown for this pod: conditions that did not change keep
 *   their `lastTransitionTime` from it, and its `qosClass` stays
 */
export function statusFromJd(jd: JdPod, previous?: PodStatus): PodStatus {
  const all = jd.containers ?? [];
  const inits = all.filter((c) => c.type === 'init');
  const apps = all.filter((c) => c.type !== 'init');
  const view = phaseView(jd, apps);
  const containerStatuses = apps.map((c) => containerStatusFromJd(c, jd.podId, view.bend));
  const initContainerStatuses = inits.map((c) => containerStatusFromJd(c, jd.podId, view.bend));
  const podIP =
    jd.podStatus?.podIP ||
    jd.privateIpAddress ||
    jd.primaryNetworkInterface?.networkInterface?.primaryIp?.privateIpAddress;
  const startTime = rfc3339(jd.podStatus?.startTime) ?? rfc3339(jd.createTime);
  return {
    phase: phaseAfter(previous?.phase, view.phase),
    conditions: conditionsOf(jd, view, inits, containerStatuses, previous),
    ...(view.reason && { reason: view.reason }),
    ...(view.message && { message: view.message }),
    ...(podIP && { podIP, podIPs: [{ ip: podIP }] }),
    ...(startTime && { startTime }),
    ...(initContainerStatuses.length && { initContainerStatuses }),
    containerStatuses,
    // Fixed at creation, as in Kubernetes: derived from the containers only the first time.
    qosClass: previous?.qosClass ?? qosClass(specFromJd(jd)),
  };
}

/**
 * Phase moves as Kubernetes clients assume it does: once Running, a pod never reads Pending
 * again. A JD pod that stops, rebuilds or starts again after it has run (an image rollout, or
 * podgate's /stop) stays Running — as the kubelet reports a restartPolicy=Always pod whose
 * containers have exited — with its containers waiting (Stopped, Rebuilding), not ready, and
 * the reason saying why. Terminal phases are left as they are.
 */
export function phaseAfter(previous: Phase | undefined, next: Phase): Phase {
  return previous === 'Running' && next === 'Pending' ? 'Running' : next;
}

/** The `jdcloud.com/…` annotations that reproduce a JD pod's placement on re-create. */
function placementAnnotations(jd: JdPod): Record<string, string> {
  const nic = jd.primaryNetworkInterface?.networkInterface;
  const groups = nic?.securityGroups?.map((g) => g.groupId).filter(Boolean) ?? [];
  const entries: [string, string | undefined][] = [
    [JD_ANNOTATIONS.instanceType, jd.instanceType],
    [JD_ANNOTATIONS.az, jd.az],
    [JD_ANNOTATIONS.subnetId, jd.subnetId ?? nic?.subnetId],
    [JD_ANNOTATIONS.securityGroupIds, groups.length ? groups.join(',') : undefined],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, string] => Boolean(e[1])));
}

/**
 * A whole Pod from a JD pod: name from its JD name, uid and creationTimestamp from `identity`
 * (podgate's record) or else its JD tags, spec from its containers, status from JD.
 *
 * @param identity podgate's stored metadata, when it has any; without it labels are empty and
 *   the annotations are the `jdcloud.com/…` ones that reproduce the pod's placement
 */
export function podFromJd(jd: JdPod, namespace: string, identity?: ObjectMeta): Pod {
  const key = podKeyFromJdName(jd.name ?? '');
  const tags = identityFromTags(jd.name ?? '', jd.tags);
  const metadata: ObjectMeta = {
    name: key?.name ?? jd.name ?? jd.podId,
    namespace,
    // The JD podId is unique and stable: the best uid left when the tags are gone too.
    uid: tags?.uid ?? jd.podId,
    creationTimestamp: tags?.creationTimestamp ?? rfc3339(jd.createTime) ?? null,
    ...(!identity && { annotations: placementAnnotations(jd) }),
    ...identity,
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: specFromJd(jd),
    status: statusFromJd(jd),
  };
}
