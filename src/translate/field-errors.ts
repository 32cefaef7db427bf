/**
 * Field errors the translation needs beyond `k8s/field-errors` (which has the rest, with the
 * apiserver's wording).
 */
import type { FieldError } from '../k8s/status';

/**
 * `field.TooMany` → `Too many: 9: must have at most 8 items`. Kubernetes gives it the reason
 * `FieldValueTooMany`, which `CauseReason` does not list, so the cause says `FieldValueInvalid`;
 * the message is the apiserver's.
 */
export const fieldTooMany = (field: string, actual: number, max: number): FieldError => ({
  field,
  reason: 'FieldValueInvalid',
  message: `Too many: ${actual}: must have at most ${max} items`,
});

/** The detail of every `Forbidden` for a Pod feature JD Cloud has no equivalent for. */
export const NOT_ON_JDCLOUD = 'not supported by JD Cloud pods';

/** `must be between a and b, inclusive` plus where the limit comes from. */
export const jdRange = (min: number, max: number) =>
  `must be between ${min} and ${max}, inclusive (JD Cloud limit)`;
