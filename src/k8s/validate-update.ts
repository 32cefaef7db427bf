/**
 * Pod update rules: `podStrategy.PrepareForUpdate` + `rest.BeforeUpdate` (prepareForUpdate) and
 * `ValidatePodUpdate` (validatePodUpdate), per §1 of the Pod API reference. PUT and every PATCH
 * type go through both.
 */
import { fieldForbidden, fieldInvalid } from './field-errors';
import { inclusiveRangeError } from './names';
import type { Container, Pod, PodSpec, Toleration } from './pod';
import { defaultPodSpec } from './prepare-create';
import { renderDiff, semanticEqual } from './semantic-diff';
import type { FieldError } from './status';
import { validateObjectMetaUpdate } from './validate-meta';
import { validateImage, validateTolerations } from './validate-shared';

/** `updatablePodSpecFields`, as recent releases join them into the Forbidden message. */
export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

/**
 * Returns the object to validate and store: status from the stored pod (body status is ignored),
 * the silently-reset metadata of §1a, spec defaults, and `generation` bumped when the spec moved.
 */
export function prepareForUpdate(newPod: Pod, oldPod: Pod): Pod {
  const out = structuredClone(newPod);
  const meta = out.metadata;
  const old = oldPod.metadata;
  out.apiVersion = 'v1';
  out.kind = 'Pod';
  out.status = structuredClone(oldPod.status);
  meta.namespace ||= old.namespace;
  meta.uid ||= old.uid;
  if (old.generation === undefined) delete meta.generation;
  else meta.generation = old.generation;
  if (old.creationTimestamp) meta.creationTimestamp = old.creationTimestamp;
  if (old.deletionTimestamp) meta.deletionTimestamp = old.deletionTimestamp;
  if (meta.deletionGracePeriodSeconds === undefined && old.deletionGracePeriodSeconds !== undefined)
    meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  // podgate sets nodeName (a virtual node) itself: an update that leaves it out keeps it.
  if (!out.spec.nodeName && oldPod.spec.nodeName) out.spec.nodeName = oldPod.spec.nodeName;
  defaultPodSpec(out.spec);
  if (!semanticEqual(out.spec, oldPod.spec)) meta.generation = (old.generation ?? 0) + 1;
  return out;
}

/**
 * `ValidatePodUpdate`: metadata immutables, then the updatable spec fields, then one Forbidden
 * error on `spec` for anything else that changed. Run on `prepareForUpdate`'s result.
 */
export function validatePodUpdate(newPod: Pod, oldPod: Pod): FieldError[] {
  // Labels and annotations may change freely; validateObjectMetaUpdate checks their syntax.
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata);
  const spec = newPod.spec;
  const old = oldPod.spec;
  for (const [list, path] of [
    ['containers', 'spec.containers'],
    ['initContainers', 'spec.initContainers'],
  ] as const) {
    const [containerErrs, stop] = validateContainerUpdates(spec[list] ?? [], old[list] ?? [], path);
    errs.push(...containerErrs);
    if (stop) return errs;
  }
  const [deadlineErrs, stop] = validateActiveDeadline(
    spec.activeDeadlineSeconds,
    old.activeDeadlineSeconds,
  );
  errs.push(...deadlineErrs);
  if (stop) return errs;
  errs.push(...validateOnlyAddedTolerations(spec.tolerations ?? [], old.tolerations ?? []));

  const munged: PodSpec = structuredClone(spec);
  const mungeImages = (list: Container[] | undefined, from: Container[] | undefined) => {
    list?.forEach((c, i) => {
      const before = from?.[i]?.image;
      if (before === undefined) delete c.image;
      else c.image = before;
    });
  };
  mungeImages(munged.containers, old.containers);
  mungeImages(munged.initContainers, old.initContainers);
  setOrDelete(munged, 'activeDeadlineSeconds', old.activeDeadlineSeconds);
  setOrDelete(munged, 'tolerations', old.tolerations);
  if (
    spec.terminationGracePeriodSeconds === 1 &&
    old.terminationGracePeriodSeconds !== undefined &&
    old.terminationGracePeriodSeconds < 0
  )
    munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  if (!semanticEqual(munged, old))
    errs.push(
      fieldForbidden(
        'spec',
        `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS}\n${renderDiff('PodSpec', old, munged)}`,
      ),
    );
  return errs;
}

function setOrDelete<K extends keyof PodSpec>(spec: PodSpec, key: K, value: PodSpec[K]): void {
  if (value === undefined) delete spec[key];
  else spec[key] = structuredClone(value);
}

/** `ValidateContainerUpdates`: same count, each image non-empty and trimmed. */
function validateContainerUpdates(
  next: Container[],
  prev: Container[],
  path: string,
): [FieldError[], boolean] {
  if (next.length !== prev.length)
    return [[fieldForbidden(path, 'pod updates may not add or remove containers')], true];
  return [next.flatMap((c, i) => validateImage(c.image, `${path}[${i}].image`)), false];
}

const MAX_INT32 = 2147483647;

/** Set or decrease only. Like the Go code, range and growth errors end validation early. */
function validateActiveDeadline(
  next: number | undefined,
  prev: number | undefined,
): [FieldError[], boolean] {
  const path = 'spec.activeDeadlineSeconds';
  if (next !== undefined) {
    if (next < 0 || next > MAX_INT32)
      return [[fieldInvalid(path, next, inclusiveRangeError(0, MAX_INT32))], true];
    if (prev !== undefined && prev < next)
      return [[fieldInvalid(path, next, 'must be less than or equal to previous value')], true];
    return [[], false];
  }
  if (prev !== undefined)
    return [
      [fieldInvalid(path, null, 'must not update from a positive integer to nil value')],
      false,
    ];
  return [[], false];
}

/** `validateOnlyAddedTolerations`: every old toleration must survive, modulo tolerationSeconds. */
function validateOnlyAddedTolerations(next: Toleration[], prev: Toleration[]): FieldError[] {
  const path = 'spec.tolerations';
  for (const old of prev) {
    const found = next.some((t) =>
      semanticEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t),
    );
    if (!found)
      return [
        fieldForbidden(
          path,
          'existing toleration can not be modified except its tolerationSeconds',
        ),
      ];
  }
  return validateTolerations(next, path);
}
