/**
 * Which fields of a Pod JSON fall outside the modelled core/v1 set, for `fieldValidation=Strict`
 * (reject) and `=Warn` (warning headers). The model is the zod schema in pod.ts itself, so there
 * is one list of known fields, not two.
 */
import type * as z from 'zod';
import { podSchema } from './pod';
import { badRequest } from './status';

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Called for each unknown field with its path and the object that holds it. */
type OnUnknown = (path: string, holder: Record<string, unknown>, key: string) => void;

function walk(schema: z.ZodType, value: unknown, path: string, out: OnUnknown): void {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      if (def.innerType) walk(def.innerType, value, path, out);
      return;
    case 'array':
      if (Array.isArray(value) && def.element) {
        const element = def.element;
        value.forEach((v, i) => {
          walk(element, v, `${path}[${i}]`, out);
        });
      }
      return;
    case 'record':
      if (isMap(value) && def.valueType) {
        const valueType = def.valueType;
        for (const [k, v] of Object.entries(value)) walk(valueType, v, `${path}[${k}]`, out);
      }
      return;
    case 'union':
      // Unions here are scalars (IntOrString, quantities): nothing nested to check.
      return;
    case 'object': {
      const shape = def.shape ?? {};
      // An empty shape marks a subtree podgate keeps opaque (affinity terms, projected sources).
      if (!isMap(value) || Object.keys(shape).length === 0) return;
      for (const [k, v] of Object.entries(value)) {
        const child = path ? `${path}.${k}` : k;
        const field = Object.hasOwn(shape, k) ? shape[k] : undefined;
        if (field) walk(field, v, child, out);
        else out(child, value, k);
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Returns the JSON paths (`spec.foo`, `spec.containers[0].bar`) of fields the core/v1 Pod model
 * does not know, in document order. Render each as kube does: `unknown field "spec.foo"`.
 */
export function unknownFields(podJson: unknown): string[] {
  const out: string[] = [];
  walk(podSchema, podJson, '', (path) => out.push(path));
  return out;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/**
 * Applies a `fieldValidation` directive to a Pod body, as the apiserver's decoder does: Strict
 * refuses unknown fields (400), Warn (the default) and Ignore drop them, Warn saying so.
 * Returns a copy without the unknown fields and the warnings to send. With `patchDirectives`,
 * `podJson` is a merge or strategic-merge patch and its `$…` directives are kept.
 *
 * @throws StatusError 400 `Pod in version "v1" cannot be handled as a Pod: strict decoding
 *   error: unknown field "spec.foo"` under Strict.
 */
export function applyFieldValidation(
  podJson: unknown,
  directive: FieldValidation = 'Warn',
  options: { patchDirectives?: boolean } = {},
): { json: unknown; warnings: string[] } {
  const json = structuredClone(podJson);
  const found: string[] = [];
  walk(podSchema, json, '', (path, holder, key) => {
    // A strategic merge patch's `$patch`, `$setElementOrder/…` and `$retainKeys` are not fields.
    if (options.patchDirectives && key.startsWith('$')) return;
    found.push(path);
    delete holder[key];
  });
  const messages = found.map((path) => `unknown field ${JSON.stringify(path)}`);
  if (directive === 'Strict' && messages.length) {
    throw badRequest(
      `Pod in version "v1" cannot be handled as a Pod: strict decoding error: ${messages.join(', ')}`,
    );
  }
  return { json, warnings: directive === 'Warn' ? messages : [] };
}
