/**
 * JD `containerStatus` → Kubernetes `ContainerStatus`.
 */

import type { JdContainer, JdContainerStatus } from '../jdcloud/models';
import type { ContainerState, ContainerStatus } from '../k8s/pod';
import { formatTime } from '../k8s/prepare-create';

type JdState = NonNullable<JdContainerStatus['state']>;

/** rfc3339's answers, by JD's text (bounded: cleared when full). */
const formatted = new Map<string, string | undefined>();

/**
 * A JD time as Kubernetes writes it (RFC 3339, seconds). Undefined when JD's text is not a
 * time: client-go refuses a whole object over one unparsable timestamp.
 */
export function rfc3339(time: string | undefined): string | undefined {
  if (!time) return undefined;
  if (formatted.has(time)) return formatted.get(time);
  const ms = Date.parse(time);
  const out = Number.isNaN(ms) ? undefined : formatTime(new Date(ms));
  // JD Cloud repeats the same few times on every read of a pod (a LIST converts hundreds).
  if (formatted.size >= 1024) formatted.clear();
  formatted.set(time, out);
  return out;
}

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** A JD container state in Kubernetes form; `{}` when JD reports none. */
export function stateFromJd(state: JdState | undefined): ContainerState {
  if (state?.running) return { running: defined({ startedAt: rfc3339(state.running.startedAt) }) };
  if (state?.terminated) {
    const t = state.terminated;
    const exitCode = t.exitCode ?? 0;
    return {
      terminated: defined({
        exitCode,
        signal: t.signal || undefined,
        // The kubelet's reasons when the runtime gives none.
        reason: t.reason || (exitCode === 0 ? 'Completed' : 'Error'),
        message: t.message || undefined,
        startedAt: rfc3339(t.startedAt),
        finishedAt: rfc3339(t.finishedAt),
      }),
    };
  }
  if (state?.waiting)
    return {
      waiting: defined({
        reason: state.waiting.reason || undefined,
        message: state.waiting.message || undefined,
      }),
    };
  return {};
}

/**
 * How the pod's JD phase bends a container's own report:
 * - `waiting`: the container is not running whatever JD last said (pod stopped, rebuilding,
 *   resizing, failed): it reads `waiting{reason}` and its last run moves to `lastState`;
 * - `creating`: the pod is being (re)started: a container without a running/waiting report
 *   reads `waiting{ContainerCreating}`;
 * - `notReady`: the pod is going away (stopping, deleting): the state stands, readiness does not.
 */
export type Bend =
  | { kind: 'waiting'; reason: string; message?: string; keepTerminated?: boolean }
  | { kind: 'creating' }
  | { kind: 'notReady' }
  | undefined;

/** `jdcloud://<podId>/<container>`: unique per container, stable across restarts. */
export const containerIdOf = (podId: string, name: string) => `jdcloud://${podId}/${name}`;

/** The Kubernetes status of one JD container. */
export function containerStatusFromJd(c: JdContainer, podId: string, bend: Bend): ContainerStatus {
  const jd = c.containerStatus;
  let state = stateFromJd(jd?.state);
  let lastState = stateFromJd(jd?.lastState);
  const moveToLast = (next: ContainerState) => {
    if (state.terminated) lastState = state;
    state = next;
  };
  if (bend?.kind === 'waiting' && !(bend.keepTerminated && state.terminated)) {
    moveToLast({ waiting: defined({ reason: bend.reason, message: bend.message }) });
  } else if (bend?.kind === 'creating' && !state.running && !state.waiting) {
    moveToLast({ waiting: { reason: 'ContainerCreating' } });
  }
  const ready = bend === undefined && state.running !== undefined && jd?.ready === true;
  const hasRun = Boolean(state.running || state.terminated || lastState.terminated);
  return {
    name: c.name,
    state,
    lastState,
    ready,
    restartCount: jd?.restartCount ?? 0,
    image: c.image ?? '',
    imageID: '',
    ...(hasRun && { containerID: containerIdOf(podId, c.name) }),
    started: state.running !== undefined,
  };
}
