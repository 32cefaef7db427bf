/** Checks that create and update validation both apply (image, tolerations). */
import { fieldInvalid, fieldNotSupported, fieldRequired } from './field-errors';
import { isQualifiedName, isValidLabelValue } from './names';
import type { Toleration } from './pod';
import type { FieldError } from './status';

/** An image is required and may not carry surrounding whitespace (create and update alike). */
export function validateImage(image: string | undefined, path: string): FieldError[] {
  if (!image) return [fieldRequired(path)];
  if (image.trim() !== image)
    return [fieldInvalid(path, image, 'must not have leading or trailing whitespace')];
  return [];
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** `ValidateTolerations`. */
export function validateTolerations(tolerations: Toleration[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (t.key)
      for (const m of isQualifiedName(t.key)) errs.push(fieldInvalid(`${p}.key`, t.key, m));
    if (!t.key && t.operator !== 'Exists')
      errs.push(
        fieldInvalid(
          `${p}.operator`,
          t.operator ?? '',
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute')
      errs.push(
        fieldInvalid(
          `${p}.effect`,
          t.effect ?? '',
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    if (!t.operator || t.operator === 'Equal') {
      for (const m of isValidLabelValue(t.value ?? ''))
        errs.push(fieldInvalid(`${p}.operator`, t.value, m));
    } else if (t.operator === 'Exists') {
      if (t.value)
        errs.push(
          fieldInvalid(`${p}.operator`, t, "value must be empty when `operator` is 'Exists'"),
        );
    } else {
      errs.push(fieldNotSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !EFFECTS.includes(t.effect))
      errs.push(fieldNotSupported(`${p}.effect`, t.effect, EFFECTS));
  });
  return errs;
}
