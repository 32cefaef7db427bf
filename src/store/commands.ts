/**
 * The namespace object's commands: create, delete, the compare-and-set behind PUT and PATCH,
 * and stop/start. Each decides from the row as it is after its last await and commits through
 * storage in one synchronous step; work JD Cloud carries out over time is journaled
 * (operations.ts) and driven by the alarm.
 */
import type { JdPod } from '../jdcloud/models';
import type { JdPodSpec } from '../jdcloud/specs';
import type { DeleteOptions, Pod } from '../k8s/pod';
import { formatTime } from '../k8s/prepare-create';
import { alreadyExists, conflictWithMessage, notFound } from '../k8s/status';
import type { NamespaceCore } from './core';
import { checkDeletePreconditions } from './delete-preconditions';
import { describeError, isRetryable } from './jd-failure';
import { type Journal, overlayOf } from './operations';
import { rowOrRecover } from './reconcile';
import { imagesChanged } from './rollout';
import type { PodRow } from './rows';
import { checkRolloutAllowed } from './update';
import { withOverlay } from './view';

export interface CreateInput {
  pod: Pod;
  jdSpec: JdPodSpec;
  clientToken: string;
  dryRun: boolean;
}

/**
 * Creates the JD pod first and stores the Pod once JD Cloud has accepted it, so a refused
 * create leaves nothing behind. If JD Cloud stays unavailable through the client's retries,
 * the pod is stored Pending and the journal retries createPods with the same clientToken
 * (which JD Cloud deduplicates) until it is accepted.
 */
export async function create(core: NamespaceCore, input: CreateInput): Promise<Pod> {
  const { storage, operations } = core;
  const name = input.pod.metadata.name as string;
  const uid = input.pod.metadata.uid as string;
  const creating = operations.creating;
  if (storage.row(name) || creating.has(name)) throw alreadyExists(name);
  if (input.dryRun) return input.pod;
  creating.add(name);
  try {
    const { regionId } = core.settings();
    const podId = await core.jd().createPod(regionId, name, input.jdSpec, input.clientToken);
    const pod = storage.commit('ADDED', input.pod, { uid, jdPodId: podId });
    await operations.watchTransition(name);
    return pod;
  } catch (error) {
    // Only a failure worth retrying is journaled; anything else (a refusal, podgate's
    // credentials refused) fails the create now, leaving nothing stored.
    if (!isRetryable(error)) throw error;
    const journal: Journal = {
      kind: 'create',
      clientToken: input.clientToken,
      jdSpec: input.jdSpec,
      attempts: 1,
      lastError: describeError(error),
    };
    // Stored with the journal's reason (one ADDED event), then journaled.
    const status = withOverlay(input.pod.status, overlayOf(journal, input.pod.spec));
    const pod = storage.commit('ADDED', { ...input.pod, status }, { uid, jdPodId: null });
    await operations.schedule(name, journal, Date.now() + core.pollMs());
    return pod;
  } finally {
    creating.delete(name);
  }
}

export async function remove(
  core: NamespaceCore,
  name: string,
  options: DeleteOptions,
): Promise<Pod> {
  const row = await rowOrRecover(core, name);
  checkDeletePreconditions(row, options);
  const dryRun = options.dryRun?.includes('All') ?? false;
  if (dryRun) return row.pod;
  // Marked and journaled in one synchronous step: the delete outranks every other journal.
  const marked = row.pod.metadata.deletionTimestamp ? row.pod : markDeleted(core, row, options);
  if (core.operations.get(name)?.kind !== 'delete') {
    // A Terminating pod without its delete journaled (an older object, a lost journal) gets
    // one now: a second DELETE always finishes the job.
    await core.operations.runNow(name, { kind: 'delete', attempts: 0 });
  }
  return core.storage.row(name)?.pod ?? marked;
}

/** Stores the pod with its deletionTimestamp (one MODIFIED event). */
function markDeleted(core: NamespaceCore, row: PodRow, options: DeleteOptions): Pod {
  const grace = Math.max(
    options.gracePeriodSeconds ?? row.pod.spec.terminationGracePeriodSeconds ?? 30,
    0,
  );
  const marked: Pod = {
    ...row.pod,
    metadata: {
      ...row.pod.metadata,
      deletionTimestamp: formatTime(new Date(Date.now() + grace * 1000)),
      deletionGracePeriodSeconds: grace,
    },
  };
  return core.storage.commit('MODIFIED', marked, { uid: row.uid, jdPodId: row.jdPodId });
}

/**
 * Stores `next`, computed by the Worker from the pod at resourceVersion `base`, if that is
 * still the stored version (compare-and-set); `{ stale: true }` otherwise, and the Worker
 * computes it again from the new version, as the apiserver's GuaranteedUpdate does. Labels and
 * annotations are stored with no JD call; an image change on a pod JD Cloud has starts (or
 * redirects) the journaled rollout, whose steps all run from the alarm.
 */
export async function write(
  core: NamespaceCore,
  name: string,
  input: { base: string; next: Pod; dryRun: boolean },
): Promise<{ stored: Pod } | { stale: true }> {
  const { storage, operations } = core;
  const row = storage.row(name);
  if (!row) throw notFound(name);
  if (row.pod.metadata.resourceVersion !== input.base) return { stale: true as const };
  const next = structuredClone(input.next);
  const rollout = imagesChanged(row.pod.spec, next.spec);
  if (rollout) checkRolloutAllowed(row, operations.get(name));
  if (input.dryRun) return { stored: next };
  if (!rollout) {
    if (operations.get(name)?.kind !== 'rollout' && next.metadata.generation !== undefined) {
      // Nothing to carry out on JD Cloud: the new generation is observed as it is stored.
      next.status.observedGeneration = next.metadata.generation;
    }
    return { stored: storage.commit('MODIFIED', next, row) };
  }
  // Journaled here, carried out by the alarm: like the apiserver, the answer is the stored
  // change (with the rollout's reason), not the kubelet's work. One version, one event: the
  // new spec and the rollout's status are stored together, in one synchronous step.
  const journal = operations.startRollout(name);
  if (!journal)
    throw conflictWithMessage(name, 'the pod is being deleted; its images cannot change');
  const status = withOverlay(next.status, overlayOf(journal, next.spec));
  const stored = storage.commit('MODIFIED', { ...next, status }, row);
  await operations.arm();
  return { stored };
}

/** Stops or starts the JD pod, then follows the transition from the journal. */
export async function power(
  core: NamespaceCore,
  name: string,
  action: 'stop' | 'start',
  dryRun: boolean,
): Promise<Pod> {
  const row = await rowOrRecover(core, name);
  if (row.pod.metadata.deletionTimestamp) {
    throw conflictWithMessage(name, `the pod is being deleted; it cannot ${action}`);
  }
  const busy = core.operations.blocking(name);
  if (busy) {
    throw conflictWithMessage(name, `a ${busy.kind} is in progress; try again when it finishes`);
  }
  if (!row.jdPodId) throw conflictWithMessage(name, 'the pod is still being created');
  if (dryRun) return row.pod;
  const jd = core.jd();
  const { regionId } = core.settings();
  const jdPodId = row.jdPodId;
  await jd.power(regionId, jdPodId, action, name);
  // JD Cloud has taken the action: the journal follows it from here (unless a delete or
  // rollout journaled meanwhile outranks it, and follows the pod itself), and a failed
  // read-back must not tell the caller that the action failed.
  await core.operations.watchTransition(name);
  let jdPod: JdPod | undefined;
  try {
    jdPod = await jd.describePodOrGone(regionId, jdPodId, name);
  } catch (error) {
    if (!isRetryable(error)) throw error;
    const accepted = core.update(name, (now) =>
      now.jdPodId === jdPodId
        ? { type: 'MODIFIED', pod: actionAccepted(now.pod, action, error) }
        : undefined,
    );
    if (!accepted) throw notFound(name);
    return accepted;
  }
  const pod = core.observe(name, jdPodId, jdPod);
  if (!pod) throw notFound(name);
  return pod;
}

/**
 * The pod right after JD Cloud accepted a stop or start that could not be read back: it says
 * the pod is in that transition (not ready) until the journal's next read shows JD's phase.
 */
function actionAccepted(pod: Pod, action: 'stop' | 'start', error: unknown): Pod {
  const why = describeError(error);
  const conditions = pod.status.conditions?.map((c) =>
    c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False' as const } : c,
  );
  return {
    ...pod,
    status: {
      ...pod.status,
      ...(conditions ? { conditions } : {}),
      reason: action === 'stop' ? 'Stopping' : 'Starting',
      message: `JD Cloud accepted ${action}Pod; its status could not be read yet: ${why}`,
    },
  };
}
