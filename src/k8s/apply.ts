/**
 * Server-side apply (`PATCH … Content-Type: application/apply-patch+yaml`), pragmatically: the
 * applied configuration is decoded, checked as the apiserver checks PatchOptions,
 * and then merged onto the live pod with strategic-merge rules (containers by name). podgate
 * keeps no managedFields: a field dropped from a later apply stays as it was rather than being
 * removed, and there are no field-ownership conflicts (409) between managers.
 */
import { fieldForbidden, fieldRequired } from './field-errors';
import { MAX_JSON_DEPTH, nestedDeeperThan, tooDeep } from './json-budget';
import { badRequest, invalid } from './status';

export const APPLY_PATCH = 'application/apply-patch+yaml';

export interface PatchOptions {
  fieldManager?: string | undefined;
  force?: string | undefined;
}

/**
 * The apiserver's `ValidatePatchOptions`: apply needs a fieldManager; `force` is only for apply.
 *
 * @throws StatusError 422 `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value:
 *   is required for apply patch`.
 */
export function checkPatchOptions(contentType: string, options: PatchOptions): void {
  const isApply = contentType === APPLY_PATCH;
  const errors = [];
  if (isApply && !options.fieldManager) {
    errors.push(fieldRequired('fieldManager', 'is required for apply patch'));
  }
  if (!isApply && options.force !== undefined) {
    errors.push(fieldForbidden('force', 'may not be specified for non-apply patch'));
  }
  if (errors.length) throw invalid('PatchOptions.meta.k8s.io', '', errors);
}

/**
 * Decodes an applied configuration. kubectl (`apply --server-side`) and client libraries send
 * it as JSON, which is YAML too; block-style YAML is refused with a 400 that says so, because a
 * YAML parser would cost the Worker bundle more than 10 % of its size budget.
 */
export function decodeAppliedConfiguration(text: string): Record<string, unknown> {
  let value: unknown;
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) throw tooDeep();
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest(
      'error decoding YAML: podgate accepts application/apply-patch+yaml bodies in their JSON form (as kubectl sends them); convert block-style YAML to JSON',
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('error decoding YAML: the applied configuration must be an object');
  }
  return value as Record<string, unknown>;
}
