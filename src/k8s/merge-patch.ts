/**
 * JSON merge patch (RFC 7386) over own keys only. Every key of the patch is an ordinary member,
 * `__proto__` and `constructor` included, as Go's maps treat them: nothing is read from or
 * written to a prototype, and validation later judges such keys like any other. (The
 * json-merge-patch package silently stops at the first such key and drops the rest.)
 */

type JsonMap = Record<string, unknown>;

const isMap = (v: unknown): v is JsonMap =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets an own data property, never a prototype's setter (`__proto__`). */
export function setOwn(target: JsonMap, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/** The own member `key` of `map`, never an inherited one. */
export const ownValue = (map: JsonMap, key: string): unknown =>
  Object.hasOwn(map, key) ? map[key] : undefined;

/**
 * Applies `patch` to `target` (neither is mutated).
 *
 * @example mergePatch({ a: 1, b: 2 }, { b: null, c: 3 }) // { a: 1, c: 3 }
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return patch;
  const out: JsonMap = {};
  if (isMap(target)) for (const key of Object.keys(target)) setOwn(out, key, target[key]);
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete out[key];
    else setOwn(out, key, mergePatch(ownValue(out, key), value));
  }
  return out;
}
