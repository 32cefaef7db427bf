/**
 * The pod state machine, as pure functions over a stored `PodRecord` and the emulator clock.
 *
 * Intermediate phases end lazily: a record remembers when its current transition settles
 * (`settlesAt`), and `settle(pod, now)` applies the outcome whenever someone looks at it. Nothing
 * has to run in the background, and a test moves pods along by advancing the clock.
 *
 *   pending → running            (createPods)
 *   running → stopping → stopped (stopPod)
 *   stopped → starting → running (startPod; each container's restartCount + 1)
 *   stopped → rebuilding → stopped (rebuildPod; new images, restartCount kept)
 *   running | stopped | error → deleting → gone (deletePod)
 *   any → error                  (a failure, out of band: see console.ts)
 */
import { failedPrecondition, invalidArgument } from './envelope';
import type { ContainerSpec, PodSpec, RebuildContainerSpec } from './pod-spec-schema';

export type Phase =
  | 'pending'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'starting'
  | 'rebuilding'
  | 'deleting'
  | 'error';

/** Where each intermediate phase ends up; `null` = the pod is gone. */
const OUTCOME: Partial<Record<Phase, Phase | null>> = {
  pending: 'running',
  starting: 'running',
  stopping: 'stopped',
  rebuilding: 'stopped',
  deleting: null,
};

/** One container: its current spec and what has happened to it (times in emulator ms). */
export interface ContainerRecord {
  spec: ContainerSpec;
  restartCount: number;
  /** When the current (or last) run started. */
  startedAt?: number;
  /** When the last run ended; set while the container is not running. */
  finishedAt?: number;
  /** The run before the current one, shown as `lastState.terminated`. */
  previousRun?: { startedAt: number; finishedAt: number };
}

/** A pod as the emulator stores it. */
export interface PodRecord {
  podId: string;
  regionId: string;
  spec: Omit<PodSpec, 'containers'>;
  containers: ContainerRecord[];
  privateIpAddress: string;
  vpcId: string;
  networkInterfaceId: string;
  elasticIp?: { elasticIpId: string; elasticIpAddress: string };
  createTime: number;
  phase: Phase;
  phaseSince: number;
  /** When the current intermediate phase ends; `null` in a steady phase. */
  settlesAt: number | null;
  /** When the pod first ran. */
  startTime?: number;
  /** Why the pod is in `error` (status reason and message); set only in that phase. */
  failure?: { reason: string; message: string };
}

/** Everything createPods decided for one new pod. */
export interface NewPod {
  podId: string;
  regionId: string;
  name: string;
  spec: PodSpec;
  privateIpAddress: string;
  vpcId: string;
  networkInterfaceId: string;
}

/** A fresh pod in `pending`, running once `transitionMs` have passed. */
export function createPodRecord(p: NewPod, now: number, transitionMs: number): PodRecord {
  const { containers, ...rest } = p.spec;
  return {
    podId: p.podId,
    regionId: p.regionId,
    spec: { ...rest, name: p.name, hostname: rest.hostname ?? p.podId },
    containers: containers.map((spec) => ({ spec, restartCount: 0 })),
    privateIpAddress: p.privateIpAddress,
    vpcId: p.vpcId,
    networkInterfaceId: p.networkInterfaceId,
    createTime: now,
    phase: 'pending',
    phaseSince: now,
    settlesAt: now + transitionMs,
  };
}

/** The pod as it is at `now`: a finished transition applied, or `null` once deleted. */
export function settle(pod: PodRecord, now: number): PodRecord | null {
  if (pod.settlesAt === null || now < pod.settlesAt) return pod;
  const at = pod.settlesAt;
  const outcome = OUTCOME[pod.phase];
  if (outcome === undefined) return { ...pod, settlesAt: null };
  if (outcome === null) return null;
  const settled = { ...pod, phase: outcome, phaseSince: at, settlesAt: null };
  switch (pod.phase) {
    case 'pending':
      return {
        ...settled,
        startTime: at,
        containers: pod.containers.map((c) => ({ ...c, startedAt: at })),
      };
    case 'starting':
      return {
        ...settled,
        containers: pod.containers.map((c) => ({
          ...c,
          restartCount: c.restartCount + 1,
          startedAt: at,
          finishedAt: undefined,
          previousRun:
            c.startedAt !== undefined && c.finishedAt !== undefined
              ? { startedAt: c.startedAt, finishedAt: c.finishedAt }
              : c.previousRun,
        })),
      };
    case 'stopping':
      return { ...settled, containers: pod.containers.map((c) => ({ ...c, finishedAt: at })) };
    default:
      return settled;
  }
}

function requirePhase(pod: PodRecord, operation: string, allowed: readonly Phase[]): void {
  if (!allowed.includes(pod.phase)) {
    throw failedPrecondition(
      `pod ${pod.podId} is ${pod.phase}; ${operation} requires phase ${allowed.join(' or ')}`,
    );
  }
}

const begin = (pod: PodRecord, phase: Phase, now: number, ms: number): PodRecord => ({
  ...pod,
  phase,
  phaseSince: now,
  settlesAt: now + ms,
});

/** stopPod: only a running pod. */
export function beginStop(pod: PodRecord, now: number, ms: number): PodRecord {
  requirePhase(pod, 'stopPod', ['running']);
  return begin(pod, 'stopping', now, ms);
}

/** startPod: only a stopped pod. */
export function beginStart(pod: PodRecord, now: number, ms: number): PodRecord {
  requirePhase(pod, 'startPod', ['stopped']);
  return begin(pod, 'starting', now, ms);
}

/**
 * rebuildPod: only a stopped pod. Each named container takes the new image and settings; the
 * fields rebuild cannot change (resources, systemDisk) and the restart count are kept.
 */
export function beginRebuild(
  pod: PodRecord,
  containers: readonly RebuildContainerSpec[],
  now: number,
  ms: number,
): PodRecord {
  requirePhase(pod, 'rebuildPod', ['stopped']);
  const byName = new Map(containers.map((c) => [c.name, c]));
  containers.forEach((c, i) => {
    if (!pod.containers.some((own) => own.spec.name === c.name)) {
      throw invalidArgument(`containers[${i}].name`, `pod ${pod.podId} has no container ${c.name}`);
    }
  });
  return begin(
    {
      ...pod,
      containers: pod.containers.map((c) => {
        const update = byName.get(c.spec.name);
        if (!update) return c;
        const { resources, systemDisk, type } = c.spec;
        return { ...c, spec: { ...update, resources, systemDisk, type } };
      }),
    },
    'rebuilding',
    now,
    ms,
  );
}

/** deletePod: a pod in a steady phase (running, stopped, error). */
export function beginDelete(pod: PodRecord, now: number, ms: number): PodRecord {
  requirePhase(pod, 'deletePod', ['running', 'stopped', 'error']);
  return begin(pod, 'deleting', now, ms);
}

/** resizePod: only a stopped pod, and only to a different instance type (applied at once). */
export function resize(pod: PodRecord, instanceType: string): PodRecord {
  requirePhase(pod, 'resizePod', ['stopped']);
  if (pod.spec.instanceType === instanceType) {
    throw invalidArgument('instanceType', `pod ${pod.podId} is already ${instanceType}`);
  }
  return { ...pod, spec: { ...pod.spec, instanceType } };
}
