/**
 * What a person does in JD Cloud's console, out of band of podgate: stop, start or delete a
 * pod, or a pod that fails on its own (JD's `error` phase, with a reason). Driven through
 * `/__emulator/pods/{podId}/…`; the same state machine as the API, but unsigned and not in
 * the call log (the log holds the calls a client made).
 */
import { beginDelete, beginStart, beginStop, type PodRecord, settle } from './lifecycle';

export type ConsoleAction = 'stop' | 'start' | 'delete' | 'fail';

/** JD's reason when a pod fails without saying more. */
export const DEFAULT_FAILURE = {
  reason: 'Error',
  message: 'the pod failed: its instance stopped unexpectedly',
};

/** The pod after a console action at `now`; `null` when the pod is gone. Throws JdError. */
export function consoleAction(
  pod: PodRecord,
  action: ConsoleAction,
  now: number,
  transitionMs: number,
  failure = DEFAULT_FAILURE,
): PodRecord | null {
  const current = settle(pod, now);
  if (current === null) return null;
  switch (action) {
    case 'stop':
      return beginStop(current, now, transitionMs);
    case 'start':
      return beginStart(current, now, transitionMs);
    case 'delete':
      return beginDelete(current, now, transitionMs);
    case 'fail':
      return failPod(current, now, failure);
  }
}

/**
 * A pod in JD's `error` phase, from any phase: its containers end, its status says why, and
 * only deletePod is allowed from here (reference §4).
 */
export function failPod(
  pod: PodRecord,
  now: number,
  failure: { reason: string; message: string },
): PodRecord {
  return {
    ...pod,
    phase: 'error',
    phaseSince: now,
    settlesAt: null,
    failure,
    containers: pod.containers.map((c) =>
      c.startedAt !== undefined && c.finishedAt === undefined ? { ...c, finishedAt: now } : c,
    ),
  };
}
