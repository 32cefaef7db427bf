/**
 * One step of an image rollout against JD Cloud: describe the pod, take the one action
 * `nextAction` picks, show the progress on the pod, and say when to look again. Transient JD
 * failures come back with backoff; a permanent one turns the rollout into a restore of the
 * previous images; a failure while restoring ends it, with the pod's status saying so.
 */
import type { JdPod } from '../jdcloud/models';
import type { Pod } from '../k8s/pod';
import { formatTime } from '../k8s/prepare-create';
import { podToRebuildContainers } from '../translate/pod-to-jd';
import { describeError, isRetryable } from './jd-failure';
import { backoff, type OperationHost, type Overlay, type StepResult } from './operations';
import {
  afterAction,
  afterPermanentFailure,
  begun,
  finishedOverlay,
  type Images,
  imagesOf,
  jdImages,
  nextAction,
  type RolloutJournal,
  rolloutOverlay,
  withImages,
} from './rollout';
import { podView } from './view';

/** A refusal podgate decides on its own (never worth retrying). */
class RolloutRefused extends Error {}

/** Runs one step of `name`'s rollout; never throws for JD failures. */
export async function stepRollout(
  host: OperationHost,
  name: string,
  journal: RolloutJournal,
): Promise<StepResult> {
  let current = journal;
  let jdPod: JdPod | undefined;
  try {
    const row = host.row(name);
    if (!row?.jdPodId) return { done: true };
    const jdPodId = row.jdPodId;
    const { regionId } = host.settings();
    const jd = host.actionJd();
    jdPod = await jd.describePodOrGone(regionId, jdPodId, name);
    // Read the row after the await: a request may have changed the desired images meanwhile.
    const fresh = host.row(name);
    if (fresh?.jdPodId !== jdPodId) return { done: true };
    if (!jdPod) {
      host.observe(name, jdPodId, undefined);
      return { done: true };
    }
    const phase = jdPod.podStatus?.phase ?? '';
    const actual = jdImages(jdPod);
    current = begun(journal, phase, actual);
    const target = targetOf(current, fresh.pod.spec);
    const action = nextAction(target, phase, actual, current.restart ?? false);
    switch (action.kind) {
      case 'fail':
        throw new RolloutRefused(action.reason);
      case 'done':
        finish(host, name, current, jdPod);
        return { done: true };
      case 'wait':
        host.observe(name, jdPodId, jdPod, rolloutOverlay(current, target));
        return { at: Date.now() + host.pollMs(), journal: current };
      case 'stop':
      case 'start':
        await jd.power(regionId, jdPodId, action.kind, name);
        break;
      case 'rebuild': {
        const pod = current.failed ? withImages(fresh.pod, target) : fresh.pod;
        const containers = podToRebuildContainers(pod);
        if (!containers.ok) {
          throw new RolloutRefused(containers.errors.map((e) => e.message).join('; '));
        }
        await jd.rebuild(regionId, jdPodId, containers.value, name);
        current = { ...current, rebuilt: target };
        break;
      }
    }
    const next = afterAction(current, action);
    host.observe(name, jdPodId, jdPod, rolloutOverlay(next, target));
    return { at: Date.now() + host.pollMs(), journal: next };
  } catch (error) {
    return failed(host, name, current, jdPod, error);
  }
}

/** The images a step works towards: the desired spec's, or the previous ones once it failed. */
const targetOf = (journal: RolloutJournal, spec: Parameters<typeof imagesOf>[0]): Images =>
  journal.failed ? (journal.previous ?? {}) : imagesOf(spec);

function failed(
  host: OperationHost,
  name: string,
  journal: RolloutJournal,
  jdPod: JdPod | undefined,
  error: unknown,
): StepResult {
  const message = describeError(error);
  if (!(error instanceof RolloutRefused) && isRetryable(error)) {
    const attempts = journal.attempts + 1;
    const next = { ...journal, attempts, lastError: message };
    const row = host.row(name);
    if (row?.jdPodId) {
      const overlay = rolloutOverlay(next, targetOf(next, row.pod.spec));
      // Without a fresh JD view (the describe itself failed) the stored status still says why.
      if (jdPod) host.observe(name, row.jdPodId, jdPod, overlay);
      else {
        host.update(name, (now) =>
          now.pod.status.message !== overlay.message
            ? { type: 'MODIFIED', pod: withOverlay(now.pod, overlay) }
            : undefined,
        );
      }
    }
    return { at: Date.now() + backoff(attempts, host.pollMs()), journal: next };
  }
  const restoring = afterPermanentFailure(journal, message);
  if (restoring) return { at: Date.now(), journal: restoring };
  const gaveUp = journal.failed ? message : undefined;
  finish(host, name, journal.failed ? journal : { ...journal, failed: message }, jdPod, gaveUp);
  return { done: true };
}

/** The stored pod with a rollout overlay's reason, message and condition. */
function withOverlay(pod: Pod, overlay: Overlay): Pod {
  const { condition } = overlay;
  const others = (pod.status.conditions ?? []).filter((c) => c.type !== condition?.type);
  const stamped = condition ? [{ ...condition, lastTransitionTime: formatTime(new Date()) }] : [];
  return {
    ...pod,
    status: {
      ...pod.status,
      ...(overlay.reason ? { reason: overlay.reason } : {}),
      ...(overlay.message ? { message: overlay.message } : {}),
      conditions: [...others, ...stamped],
    },
  };
}

/**
 * Writes the finished rollout onto the pod: its condition (which outlives the journal) and, on
 * success, `status.observedGeneration` = the generation whose images now run.
 */
function finish(
  host: OperationHost,
  name: string,
  journal: RolloutJournal,
  jdPod: JdPod | undefined,
  gaveUp?: string,
): void {
  const running = jdPod ? jdImages(jdPod) : (journal.previous ?? {});
  const { condition } = finishedOverlay(journal, running, gaveUp);
  host.update(name, (row) => {
    const pod = jdPod
      ? podView(row.pod, jdPod, { condition })
      : {
          ...row.pod,
          status: {
            ...row.pod.status,
            conditions: [
              ...(row.pod.status.conditions ?? []).filter((c) => c.type !== condition.type),
              { ...condition, lastTransitionTime: formatTime(new Date()) },
            ],
          },
        };
    if (!journal.failed) pod.status.observedGeneration = row.pod.metadata.generation;
    return { type: 'MODIFIED', pod };
  });
}
