/**
 * Builders for Kubernetes field errors, mirroring k8s.io/apimachinery/pkg/util/validation/field:
 * each returns a `FieldError` whose `message` is exactly `(*field.Error).ErrorBody()`.
 */
import type { FieldError } from './status';

/** Formats a bad value the way `ErrorBody` does: strings `%q`, scalars `%v`, the rest as JSON. */
export function formatBadValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

const withDetail = (body: string, detail?: string) => (detail ? `${body}: ${detail}` : body);

/** `field.Required(path, detail)` → `Required value[: detail]`. */
export const fieldRequired = (field: string, detail?: string): FieldError => ({
  field,
  reason: 'FieldValueRequired',
  message: withDetail('Required value', detail),
});

/** `field.Invalid(path, value, detail)` → `Invalid value: <value>[: detail]`. */
export const fieldInvalid = (field: string, value: unknown, detail?: string): FieldError => ({
  field,
  reason: 'FieldValueInvalid',
  message: withDetail(`Invalid value: ${formatBadValue(value)}`, detail),
});

/** `field.Forbidden(path, detail)` → `Forbidden: detail`. */
export const fieldForbidden = (field: string, detail: string): FieldError => ({
  field,
  reason: 'FieldValueForbidden',
  message: withDetail('Forbidden', detail),
});

/** `field.Duplicate(path, value)` → `Duplicate value: <value>`. */
export const fieldDuplicate = (field: string, value: unknown): FieldError => ({
  field,
  reason: 'FieldValueDuplicate',
  message: `Duplicate value: ${formatBadValue(value)}`,
});

/** `field.NotFound(path, value)` → `Not found: <value>`. */
export const fieldNotFound = (field: string, value: unknown): FieldError => ({
  field,
  reason: 'FieldValueNotFound',
  message: `Not found: ${formatBadValue(value)}`,
});

/** `field.NotSupported(path, value, valid)` → `Unsupported value: "x": supported values: "a", "b"`. */
export const fieldNotSupported = (
  field: string,
  value: unknown,
  valid: readonly string[],
): FieldError => ({
  field,
  reason: 'FieldValueNotSupported',
  message: withDetail(
    `Unsupported value: ${formatBadValue(value)}`,
    valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '',
  ),
});

/** `field.TooLong(path, value, max)` in recent releases → `Too long: may not be more than N bytes`. */
export const fieldTooLong = (field: string, max: number): FieldError => ({
  field,
  reason: 'FieldValueTooLong',
  message: `Too long: may not be more than ${max} bytes`,
});
