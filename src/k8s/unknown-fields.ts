/**
 * Which fields of a Pod JSON fall outside the modelled core/v1 set, for `fieldValidation=Strict`
 * (reject) and `=Warn` (warning headers). The model is the zod schema in pod.ts itself, so there
 * is one list of known fields, not two.
 */
import type * as z from 'zod';
import { podSchema } from './pod';

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

function walk(schema: z.ZodType, value: unknown, path: string, out: string[]): void {
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
        const field = shape[k];
        if (field) walk(field, v, child, out);
        else out.push(child);
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
  walk(podSchema, podJson, '', out);
  return out;
}
