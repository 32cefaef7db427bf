/**
 * Bounds on caller JSON, so that no request costs more than its size: how deep a document may
 * nest, how large an object may grow when a patch is applied, and how much a JSON-patch may copy.
 * Pure functions over text and plain values: they hold wherever a body is parsed or a patch
 * applied (Worker or Durable Object). Every walk here is iterative, so a deep value cannot
 * overflow the stack while it is being judged.
 */
import { badRequest } from './status';

/** The deepest JSON nesting podgate reads; a Pod is about a dozen levels deep. */
export const MAX_JSON_DEPTH = 100;

/**
 * The largest object a patch may produce, in JSON characters: the apiserver's request size
 * (3 MiB), which is also the most a body can be configured to carry.
 */
export const MAX_OBJECT_BYTES = 3 * 1024 * 1024;

/** The apiserver's `JSONPatchMaxCopyBytes`: what all `copy` operations of one patch may add. */
export const MAX_PATCH_COPY_BYTES = 3 * 1024 * 1024;

/** Whether JSON `text` opens more than `max` arrays/objects inside one another (no parsing). */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // a backslash escapes the next character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > max) return true;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return false;
}

/** The 400 a body nested too deeply gets, whatever its media type. */
export const tooDeep = () =>
  badRequest(
    `the request body is nested more than ${MAX_JSON_DEPTH} levels deep; no Pod or patch needs that`,
  );

/**
 * Parses caller JSON after checking its depth, so no later recursive walk can overflow.
 *
 * @example decodeBoundedJson('{"a":1}', 'patch') // { a: 1 }
 * @throws StatusError 400 `error decoding <what>: …` for bad JSON, or the depth refusal.
 */
export function decodeBoundedJson(text: string, what: string): unknown {
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) throw tooDeep();
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`error decoding ${what}: ${(e as Error).message}`);
  }
}

/** How large (JSON characters, approximately) and how deep a value is. */
export interface Extent {
  bytes: number;
  depth: number;
}

const scalarBytes = (v: unknown): number => {
  if (typeof v === 'string') return v.length + 2;
  if (typeof v === 'number') return String(v).length;
  if (typeof v === 'boolean') return v ? 4 : 5;
  return 4; // null, and anything JSON would write as null
};

/**
 * The extent of `value`, or `undefined` as soon as it is larger than `maxBytes` or deeper than
 * `maxDepth`: the walk stops there, so judging a value costs at most the budget it is judged by.
 * Own enumerable keys only, as JSON.stringify counts them.
 */
export function jsonExtent(
  value: unknown,
  maxBytes: number,
  maxDepth = MAX_JSON_DEPTH,
): Extent | undefined {
  let bytes = 0;
  let deepest = 0;
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length) {
    const { v, depth } = stack.pop() as { v: unknown; depth: number };
    if (typeof v !== 'object' || v === null) {
      bytes += scalarBytes(v);
    } else {
      const inner = depth + 1;
      if (inner > maxDepth) return undefined;
      if (inner > deepest) deepest = inner;
      if (Array.isArray(v)) {
        bytes += 2 + Math.max(0, v.length - 1);
        for (const item of v) stack.push({ v: item, depth: inner });
      } else {
        const keys = Object.keys(v);
        bytes += 2 + Math.max(0, keys.length - 1);
        for (const key of keys) {
          bytes += key.length + 3;
          stack.push({ v: (v as Record<string, unknown>)[key], depth: inner });
        }
      }
    }
    if (bytes > maxBytes) return undefined;
  }
  return { bytes, depth: deepest };
}
