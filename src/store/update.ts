/**
 * What an update (PUT, or PATCH of any supported type) does to a stored pod before anything is
 * written, as the apiserver's `patchResource` + `Store.Update` do: apply the patch to the current
 * object's JSON, decode, check namespace, name, uid and resourceVersion, then
 * `prepareForUpdate` + `validatePodUpdate`, and finally check that JD Cloud can take the images.
 * Pure: the store supplies the current pod and writes the result.
 */
import { applyPatch } from '../k8s/patch';
import { decodePod, type Pod } from '../k8s/pod';
import { ensureNamespaceMatches } from '../k8s/prepare-create';
import { semanticEqual } from '../k8s/semantic-diff';
import { badRequest, conflict, conflictWithMessage, invalid } from '../k8s/status';
import { prepareForUpdate, validatePodUpdate } from '../k8s/validate-update';
import { podToRebuildContainers } from '../translate/pod-to-jd';
import { imagesChanged } from './rollout';
import type { PodRow } from './rows';

/** A replacement body (PUT) or a patch document with its media type (PATCH). */
export type PodChange =
  | { kind: 'put'; body: Pod }
  | { kind: 'patch'; contentType: string; patch: unknown };

export interface UpdateTarget {
  namespace: string;
  name: string;
}

/**
 * The pod to store, or `undefined` when the change changes nothing (the apiserver then writes
 * nothing and answers with the current object: a retried PATCH is a no-op).
 *
 * @throws StatusError 400 (undecodable patch, name/namespace mismatch), 409 (stale
 *   resourceVersion, other uid), 415 (unknown patch type), 422 (failed json-patch operation,
 *   forbidden change, an image JD Cloud cannot take).
 */
export function preparePodUpdate(
  current: Pod,
  change: PodChange,
  target: UpdateTarget,
): Pod | undefined {
  const proposed =
    change.kind === 'put'
      ? change.body
      : decodePod(applyPatch(current, change.contentType, change.patch));
  ensureNamespaceMatches(proposed, target.namespace);
  const bodyName = proposed.metadata.name ?? '';
  if (bodyName !== target.name) {
    throw badRequest(
      `the name of the object (${bodyName}) does not match the name on the URL (${target.name})`,
    );
  }
  checkPreconditions(proposed, current, target);
  const next = prepareForUpdate(proposed, current);
  // The stored resourceVersion travels with the object; the commit assigns the next one.
  next.metadata.resourceVersion = current.metadata.resourceVersion;
  const errors = validatePodUpdate(next, current);
  if (errors.length) throw invalid('Pod', target.name, errors);
  if (imagesChanged(current.spec, next.spec)) {
    const translated = podToRebuildContainers(next);
    if (!translated.ok) throw invalid('Pod', target.name, translated.errors);
  }
  const unchanged =
    semanticEqual(next.metadata, current.metadata) && semanticEqual(next.spec, current.spec);
  return unchanged ? undefined : next;
}

/** The storage preconditions: the uid must be the stored one, a non-empty RV the current one. */
function checkPreconditions(proposed: Pod, current: Pod, target: UpdateTarget): void {
  const uid = proposed.metadata.uid;
  if (uid && uid !== current.metadata.uid) {
    throw conflictWithMessage(
      target.name,
      `StorageError: invalid object, Code: 4, Key: /registry/pods/${target.namespace}/${target.name}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  // Pods allow unconditional updates: an empty resourceVersion means "whatever is stored".
  const rv = proposed.metadata.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) throw conflict(target.name);
}

/** An image can change only on a pod JD Cloud has and that is not on its way out. */
export function checkRolloutAllowed(row: PodRow, journal?: { kind: string }): void {
  if (row.pod.metadata.deletionTimestamp || journal?.kind === 'delete') {
    throw conflictWithMessage(row.name, 'the pod is being deleted; its images cannot change');
  }
  if (!row.jdPodId) {
    throw conflictWithMessage(
      row.name,
      'the pod is still being created; change its images once JD Cloud has it',
    );
  }
}
