/**
 * PATCH application for pods: the dispatcher over the patch media types, and the json-patch and
 * merge-patch appliers. As the apiserver does, the patch is applied to the current object's JSON;
 * the caller then decodes the result and runs prepareForUpdate/validatePodUpdate.
 */
import { applyOperation, getValueByPointer, type Operation } from 'fast-json-patch';
import {
  decodeBoundedJson,
  jsonExtent,
  MAX_JSON_DEPTH,
  MAX_OBJECT_BYTES,
  MAX_PATCH_COPY_BYTES,
  tooDeep,
} from './json-budget';
import { mergePatch } from './merge-patch';
import {
  badRequest,
  entityTooLarge,
  patchRejected,
  StatusError,
  unsupportedMediaType,
} from './status';
import { strategicMerge } from './strategic-merge';

/** The apiserver's cap on json-patch operations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

type JsonMap = Record<string, unknown>;
type Applier = (current: JsonMap, body: unknown) => JsonMap;

const isMap = (v: unknown): v is JsonMap =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The parsed patch: text is decoded with the depth check, a value is measured the same way. */
function decodeJson(body: string | unknown): unknown {
  if (typeof body === 'string') return decodeBoundedJson(body, 'patch');
  if (!jsonExtent(body, Number.POSITIVE_INFINITY)) throw tooDeep();
  return body;
}

/** The 413 an object that would outgrow the budget gets, before the operation that grows it. */
const tooLargeResult = () =>
  entityTooLarge(`the patched object would be larger than ${MAX_OBJECT_BYTES} bytes`);

/** The size of `value` when it is within what may still be added, else undefined. */
const sizeWithin = (value: unknown, room: number) =>
  room < 0 ? undefined : jsonExtent(value, room, Number.POSITIVE_INFINITY)?.bytes;

const applyJsonPatch: Applier = (current, body) => {
  const ops = decodeJson(body);
  if (!Array.isArray(ops) || !ops.every(isMap))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  if (ops.length > MAX_JSON_PATCH_OPERATIONS)
    throw entityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  // Growth is judged before each operation runs: a copy that would double the document is
  // refused, not built and measured afterwards.
  let size = sizeWithin(current, MAX_OBJECT_BYTES);
  if (size === undefined) throw tooLargeResult();
  let copied = 0;
  let doc: unknown = structuredClone(current);
  for (const [index, op] of (ops as unknown as Operation[]).entries()) {
    let grows = 0;
    try {
      if (op.op === 'copy') {
        const room = Math.min(MAX_PATCH_COPY_BYTES - copied, MAX_OBJECT_BYTES - size);
        const value = getValueByPointer(doc, String(op.from));
        grows = sizeWithin(value, room) ?? Number.POSITIVE_INFINITY;
        if (grows > MAX_PATCH_COPY_BYTES - copied) {
          const total = copied + (sizeWithin(value, MAX_PATCH_COPY_BYTES) ?? MAX_PATCH_COPY_BYTES);
          throw patchRejected(
            `Unable to complete the copy, the accumulated size increase of copy is ${total}, exceeding the limit ${MAX_PATCH_COPY_BYTES}`,
          );
        }
        copied += grows;
      } else if (op.op === 'add' || op.op === 'replace') {
        grows = sizeWithin(op.value, MAX_OBJECT_BYTES - size) ?? Number.POSITIVE_INFINITY;
      }
      if (size + grows > MAX_OBJECT_BYTES) throw tooLargeResult();
      size += grows;
      doc = applyOperation(doc, op, true, true, true, index).newDocument;
    } catch (error) {
      if (error instanceof StatusError) throw error;
      // The apiserver drops the library's detail and sends its generic 422.
      throw patchRejected();
    }
  }
  // Moves can deepen without growing: one linear look at the result before anything recurses.
  if (!isMap(doc)) throw patchRejected();
  if (!jsonExtent(doc, Number.POSITIVE_INFINITY, MAX_JSON_DEPTH)) {
    throw patchRejected(`the patched object is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  return doc;
};

/** Merge-style patches grow an object by at most the patch: judged only when they could burst it. */
function checkMergedSize(current: JsonMap, patch: JsonMap, merged: () => JsonMap): JsonMap {
  const before = sizeWithin(current, MAX_OBJECT_BYTES);
  const added = sizeWithin(patch, MAX_OBJECT_BYTES);
  const result = merged();
  if (before === undefined || added === undefined || before + added > MAX_OBJECT_BYTES) {
    if (sizeWithin(result, MAX_OBJECT_BYTES) === undefined) throw tooLargeResult();
  }
  return result;
}

const applyMergePatch: Applier = (current, body) => {
  const patch = decodeJson(body);
  if (!isMap(patch)) throw badRequest('Invalid JSON Patch');
  return checkMergedSize(current, patch, () => mergePatch(current, patch) as JsonMap);
};

const applyStrategicMergePatch: Applier = (current, body) => {
  const patch = decodeJson(body);
  if (!isMap(patch)) throw badRequest('Invalid JSON Patch');
  return checkMergedSize(current, patch, () => strategicMerge(current, patch));
};

/**
 * One applier per supported media type. `application/apply-patch+yaml` (server-side apply) is
 * not here yet: it needs field managers and answers with its own errors; add it as one more
 * entry and list it in the 415 message (status.ts already does).
 */
const APPLIERS: Record<string, Applier> = {
  'application/json-patch+json': applyJsonPatch,
  'application/merge-patch+json': applyMergePatch,
  'application/strategic-merge-patch+json': applyStrategicMergePatch,
};

/** `application/merge-patch+json; charset=utf-8` → `application/merge-patch+json`. */
export const patchMediaType = (contentType: string | undefined) =>
  (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/**
 * Applies a PATCH body to the current object's JSON and returns the patched JSON.
 *
 * @example applyPatch(pod, 'application/json-patch+json',
 *   '[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.25"}]')
 * @throws StatusError 415 for an unknown content type, 400 for an undecodable body, 413 for too
 *   many json-patch ops, 422 (generic) when a json-patch operation fails.
 */
export function applyPatch(
  current: object,
  contentType: string | undefined,
  body: string | unknown,
): JsonMap {
  const applier = APPLIERS[patchMediaType(contentType)];
  if (!applier) throw unsupportedMediaType();
  return applier(current as JsonMap, body);
}
