/**
 * The image rollout's rules, pure: what to do next given what JD Cloud reports, what the pod's
 * status says meanwhile, and how a permanent failure turns into a way back.
 *
 * A rollout is a reconciliation, not a script: every step re-describes the JD pod and picks the
 * one action that moves it towards "runs the target images, in the phase it had before". That is
 * what makes the non-idempotent calls (stopPod, rebuildPod, startPod) safe after a lost answer:
 * the next step sees whether the call happened before repeating it. The target images are read
 * from the pod's desired spec at each step, so a newer image supersedes a queued one.
 */
import type { JdPod } from '../jdcloud/models';
import type { Pod, PodSpec } from '../k8s/pod';
import type { Overlay } from './operations';

/** Container name → image. */
export type Images = Record<string, string>;

/** What the last step set in motion, for the status message. */
export type RolloutStage = 'queued' | 'stopping' | 'rebuilding' | 'starting' | 'restoring';

export interface RolloutJournal {
  kind: 'rollout';
  stage: RolloutStage;
  /** Whether the pod was running (or on its way) when the rollout began; set by the first step. */
  restart?: boolean;
  /** The images JD Cloud ran when the rollout began: the way back after a permanent failure. */
  previous?: Images;
  /** The images the last rebuildPod sent. */
  rebuilt?: Images;
  /** Why the rollout failed for good; from then on it restores `previous`. */
  failed?: string;
  attempts: number;
  lastError?: string;
}

/** The journal a new rollout starts from. */
export const newRollout = (): RolloutJournal => ({ kind: 'rollout', stage: 'queued', attempts: 0 });

/** The condition type podgate owns for rollouts (kept across status refreshes by view.ts). */
export const ROLLOUT_CONDITION = 'ImageRollout';

/** Every container's image in a pod spec (init containers too: rebuildPod re-images them all). */
export function imagesOf(spec: PodSpec): Images {
  return Object.fromEntries(
    [...(spec.initContainers ?? []), ...spec.containers].map((c) => [c.name, c.image ?? '']),
  );
}

/** The images JD Cloud reports for a pod. */
export function jdImages(jdPod: JdPod): Images {
  return Object.fromEntries(
    (jdPod.containers ?? []).flatMap((c) => (c.name && c.image ? [[c.name, c.image]] : [])),
  );
}

/** True when every container of `target` runs its image in `actual`. */
export const imagesMatch = (target: Images, actual: Images) =>
  Object.entries(target).every(([name, image]) => actual[name] === image);

/** True when two specs differ in any container's image. */
export const imagesChanged = (before: PodSpec, after: PodSpec) =>
  !imagesMatch(imagesOf(after), imagesOf(before)) ||
  Object.keys(imagesOf(before)).length !== Object.keys(imagesOf(after)).length;

/** `{app: 'nginx:1.26', side: 'envoy'}` → `app=nginx:1.26, side=envoy`. */
export const describeImages = (images: Images) =>
  Object.entries(images)
    .map(([name, image]) => `${name}=${image}`)
    .join(', ');

/** The pod spec with `images` put back into its containers (the way back after a failure). */
export function withImages(pod: Pod, images: Images): Pod {
  const swap = <C extends { name: string; image?: string | undefined }>(c: C): C =>
    images[c.name] ? { ...c, image: images[c.name] } : c;
  const spec = pod.spec;
  return {
    ...pod,
    spec: {
      ...spec,
      containers: spec.containers.map(swap),
      ...(spec.initContainers ? { initContainers: spec.initContainers.map(swap) } : {}),
    },
  };
}

/** JD phases in which a pod is moving on its own: wait for them to settle. */
const MOVING = new Set(['pending', 'starting', 'stopping', 'rebuilding', 'resizing']);
/** JD phases from which a pod counts as running when a rollout begins. */
const RUNNING = new Set(['running', 'pending', 'starting']);

export type RolloutAction =
  | { kind: 'stop' | 'rebuild' | 'start' | 'wait' | 'done' }
  | { kind: 'fail'; reason: string };

/**
 * The one action that moves a JD pod towards running `target` (restarted if `restart`).
 * A running pod is never rebuilt (JD Cloud refuses: it must be stopped first).
 */
export function nextAction(
  target: Images,
  phase: string,
  actual: Images,
  restart: boolean,
): RolloutAction {
  if (MOVING.has(phase)) return { kind: 'wait' };
  if (phase === 'deleting') return { kind: 'done' };
  if (imagesMatch(target, actual)) {
    return { kind: restart && phase === 'stopped' ? 'start' : 'done' };
  }
  if (phase === 'running') return { kind: 'stop' };
  if (phase === 'stopped') return { kind: 'rebuild' };
  return {
    kind: 'fail',
    reason: `JD Cloud reports the pod in phase ${phase || 'unknown'}; it cannot be re-imaged`,
  };
}

/** The first step's record of where the pod started from. */
export function begun(journal: RolloutJournal, phase: string, actual: Images): RolloutJournal {
  if (journal.restart !== undefined) return journal;
  return { ...journal, restart: RUNNING.has(phase), previous: actual };
}

/** The stage an action sets in motion (a wait keeps the current one). */
export function afterAction(journal: RolloutJournal, action: RolloutAction): RolloutJournal {
  const stage: Record<string, RolloutStage> = {
    stop: 'stopping',
    rebuild: 'rebuilding',
    start: 'starting',
  };
  const next = stage[action.kind];
  const { lastError: _, ...rest } = journal;
  return next ? { ...rest, stage: journal.failed ? 'restoring' : next, attempts: 0 } : journal;
}

/**
 * A permanent failure: the first one turns the rollout into a restore of the previous images
 * (restarted if the pod ran); a failure while restoring ends it (`undefined`).
 */
export function afterPermanentFailure(
  journal: RolloutJournal,
  message: string,
): RolloutJournal | undefined {
  if (journal.failed || !journal.previous) return undefined;
  return { ...journal, failed: message, stage: 'restoring', attempts: 0 };
}

/** What the pod's status shows while the rollout runs. */
export function rolloutOverlay(journal: RolloutJournal, target: Images): Overlay {
  const images = describeImages(target);
  const doing: Record<RolloutStage, string> = {
    queued: `rolling out ${images}`,
    stopping: `stopping the pod to roll out ${images}`,
    rebuilding: `rebuilding the pod with ${images}`,
    starting: `starting the pod on ${images}`,
    restoring: `rollout failed (${journal.failed}); restoring ${describeImages(journal.previous ?? {})}`,
  };
  const retry = journal.lastError ? `; retrying after: ${journal.lastError}` : '';
  const message = `${doing[journal.stage]}${retry}`;
  return {
    reason: 'RollingOut',
    message,
    // Once the pod is being stopped, it serves nothing until the rollout's start has run.
    ...(journal.stage === 'queued' ? {} : { notReady: true }),
    condition: {
      type: ROLLOUT_CONDITION,
      status: 'False',
      reason: journal.failed ? 'RolloutFailed' : 'RollingOut',
      message,
    },
  };
}

/** The condition a finished rollout leaves on the pod (it outlives the journal). */
export function finishedOverlay(journal: RolloutJournal, running: Images, gaveUp?: string) {
  if (!journal.failed) {
    return {
      condition: {
        type: ROLLOUT_CONDITION,
        status: 'True' as const,
        reason: 'RolledOut',
        message: `running ${describeImages(running)}`,
      },
    };
  }
  const outcome = gaveUp
    ? `restoring the previous images failed too (${gaveUp}); JD Cloud has ${describeImages(running)}`
    : `back on ${describeImages(running)}`;
  return {
    condition: {
      type: ROLLOUT_CONDITION,
      status: 'False' as const,
      reason: 'RolloutFailed',
      message: `rollout failed: ${journal.failed}; ${outcome}`,
    },
  };
}
