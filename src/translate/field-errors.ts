/**
 * Field-error builders with the apiserver's wording (k8s.io/apimachinery
 * pkg/util/validation/field/errors.go), so a refusal reads like any other 422 to kubectl.
 */
import type { FieldError } from '../k8s/status';

/** Renders a value the way `field.Error` does: strings quoted (Go `%q`), numbers and booleans bare. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? 'null';
}

/** `Required value` */
export const required = (field: string, detail?: string): FieldError => ({
  field,
  reason: 'FieldValueRequired',
  message: detail ? `Required value: ${detail}` : 'Required value',
});

/** `Invalid value: "x": <detail>` */
export const invalidValue = (field: string, value: unknown, detail: string): FieldError => ({
  field,
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${formatValue(value)}: ${detail}`,
});

/** `Unsupported value: "x": supported values: "a", "b"` */
export const notSupported = (
  field: string,
  value: unknown,
  supported: readonly string[],
): FieldError => ({
  field,
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: ${formatValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

/** `Forbidden: <detail>` */
export const forbidden = (field: string, detail: string): FieldError => ({
  field,
  reason: 'FieldValueForbidden',
  message: `Forbidden: ${detail}`,
});

/**
 * `Too many: 9: must have at most 8 items`. Kubernetes gives this the reason
 * `FieldValueTooMany`, which `CauseReason` does not list yet, so the cause carries
 * `FieldValueInvalid`; the message is the apiserver's.
 */
export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  field,
  reason: 'FieldValueInvalid',
  message: `Too many: ${actual}: must have at most ${max} items`,
});

/** `Too long: may not be more than N bytes` */
export const tooLong = (field: string, max: number): FieldError => ({
  field,
  reason: 'FieldValueTooLong',
  message: `Too long: may not be more than ${max} bytes`,
});

/** The one phrase podgate uses for a Pod feature JD Cloud has no equivalent for. */
export const NOT_ON_JDCLOUD = 'not supported by JD Cloud pods';
