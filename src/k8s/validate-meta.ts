/**
 * ObjectMeta validation (k8s.io/apimachinery/pkg/api/validation/objectmeta.go), shared by pod
 * create and update: name, namespace, labels, annotations, and the update immutables.
 */
import { fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong } from './field-errors';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue } from './names';
import type { ObjectMeta } from './pod';
import type { FieldError } from './status';

/** `TotalAnnotationSizeLimitB`: keys plus values, 256 KiB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

/** `ValidateLabels`: every key a qualified name, every value a label value. */
export function validateLabels(labels: Record<string, string> | undefined, field: string) {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(fieldInvalid(field, k, m));
    for (const m of isValidLabelValue(v)) errs.push(fieldInvalid(field, v, m));
  }
  return errs;
}

/** `ValidateAnnotations`: qualified (lower-cased) keys and a total size limit. */
export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  field: string,
) {
  const errs: FieldError[] = [];
  let total = 0;
  const encoder = new TextEncoder();
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fieldInvalid(field, k, m));
    total += encoder.encode(k).length + encoder.encode(v).length;
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B)
    errs.push(fieldTooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

/** `ValidateObjectMeta` for a namespaced object named as a DNS-1123 subdomain (pods). */
export function validateObjectMeta(meta: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) {
    // Generated names get a random suffix, so a trailing '-' is fine here (`maskTrailingDash`).
    const masked = meta.generateName.replace(/-$/, 'a');
    for (const m of isDns1123Subdomain(masked))
      errs.push(fieldInvalid('metadata.generateName', meta.generateName, m));
  }
  if (!meta.name) {
    if (!meta.generateName)
      errs.push(fieldRequired('metadata.name', 'name or generateName is required'));
  } else {
    for (const m of isDns1123Subdomain(meta.name))
      errs.push(fieldInvalid('metadata.name', meta.name, m));
  }
  if (!meta.namespace) errs.push(fieldRequired('metadata.namespace'));
  else
    for (const m of isDns1123Label(meta.namespace))
      errs.push(fieldInvalid('metadata.namespace', meta.namespace, m));
  if ((meta.generation ?? 0) < 0)
    errs.push(
      fieldInvalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'),
    );
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  return errs;
}

const IMMUTABLE_META = [
  'name',
  'namespace',
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

/**
 * `ValidateObjectMetaUpdate`: the immutables (§1a of the reference), generation, finalizers,
 * plus the syntax checks of `validateObjectMeta`. Expects `prepareForUpdate` to have run, so
 * the silently-reset fields already hold the stored values.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  const errs = validateObjectMeta(meta);
  for (const key of IMMUTABLE_META) {
    if ((meta[key] ?? null) !== (old[key] ?? null))
      errs.push(fieldInvalid(`metadata.${key}`, meta[key] ?? null, 'field is immutable'));
  }
  if ((meta.generation ?? 0) < (old.generation ?? 0))
    errs.push(fieldInvalid('metadata.generation', meta.generation ?? 0, 'must not be decremented'));
  if (old.deletionTimestamp) {
    const had = new Set(old.finalizers ?? []);
    // Go prints the list with %#v, hence `[]string{"a"}`.
    const added = (meta.finalizers ?? []).filter((f) => !had.has(f));
    if (added.length)
      errs.push(
        fieldForbidden(
          'metadata.finalizers',
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
  }
  return errs;
}
