/**
 * The Pod a client sees: podgate's stored identity and desired spec, with the status JD Cloud
 * reports, plus what an in-flight operation adds (its reason, message and condition).
 */
import type { JdPod } from '../jdcloud/models';
import type { Pod, PodCondition, PodStatus } from '../k8s/pod';
import { formatTime } from '../k8s/prepare-create';
import { podFromJd, statusFromJd } from '../translate/jd-to-pod';
import type { Overlay } from './operations';
import { ROLLOUT_CONDITION } from './rollout';

/** Condition types podgate owns; they survive a status refresh from JD Cloud. */
const OWN_CONDITIONS = new Set([ROLLOUT_CONDITION]);

export function podView(stored: Pod, jdPod: JdPod, overlay: Overlay | undefined): Pod {
  const status = statusFromJd(jdPod, stored.status);
  const own = (stored.status.conditions ?? []).filter((c) => OWN_CONDITIONS.has(c.type));
  const merged = withOverlay(
    { ...status, conditions: [...(status.conditions ?? []), ...own] },
    overlay,
  );
  if (stored.status.observedGeneration !== undefined && merged.observedGeneration === undefined) {
    merged.observedGeneration = stored.status.observedGeneration;
  }
  return { ...stored, status: merged };
}

/**
 * `status` with what an in-flight operation adds: its reason and message, and its condition
 * (keeping the condition's transition time while its status stays the same).
 */
export function withOverlay(status: PodStatus, overlay: Overlay | undefined): PodStatus {
  const conditions: PodCondition[] = [...(status.conditions ?? [])];
  if (overlay?.condition) {
    const i = conditions.findIndex((c) => c.type === overlay.condition?.type);
    const previous = i >= 0 ? conditions[i] : undefined;
    const next: PodCondition = {
      ...overlay.condition,
      lastTransitionTime:
        previous?.status === overlay.condition.status && previous.lastTransitionTime
          ? previous.lastTransitionTime
          : formatTime(new Date()),
    };
    if (i >= 0) conditions[i] = next;
    else conditions.push(next);
  }
  const { conditions: _, ...rest } = status;
  const result: PodStatus = {
    ...rest,
    ...(conditions.length ? { conditions } : {}),
    ...(overlay?.reason ? { reason: overlay.reason, message: overlay.message } : {}),
  };
  return overlay?.notReady ? notReady(result) : result;
}

const READINESS = new Set(['Ready', 'ContainersReady']);

/** `status` with the pod and its containers not ready (an action is under way on JD Cloud). */
function notReady(status: PodStatus): PodStatus {
  const now = formatTime(new Date());
  const conditions = status.conditions?.map((c) =>
    READINESS.has(c.type) && c.status !== 'False'
      ? { ...c, status: 'False' as const, lastTransitionTime: now }
      : c,
  );
  const containerStatuses = status.containerStatuses?.map((c) =>
    c.ready ? { ...c, ready: false } : c,
  );
  return {
    ...status,
    ...(conditions ? { conditions } : {}),
    ...(containerStatuses ? { containerStatuses } : {}),
  };
}

/**
 * A pod rebuilt from JD Cloud alone (after podgate's state was lost): identity from its JD name
 * and tags, spec from its containers. Labels and annotations cannot be recovered; the warning
 * says so.
 */
export function recoveredPod(
  jdPod: JdPod,
  namespace: string,
): { pod: Pod; uid: string; warning: string } {
  const pod = podFromJd(jdPod, namespace);
  const name = pod.metadata.name ?? jdPod.name;
  return {
    pod,
    uid: pod.metadata.uid ?? jdPod.podId,
    warning: `pod ${namespace}/${name} was recovered from JD Cloud: its labels and annotations were lost with podgate's state`,
  };
}
